"""Exports of residents and party members in the import templates' format (the `world` district)."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from gongzhi.core.scope import EVERYTHING, NO_SCOPE
from gongzhi.org.models import PlaceLevel as L
from gongzhi.org.tests import factories as of
from gongzhi.people import exports
from gongzhi.people.exports import export_filename, members_export, residents_export
from gongzhi.people.imports import normalize as N
from gongzhi.people.imports.columns import MEMBERS, RESIDENTS
from gongzhi.people.imports.reader import open_sheet
from gongzhi.people.models import CommunityCheckin, EmployerLevel, MemberStatus, PartyMember, Person, PersonStatus
from gongzhi.people.services import household_create, member_change_status, person_create, person_update

from .factories import PartyMemberFactory, PersonFactory, id_number
from .imports_helpers import plain_id


def _xlsx(path) -> list[list]:
    """Every row of the first sheet, blanks as "" and padded to the header's width."""
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0])
    return [row + [""] * (width - len(row)) for row in rows]


def _csv(data: bytes) -> list[list]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _export(export, scope, tmp_path, fmt="xlsx", name="out"):
    path = tmp_path / f"{name}.{fmt}"
    count = export(scope=scope, target=path, fmt=fmt)
    rows = _xlsx(path) if fmt == "xlsx" else _csv(path.read_bytes())
    assert count == len(rows) - 1
    return rows


def _resident(person, room, relation, political, address, note=""):
    """A residents row as written by hand: masks, labels and the address given."""
    gender = {"M": "男", "F": "女"}[person.gender]
    return [person.name, person.id_number_mask, gender, "汉族", person.phone_mask, *address, room, relation, political, note, person.pk]


XINGFU_1 = ("幸福社区", "幸福家园", "1号楼", "")


@pytest.fixture
def scope1(world, scope_of):
    return scope_of(world.shequ1)


# ---- residents ---------------------------------------------------------------------------


def test_residents_of_a_community_in_template_order(tmp_path, world, scope1):
    rows = _export(residents_export, scope1, tmp_path)
    assert rows[0] == list(RESIDENTS.known)
    assert rows[0][-1] == "系统编号" and len(rows[0]) == 14
    assert rows[1:] == [
        _resident(world.zhangsan, "1-101", "本人", "中共党员", XINGFU_1),
        _resident(world.lisi, "1-101", "配偶", "群众", XINGFU_1),
        _resident(world.wangwu, "", "", "群众", ("幸福社区", "老厂宿舍", "老厂1栋", "")),
    ]
    assert rows[1][:5] == ["张三", world.zhangsan.id_number_mask, "男", "汉族", "138****5678"]
    assert rows[1][1].startswith("410305********") and rows[2][2] == "女"


def test_sheet_layout_bold_frozen_header_text_cells(tmp_path, world, scope1):
    path = tmp_path / "r.xlsx"
    residents_export(scope=scope1, target=path)
    sheet = load_workbook(path).worksheets[0]
    assert sheet.title == "居民" and sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert sheet.column_dimensions["B"].width >= 20 and sheet.column_dimensions["M"].width >= 20
    for cell in (sheet["B2"], sheet["E2"]):  # ID number, phone
        assert cell.data_type == "s" and cell.number_format == "@"
    assert sheet["N2"].value == world.zhangsan.pk


def test_full_id_number_and_phone_never_written(tmp_path, world):
    full_id, full_phone = plain_id(world.zhangsan), "13812345678"
    assert full_id[:6] + "********" + full_id[-4:] == world.zhangsan.id_number_mask
    for export in (residents_export, members_export):
        xlsx = tmp_path / "e.xlsx"
        export(scope=EVERYTHING, target=xlsx)
        with zipfile.ZipFile(xlsx) as book:
            raw = b"".join(book.read(name) for name in book.namelist())
        values = " ".join(str(v) for row in _xlsx(xlsx) for v in row)
        csv_bytes = io.BytesIO()
        export(scope=EVERYTHING, target=csv_bytes, fmt="csv")
        for haystack in (raw, values.encode(), csv_bytes.getvalue()):
            assert full_id.encode() not in haystack and full_phone.encode() not in haystack
        assert world.zhangsan.id_number_mask in values


def test_place_columns_with_and_without_unit_and_compound(tmp_path, world, scope1):
    building = of.place(world.K1, L.BUILDING, "2号楼", units=2, floors=6)
    unit = of.place(building, L.UNIT, "1单元")
    loose = of.place(world.C1, L.BUILDING, "散居5栋")  # stands in the 社区, in no 小区
    household = household_create(scope=scope1, place=unit, room="101")
    qian = person_create(scope=scope1, name="钱八", id_number=id_number(), place=unit, household=household, relation_to_head="本人")
    sun = person_create(scope=scope1, name="孙九", id_number=id_number(male=False), place=loose, phone="13900001111")
    rows = _export(residents_export, scope1, tmp_path)
    assert [r[0] for r in rows[1:]] == ["张三", "李四", "钱八", "王五", "孙九"]  # by place path
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["钱八"] == _resident(qian, "101", "本人", "群众", ("幸福社区", "幸福家园", "2号楼", "1单元"))
    assert by_name["钱八"][4] == ""  # no phone: blank
    assert by_name["孙九"] == _resident(sun, "", "", "群众", ("幸福社区", "", "散居5栋", ""))
    assert by_name["孙九"][4] == "139****1111"


def test_grid_scope_names_the_community_and_compound_above_it(tmp_path, world, scope_of):
    rows = _export(residents_export, scope_of(world.wangge1), tmp_path)
    assert [r[5:9] for r in rows[1:]] == [list(XINGFU_1)] * 2 + [["幸福社区", "老厂宿舍", "老厂1栋", ""]]


def test_each_scope_exports_only_its_own_residents(tmp_path, world, scope_of):
    names = {
        user: [r[0] for r in _export(residents_export, scope_of(getattr(world, user)), tmp_path, name=user)[1:]]
        for user in ("shequ1", "shequ2", "shequ3", "jiedao1", "quwei")
    }
    assert names == {
        "shequ1": ["张三", "李四", "王五"],
        "shequ2": ["赵六"],
        "shequ3": ["孙七"],
        "jiedao1": ["张三", "李四", "王五", "赵六"],
        "quwei": ["张三", "李四", "王五", "赵六", "孙七"],
    }
    assert _export(residents_export, NO_SCOPE, tmp_path) == [list(RESIDENTS.known)]


def test_residents_labels_parse_back_to_the_stored_values(tmp_path, world):
    Person.objects.filter(pk=world.lisi.pk).update(political_status="probationary")
    Person.objects.filter(pk=world.wangwu.pk).update(political_status="league", note="=1+1 不是公式")
    path = tmp_path / "r.xlsx"
    residents_export(scope=EVERYTHING, target=path)
    sheet = open_sheet(path, RESIDENTS)
    assert set(sheet.header.positions) == set(RESIDENTS.known) and sheet.header.ignored == ()
    for _number, row in sheet.rows:
        person = Person.objects.get(pk=row["系统编号"])
        assert N.political_status(row["政治面貌"]) == person.political_status
        assert N.gender(row["性别"]) == person.gender
        assert N.is_masked(row["公民身份号码"]) and N.is_masked(row["联系电话"])
        assert (row["备注"] or "") == person.note


# ---- party members -----------------------------------------------------------------------


def _member(member, category, joined, full, away, location, employer):
    p = member.person
    return [p.id_number_mask, p.name, member.organization.name, category, joined, full, away, location, employer, p.pk]


def test_members_values(tmp_path, world):
    # Two 报到 (one per 社区): the later one's employer is written, whatever the insertion order.
    for employer, community, on in (("市教育局", world.C1, dt.date(2024, 5, 1)), ("区财政局", world.C2, dt.date(2020, 1, 1))):
        CommunityCheckin.objects.create(
            member=world.m_zhangsan, employer=employer, employer_level=EmployerLevel.CITY, community=community, registered_on=on,
        )
    PartyMember.objects.filter(pk=world.m_zhaoliu.pk).update(
        category="probationary", joined_on=dt.date(2024, 3, 1), full_on=None, is_away=True, away_location="广东深圳",
    )
    world.m_zhaoliu.refresh_from_db()
    rows = _export(members_export, EVERYTHING, tmp_path)
    assert rows[0] == list(MEMBERS.known)
    assert rows[1:] == [  # by organisation path: 幸福家园, 和平里 (东风街道), 南山苑 (西山街道)
        _member(world.m_zhangsan, "正式", "2010-07-01", "2011-07-01", "否", "", "市教育局"),
        _member(world.m_zhaoliu, "预备", "2024-03-01", "", "是", "广东深圳", ""),
        _member(world.m_sunqi, "正式", "2010-07-01", "2011-07-01", "否", "", ""),
    ]
    assert world.m_zhaoliu.pk != world.zhaoliu.pk and rows[2][-1] == world.zhaoliu.pk  # the person's number
    for row, member in zip(rows[1:], (world.m_zhangsan, world.m_zhaoliu, world.m_sunqi)):
        assert N.category(row[3]) == member.category and N.date(row[4], "入党日期") == member.joined_on
        assert N.date(row[5], "转正日期") == member.full_on and N.yes_no(row[6]) == member.is_away


def test_members_in_scope_only(tmp_path, world, scope_of):
    names = {
        user: [r[1] for r in _export(members_export, scope_of(getattr(world, user)), tmp_path, name=user)[1:]]
        for user in ("shequ1", "shequ2", "zhibu1", "jiedao1", "nobody")
    }
    assert names == {"shequ1": ["张三"], "shequ2": ["赵六"], "zhibu1": ["张三"], "jiedao1": ["张三", "赵六"], "nobody": []}


def test_moved_out_persons_and_transferred_members_left_out(tmp_path, world):
    person_update(scope=EVERYTHING, person=world.wangwu, status=PersonStatus.MOVED_OUT)
    member_change_status(scope=EVERYTHING, member=world.m_zhaoliu, status=MemberStatus.TRANSFERRED_OUT, on=dt.date.today())
    residents = [r[0] for r in _export(residents_export, EVERYTHING, tmp_path, name="r")[1:]]
    members = [r[1] for r in _export(members_export, EVERYTHING, tmp_path, name="m")[1:]]
    assert residents == ["张三", "李四", "赵六", "孙七"]  # 赵六 still lives here; only his membership moved
    assert members == ["张三", "孙七"]


# ---- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("export", [residents_export, members_export])
def test_csv_has_a_bom_and_the_same_rows_as_xlsx(tmp_path, world, export):
    Person.objects.filter(pk=world.lisi.pk).update(note='说明,含逗号和"引号"')
    xlsx = _export(export, EVERYTHING, tmp_path)
    target = io.BytesIO()
    count = export(scope=EVERYTHING, target=target, fmt="csv")
    assert not target.closed  # a file object is the caller's: left open
    data = target.getvalue()
    assert data.startswith(b"\xef\xbb\xbf") and count == len(xlsx) - 1
    assert _csv(data) == [[str(v) for v in row] for row in xlsx]
    assert _csv(data) == _export(export, EVERYTHING, tmp_path, fmt="csv")  # to a path: the same


def test_xlsx_to_a_file_object(world):
    target = io.BytesIO()
    assert residents_export(scope=EVERYTHING, target=target) == 5
    target.seek(0)
    assert len(_xlsx(target)) == 6


def test_unknown_format_refused_before_any_query(world, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValueError):
        residents_export(scope=EVERYTHING, target=io.BytesIO(), fmt="xls")


def test_export_filename():
    day = dt.date(2026, 11, 27)
    assert export_filename("residents", "xlsx", day) == "居民-20261127.xlsx"
    assert export_filename("members", "csv", day) == "党员-20261127.csv"
    with pytest.raises(ValueError):
        export_filename("households", "xlsx", day)
    with pytest.raises(ValueError):
        export_filename("residents", "pdf", day)


# ---- queries -----------------------------------------------------------------------------


def _count_queries(export, scope, budget, assert_max):
    with assert_max(budget) as captured:
        count = export(scope=scope, target=io.BytesIO())
    return count, len(captured.captured_queries)


def test_query_count_does_not_grow_with_rows(world, scope1, django_assert_max_num_queries):
    small = [_count_queries(e, scope1, q, django_assert_max_num_queries) for e, q in ((residents_export, 2), (members_export, 1))]
    for i in range(27):
        person = PersonFactory(name=f"新居民{i:02d}", place=world.B1)
        member = PartyMemberFactory(person=person, organization=world.O_K1)
        CommunityCheckin.objects.create(member=member, employer=f"单位{i}", employer_level=EmployerLevel.OTHER, community=world.C1, registered_on=dt.date(2024, 1, 1))
    large = [_count_queries(e, scope1, q, django_assert_max_num_queries) for e, q in ((residents_export, 2), (members_export, 1))]
    assert [n for n, _q in small] == [3, 1] and [n for n, _q in large] == [30, 28]
    assert [q for _n, q in small] == [q for _n, q in large] == [2, 1]


def test_rows_are_streamed_in_chunks(world, monkeypatch):
    """The rows are a generator fed by .iterator(): a small chunk size still gives every row."""
    monkeypatch.setattr(exports, "CHUNK", 2)
    rows = exports._resident_rows(EVERYTHING)
    assert iter(rows) is rows and len(list(rows)) == 5
