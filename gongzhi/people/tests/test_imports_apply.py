"""Import: applying a residents sheet, all or nothing, with history rows."""

import pytest

from gongzhi.org.models import Place
from gongzhi.people.imports.apply import residents_import_apply
from gongzhi.people.imports.columns import RESIDENTS
from gongzhi.people.models import Household, Person

from .imports_helpers import id_number, plain_id, resident, write_xlsx, zhangsan_row


@pytest.fixture
def scope1(world, scope_of):
    return scope_of(world.shequ1)


def _apply(tmp_path, world, scope, rows, name="r.xlsx"):
    path = write_xlsx(tmp_path / name, RESIDENTS.columns, rows)
    return path, residents_import_apply(scope=scope, acting_user=world.shequ1, path=path)


def _history_rows():
    return Person.history.count() + Household.history.count()


def test_clean_sheet_creates_persons_households_and_head(tmp_path, world, scope1):
    numbers = [id_number(), id_number(male=False), id_number()]
    rows = [
        resident(姓名="新甲", 公民身份号码=numbers[0], 房号="5-501", 与户主关系="户主"),
        resident(姓名="新乙", 公民身份号码=numbers[1], 性别="女", 房号="5-501", 与户主关系="妻子", 联系电话=""),
        resident(姓名="新丙", 公民身份号码=numbers[2], 房号="", 与户主关系=""),
    ]
    before = world.B1.resident_count
    _path, result = _apply(tmp_path, world, scope1, rows)
    assert result.ok and (result.new, result.updated, result.unchanged) == (3, 0, 0)
    people = {p.name: p for p in Person.objects.filter(name__in=["新甲", "新乙", "新丙"])}
    assert [plain_id(people[n]) for n in ("新甲", "新乙", "新丙")] == numbers
    assert people["新甲"].id_number_enc != numbers[0]
    household = Household.objects.get(place=world.B1, room="5-501")
    assert household.head == people["新甲"] and people["新乙"].household == household
    assert people["新丙"].household is None and people["新甲"].name_initials
    assert people["新甲"].history.get().history_user == world.shequ1
    b1 = Place.objects.get(pk=world.B1.pk)
    assert b1.resident_count == before + 3 and b1.household_count == world.B1.household_count + 1


def test_one_bad_row_writes_nothing(tmp_path, world, scope1):
    rows = [resident(姓名="好人"), resident(姓名="坏人", 联系电话="1381234")]
    persons, households, history = Person.objects.count(), Household.objects.count(), _history_rows()
    _path, result = _apply(tmp_path, world, scope1, rows)
    assert not result.ok and result.errors == 1
    assert (Person.objects.count(), Household.objects.count(), _history_rows()) == (persons, households, history)


def test_out_of_scope_community_writes_nothing(tmp_path, world, scope1):
    rows = [resident(姓名="好人"), resident(姓名="外人", 社区="南山社区", 小区="南山苑", 楼栋="4号楼")]
    persons, history = Person.objects.count(), _history_rows()
    _path, result = _apply(tmp_path, world, scope1, rows)
    assert not result.ok and 3 in result.problems
    assert (Person.objects.count(), _history_rows()) == (persons, history)


def test_reimport_changes_nothing(tmp_path, world, scope1):
    rows = [zhangsan_row(world), resident(姓名="新人", 房号="6-601", 与户主关系="本人")]
    path, first = _apply(tmp_path, world, scope1, rows)
    assert (first.new, first.unchanged) == (1, 1)
    persons, history = Person.objects.count(), _history_rows()
    second = residents_import_apply(scope=scope1, acting_user=world.shequ1, path=path)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)
    assert (Person.objects.count(), _history_rows()) == (persons, history)


def test_updated_phone_is_applied_with_history(tmp_path, world, scope1):
    _path, result = _apply(tmp_path, world, scope1, [zhangsan_row(world, 联系电话="13700001234")])
    assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
    zhangsan = Person.objects.get(pk=world.zhangsan.pk)
    assert zhangsan.phone_mask == "137****1234"
    latest = zhangsan.history.first()
    assert latest.history_user == world.shequ1 and latest.phone_mask == "137****1234"
    assert zhangsan.history.count() >= 2


def test_exception_inside_rolls_back(tmp_path, world, scope1, monkeypatch):
    from gongzhi.people.imports import apply

    def boom(ids):
        raise RuntimeError("boom")

    monkeypatch.setattr(apply, "place_counts_refresh", boom)
    persons, households = Person.objects.count(), Household.objects.count()
    with pytest.raises(RuntimeError):
        _apply(tmp_path, world, scope1, [resident(姓名="新人", 房号="7-701")])
    assert (Person.objects.count(), Household.objects.count()) == (persons, households)


def test_masked_phone_keeps_the_stored_number(tmp_path, world, scope1):
    _path, result = _apply(tmp_path, world, scope1, [zhangsan_row(world, 联系电话="138****5678", 备注="新备注")])
    assert (result.updated, result.unchanged) == (1, 0)
    zhangsan = Person.objects.get(pk=world.zhangsan.pk)
    assert (zhangsan.note, zhangsan.phone_hash) == ("新备注", world.zhangsan.phone_hash)


def test_batches_cross_the_boundary_with_bounded_queries(tmp_path, world, scope1, django_assert_max_num_queries):
    rows = [resident(姓名=f"居民{i}", 公民身份号码=id_number(), 房号=f"{i // 3}", 与户主关系="本人" if i % 3 == 0 else "子女") for i in range(1050)]
    path = write_xlsx(tmp_path / "big.xlsx", RESIDENTS.columns, rows)
    # Per batch of 1,000: existing by hash, households, INSERTs (one executemany each), ids back.
    with django_assert_max_num_queries(30):
        result = residents_import_apply(scope=scope1, acting_user=world.shequ1, path=path)
    assert (result.new, result.errors) == (1050, 0)
    assert Household.objects.filter(place=world.B1, head__isnull=False).count() == 350 + 1  # plus 1-101


def test_a_problem_after_written_batches_rolls_everything_back(tmp_path, world, scope1, monkeypatch):
    from gongzhi.people.imports import validate

    monkeypatch.setattr(validate, "BATCH_SIZE", 2)  # rows 2-3 and 4-5 are written before row 7 is read
    twin = id_number()
    rows = [resident(姓名=f"新{i}", 公民身份号码=twin if i == 1 else id_number(), 房号=f"9-{i}", 与户主关系="本人") for i in range(5)]
    rows.append(resident(姓名="重复", 公民身份号码=twin))  # row 7 repeats row 3
    counts = Person.objects.count(), Household.objects.count(), _history_rows()
    _path, result = _apply(tmp_path, world, scope1, rows)
    assert not result.ok and sorted(result.problems) == [3, 7]
    assert (result.new, result.errors) == (4, 2)  # as the preview says: the valid rows, the problem rows
    assert (Person.objects.count(), Household.objects.count(), _history_rows()) == counts


def test_new_households_history_holds_their_head(tmp_path, world, scope1):
    _apply(tmp_path, world, scope1, [resident(姓名="户主甲", 房号="8-801", 与户主关系="户主")])
    household = Household.objects.get(place=world.B1, room="8-801")
    record = household.history.get()
    assert record.history_type == "+" and record.head_id == household.head_id == Person.objects.get(name="户主甲").pk
    assert record.history_user == world.shequ1


# ---- party members -----------------------------------------------------------------------

from gongzhi.people.imports.apply import members_import_apply  # noqa: E402
from gongzhi.people.imports.columns import MEMBERS  # noqa: E402
from gongzhi.people.models import CommunityCheckin, PartyMember  # noqa: E402

from .imports_helpers import member  # noqa: E402


def test_members_sheet_creates_member_status_and_checkin(tmp_path, world, scope1):
    rows = [
        member(公民身份号码=plain_id(world.lisi), 姓名="李四", 报到单位="市财政局"),
        member(公民身份号码=plain_id(world.wangwu), 姓名="王五", 党员类型="预备", 入党日期="2025-01-01", 转正日期=""),
    ]
    path = write_xlsx(tmp_path / "m.xlsx", MEMBERS.columns, rows)
    result = members_import_apply(scope=scope1, acting_user=world.shequ1, path=path)
    assert result.problems == {} and (result.new, result.updated) == (2, 0)
    lisi = PartyMember.objects.get(person=world.lisi)
    assert lisi.organization == world.O_K1 and lisi.history.get().history_user == world.shequ1
    assert Person.objects.get(pk=world.lisi.pk).political_status == "member"
    assert Person.objects.get(pk=world.wangwu.pk).political_status == "probationary"
    assert CommunityCheckin.objects.get(member=lisi).community == world.C1
    from gongzhi.org.models import PartyOrganization

    assert PartyOrganization.objects.get(pk=world.O_K1.pk).member_count == 3  # 张三, 李四, 王五
    history = PartyMember.history.count() + Person.history.count() + CommunityCheckin.history.count()
    again = members_import_apply(scope=scope1, acting_user=world.shequ1, path=path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert PartyMember.history.count() + Person.history.count() + CommunityCheckin.history.count() == history


def test_members_sheet_with_a_bad_row_writes_nothing(tmp_path, world, scope1):
    rows = [member(公民身份号码=plain_id(world.lisi), 姓名="李四"), member(公民身份号码=plain_id(world.wangwu), 姓名="王五", 入党日期="")]
    path = write_xlsx(tmp_path / "m.xlsx", MEMBERS.columns, rows)
    count = PartyMember.objects.count()
    result = members_import_apply(scope=scope1, acting_user=world.shequ1, path=path)
    assert not result.ok and PartyMember.objects.count() == count


# ---- writing in a second thread (production: no outer transaction, a database file or server) ----

from django.db import connection  # noqa: E402

needs_shared_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="in-memory SQLite test databases are not shared between connections; runs on PostgreSQL",
)


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_writer_thread_commits_a_clean_sheet_and_rolls_back_a_bad_one(tmp_path, world, scope_of, monkeypatch):
    from gongzhi.people.imports import apply, validate

    started = []
    real = apply.WriterThread

    class Spy(real):
        def __init__(self, *args):
            started.append(self)
            super().__init__(*args)

    monkeypatch.setattr(apply, "WriterThread", Spy)
    monkeypatch.setattr(validate, "BATCH_SIZE", 2)
    scope = scope_of(world.shequ1)
    rows = [resident(姓名=f"线程{i}", 房号=f"12-{i}", 与户主关系="本人") for i in range(5)]
    _path, result = _apply(tmp_path, world, scope, rows)
    assert started and result.ok and result.new == 5
    assert Person.objects.filter(name__startswith="线程").count() == 5
    assert Household.objects.get(place=world.B1, room="12-3").head.name == "线程3"

    counts = Person.objects.count(), Household.objects.count(), _history_rows()
    bad = [resident(姓名=f"回滚{i}", 房号=f"13-{i}") for i in range(5)] + [resident(姓名="坏", 联系电话="1")]
    _path, result = _apply(tmp_path, world, scope, bad, name="bad.xlsx")
    assert len(started) == 2 and not result.ok and list(result.problems) == [7]
    assert (Person.objects.count(), Household.objects.count(), _history_rows()) == counts


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_writer_thread_error_reaches_the_caller_and_nothing_is_kept(tmp_path, world, scope_of, monkeypatch):
    from gongzhi.people.imports import apply, validate

    monkeypatch.setattr(validate, "BATCH_SIZE", 2)
    calls = []
    real_insert = apply.insert_rows

    def failing_insert(model, rows, **kwargs):
        calls.append(model)
        if len(calls) > 3:
            raise RuntimeError("disk full")
        return real_insert(model, rows, **kwargs)

    monkeypatch.setattr(apply, "insert_rows", failing_insert)
    counts = Person.objects.count(), Household.objects.count()
    with pytest.raises(RuntimeError, match="disk full"):
        _apply(tmp_path, world, scope_of(world.shequ1), [resident(姓名=f"满{i}", 房号=f"14-{i}") for i in range(9)])
    assert (Person.objects.count(), Household.objects.count()) == counts


def test_imported_rows_hold_no_plain_number_in_any_column(tmp_path, world, scope1):
    number, phone = id_number(), "13911112222"
    _apply(tmp_path, world, scope1, [resident(姓名="明文", 公民身份号码=number, 联系电话=phone)])
    with connection.cursor() as cursor:
        for table in (Person._meta.db_table, Person.history.model._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")
            text = repr(cursor.fetchall())
            assert "明文" in text and number not in text and phone not in text and number[:14] not in text, table
