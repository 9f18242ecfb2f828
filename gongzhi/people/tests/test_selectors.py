"""The people selectors: search keys, scope, the steered plans, lists, history."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404

from gongzhi.core import pii
from gongzhi.core.pagination import capped_count
from gongzhi.people import selectors, services
from gongzhi.people.models import PersonStatus
from gongzhi.people.selectors import SearchKey, search_key
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory


def names(qs):
    return [p.name for p in qs]


# ---------------------------------------------------------------- the search box


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("13812345678", "phone", "13812345678"),
        ("１３８ １２３４ ５６７８", "phone", "13812345678"),
        ("+86 138-1234-5678", "phone", "13812345678"),
        ("002x", "id_last4", "002X"),
        ("００３８", "id_last4", "0038"),
        ("11010519491231002x", "id_number", "11010519491231002X"),
        ("zs", "initials", "zs"),
        ("ZS ", "initials", "zs"),
        ("张", "name", "张"),
        (" 张 三 ", "name", "张三"),
        ("123", "name", "123"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_search_key_is_decided_by_the_shape(typed, kind, value):
    assert search_key(typed) == SearchKey(kind, value)


def test_search_key_shows_personal_numbers_masked():
    assert search_key("13812345678").shown == "138****5678"
    assert search_key("11010519491231002x").shown == "110105********002X"
    assert search_key("zs").shown == "zs"


@pytest.fixture
def s1(world, scope_of):
    return scope_of(world.shequ1)


def test_search_by_each_kind_of_key(world, s1):
    last4 = world.zhangsan.id_last4
    for q in ("13812345678", "138 1234 5678", last4, last4.lower(), "zs", "ZS", "张", "张三", pii.decrypt(world.zhangsan.id_number_enc)):
        assert names(selectors.person_search(scope=s1, q=q)) == ["张三"], q
    assert names(selectors.person_search(scope=s1, q="l")) == ["李四"]
    assert names(selectors.person_search(scope=s1, q="13800000000")) == []
    assert names(selectors.person_search(scope=s1, q="张四")) == []


def test_search_never_decrypts(world, s1, monkeypatch):
    monkeypatch.setattr(pii, "decrypt", lambda token: pytest.fail("search decrypted a column"))
    assert names(selectors.person_search(scope=s1, q="13812345678")) == ["张三"]


def test_a_community_never_finds_the_sibling_community(world, s1):
    zhaoliu = world.zhaoliu
    for q in ("", "赵", "赵六", "zl", zhaoliu.id_last4, pii.decrypt(zhaoliu.id_number_enc)):
        assert "赵六" not in names(selectors.person_search(scope=s1, q=q)), q
    assert names(selectors.person_search(scope=s1)) == ["张三", "李四", "王五"]


def test_the_district_finds_all_five(world, scope_of):
    quwei = scope_of(world.quwei)
    assert sorted(names(selectors.person_search(scope=quwei))) == sorted(["张三", "李四", "王五", "赵六", "孙七"])
    assert names(selectors.person_search(scope=quwei, q="赵")) == ["赵六"]


def test_no_grant_finds_nobody(world, scope_of):
    assert not selectors.person_search(scope=scope_of(world.nobody)).exists()


def test_filters_place_subtree_political_status_and_status(world, scope_of):
    quwei = scope_of(world.quwei)
    assert names(selectors.person_search(scope=quwei, place=world.K2)) == ["王五"]
    assert names(selectors.person_search(scope=quwei, place=world.S1)) == ["张三", "李四", "王五", "赵六"]
    assert names(selectors.person_search(scope=quwei, place=world.B1, q="l")) == ["李四"]
    world.wangwu.political_status = "league"
    world.wangwu.save()
    assert names(selectors.person_search(scope=quwei, political_status="league")) == ["王五"]
    world.sunqi.status = PersonStatus.MOVED_OUT
    world.sunqi.save()
    assert names(selectors.person_search(scope=quwei, status="moved_out")) == ["孙七"]
    # a place outside the scope gives nothing, not the place's residents
    assert names(selectors.person_search(scope=scope_of(world.shequ1), place=world.C2)) == []


def test_name_order_and_initials_order(world, scope_of):
    quwei = scope_of(world.quwei)
    for name in ("张三丰", "张一", "章三"):
        PersonFactory(name=name, place=world.B1)
    assert names(selectors.person_search(scope=quwei, q="张")) == ["张一", "张三", "张三丰"]
    # initials: zs (张三, 章三) before zsf (张三丰); within the same initials, by name
    assert names(selectors.person_search(scope=quwei, q="zs")) == ["张三", "章三", "张三丰"]


def steer(monkeypatch, from_index: bool) -> None:
    monkeypatch.setattr(selectors.SearchSizes, "page_from_index", lambda self, offset=0: from_index)
    monkeypatch.setattr(selectors.SearchSizes, "count_from_key", lambda self, cap=1000: from_index)


@pytest.mark.parametrize("from_index", [True, False])
@pytest.mark.parametrize("q", ["", "张", "zs", "l"])
def test_both_plans_give_the_same_rows(world, scope_of, monkeypatch, from_index, q):
    for name in ("张三丰", "张一", "李五", "刘六"):
        PersonFactory(name=name, place=world.B1)
    scope = scope_of(world.jiedao1)
    expected = names(selectors.person_search(scope=scope, q=q))
    steer(monkeypatch, from_index)
    assert names(selectors.person_search(scope=scope, q=q)) == expected
    assert capped_count(selectors.person_search(scope=scope, q=q, for_count=True)) == len(expected)


def sizes(n_scope, n_key=None, share=1.0, total=1_000_000):
    return selectors.SearchSizes(n_scope=n_scope, total=total, n_key=n_key or total, share=share)


def test_plan_for_a_page():
    million, rare = 1_000_000, selectors.RARE_SHARE
    assert sizes(million).page_from_index()  # the district, no key: walk the name index
    assert sizes(100_000).page_from_index()  # a street
    assert sizes(10_000).page_from_index()  # a 社区, first page: walking ~2,100 rows beats sorting 10,000
    assert not sizes(10_000).page_from_index(offset=980)  # a 社区, page 50: scan and sort
    assert not sizes(120, 20_000).page_from_index()  # one building
    assert sizes(million, 600).page_from_index()  # "zsy" across the district
    assert sizes(million, share=0.05).page_from_index()  # 中共党员 across the district
    assert not sizes(million, share=rare).page_from_index()  # a rare status: scan, never walk a million rows
    assert not sizes(100_000, share=rare).page_from_index()


def test_plan_for_a_count():
    million = 1_000_000
    assert not sizes(million).count_from_key()  # no key: only the scope can drive it
    assert sizes(million, 70_000).count_from_key()  # "张" across the district: 1,001 rows of the name index
    assert not sizes(10_000, 70_000).count_from_key()  # "张" in a 社区: its 10,000 residents
    assert sizes(10_000, 600).count_from_key()  # "zsy" in a 社区: 600 rows of the initials index
    assert selectors.SearchSizes(n_scope=0, total=1, n_key=1).count_from_key() in (True, False)  # no counters yet


def test_filter_shares():
    assert selectors._filter_share("", "") == 1.0
    assert selectors._filter_share("member", "resident") == 0.05
    assert selectors._filter_share("democratic", "") == selectors.RARE_SHARE
    assert selectors._filter_share("", "deceased") == selectors.RARE_SHARE


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")


def query_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


@sqlite_only
def test_query_plans_use_the_indexes(world, scope_of, monkeypatch):
    quwei = scope_of(world.jiedao1)  # a street: its scope cuts by path (a district admin's covers everything and cuts nothing)
    assert "person_phone_hash" in query_plan(selectors.person_search(scope=quwei, q="13812345678"))
    assert "person_id_last4" in query_plan(selectors.person_search(scope=quwei, q="0038"))
    steer(monkeypatch, True)
    walk = query_plan(selectors.person_search(scope=quwei, q="张")[:21])
    assert "USING INDEX person_name " in walk and "TEMP B-TREE" not in walk
    walk = query_plan(selectors.person_search(scope=quwei)[:21])
    assert "USING INDEX person_name " in walk and "TEMP B-TREE" not in walk
    walk = query_plan(selectors.person_search(scope=quwei, q="zs")[:21])
    assert "USING INDEX person_initials_name" in walk and "TEMP B-TREE" not in walk  # no sort at all
    steer(monkeypatch, False)
    scan = query_plan(selectors.person_search(scope=quwei, q="张")[:21])
    assert "org_place" in scan.split(" | ")[0] and "(path>? AND path<?)" in scan and "person_name " not in scan
    assert " LIKE " not in str(selectors.person_search(scope=quwei, q="张").query)


# ---------------------------------------------------------------- details


def test_person_get_is_404_for_missing_and_out_of_scope(world, s1):
    assert selectors.person_get(scope=s1, pk=world.zhangsan.pk) == world.zhangsan
    for pk in (world.zhaoliu.pk, world.sunqi.pk, 999999, "x"):
        with pytest.raises(Http404):
            selectors.person_get(scope=s1, pk=pk)


def test_a_branch_secretary_opens_members_living_outside_the_covered_compound(world, scope_of):
    PartyMemberFactory(person=world.wangwu, organization=world.O_K1)  # lives in K2, member of the K1 branch
    assert selectors.person_get(scope=scope_of(world.zhibu1), pk=world.wangwu.pk) == world.wangwu
    with pytest.raises(Http404):
        selectors.person_get(scope=scope_of(world.zhibu1), pk=world.zhaoliu.pk)
    with pytest.raises(Http404):
        selectors.person_get(scope=scope_of(world.shequ2), pk=world.wangwu.pk)


def test_household_get_and_members_head_first(world, s1, scope_of):
    household = selectors.household_get(scope=s1, pk=world.H1.pk)
    assert names(selectors.household_members(scope=s1, household=household)) == ["张三", "李四"]
    world.H1.head = world.lisi
    world.H1.save()
    assert names(selectors.household_members(scope=s1, household=world.H1)) == ["李四", "张三"]
    with pytest.raises(Http404):
        selectors.household_get(scope=s1, pk=world.H3.pk)
    assert selectors.household_get(scope=scope_of(world.jiedao1), pk=world.H3.pk) == world.H3


def test_member_list_scope_and_filters(world, scope_of):
    quwei, s1 = scope_of(world.quwei), scope_of(world.shequ1)
    assert [m.person.name for m in selectors.member_list(scope=s1)] == ["张三"]
    assert sorted(m.person.name for m in selectors.member_list(scope=quwei)) == ["孙七", "张三", "赵六"]
    assert [m.person.name for m in selectors.member_list(scope=quwei, organization=world.O_C2)] == ["赵六"]
    assert [m.person.name for m in selectors.member_list(scope=quwei, organization=world.O_S1)] == ["张三", "赵六"]
    world.m_sunqi.is_away, world.m_sunqi.away_location = True, "深圳"
    world.m_sunqi.save()
    assert [m.person.name for m in selectors.member_list(scope=quwei, is_away=True)] == ["孙七"]
    assert len(selectors.member_list(scope=quwei, is_away=False)) == 2
    world.m_zhaoliu.category, world.m_zhaoliu.status = "probationary", "transferred_out"
    world.m_zhaoliu.save()
    assert [m.person.name for m in selectors.member_list(scope=quwei, category="probationary")] == ["赵六"]
    assert [m.person.name for m in selectors.member_list(scope=quwei, status="transferred_out")] == ["赵六"]
    assert len(selectors.member_list(scope=quwei, status="active")) == 2
    assert [m.person.name for m in selectors.member_list(scope=scope_of(world.zhibu1))] == ["张三"]


def test_place_labels_give_community_and_address(world):
    labels = selectors.place_labels([world.B1, world.B3])
    assert labels[world.B1.pk] == ("幸福社区", "幸福家园 1号楼")
    assert labels[world.B3.pk] == ("和平社区", "和平里 3号楼")


def test_residence_choices_around_a_place_and_in_scope(world, s1, scope_of):
    assert [label for _, label in selectors.residence_choices(scope=s1)] == ["幸福家园 1号楼", "老厂宿舍 老厂1栋"]
    assert [label for _, label in selectors.residence_choices(scope=s1, near=world.B1)] == ["幸福家园 1号楼", "老厂宿舍 老厂1栋"]
    # past the cap: the buildings of the 小区 around `near`, or under it
    quwei = scope_of(world.quwei)
    assert [label for _, label in selectors.residence_choices(scope=quwei, near=world.B1, cap=3)] == ["幸福家园 1号楼"]
    assert [label for _, label in selectors.residence_choices(scope=quwei, near=world.C1, cap=3)] == ["幸福家园 1号楼", "老厂宿舍 老厂1栋"]
    assert selectors.residence_choices(scope=quwei, cap=3) == []  # too many: ask for a 小区 first
    assert [label for _, label in selectors.residence_choices(scope=s1, near=world.B3)] == ["幸福家园 1号楼", "老厂宿舍 老厂1栋"]


def test_filter_choices_are_in_scope(world, s1):
    assert [p.name for p in selectors.place_filter_choices(scope=s1)] == ["幸福社区", "幸福家园", "老厂宿舍"]
    assert [o.name for o in selectors.organization_filter_choices(scope=s1)] == ["幸福社区党委", "幸福家园党支部"]


# ---------------------------------------------------------------- history


def test_person_history_lists_changed_fields_without_encrypted_columns(world, s1):
    person = services.person_create(scope=s1, acting_user=world.shequ1, name="周八", id_number="11010519491231002X", place=world.B1, phone="13900001111")
    services.person_update(scope=s1, acting_user=world.quwei, person=person, phone="13900002222", note="搬家", place=world.B2)
    entries = selectors.person_history(scope=s1, person=person)
    assert [e.kind for e in entries] == ["修改", "新建"]
    assert entries[0].who == world.quwei and entries[1].who == world.shequ1
    changes = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert changes == {"联系电话": ("139****1111", "139****2222"), "居住楼栋/单元": ("1号楼", "老厂1栋"), "备注": ("（空）", "搬家")}
    text = repr(entries)
    assert "13900002222" not in text and "11010519491231002X" not in text


def test_person_history_of_a_bulk_loaded_person_says_the_earlier_version_is_missing(world, s1):
    world.wangwu.history.all().delete()  # as after a bulk import
    services.person_update(scope=s1, person=world.wangwu, note="x")
    (entry,) = selectors.person_history(scope=s1, person=world.wangwu)
    assert entry.earlier_missing and entry.changes == []


def test_person_history_is_limited(world, s1):
    for i in range(5):
        services.person_update(scope=s1, person=world.wangwu, note=f"第{i}次")
    entries = selectors.person_history(scope=s1, person=world.wangwu, limit=3)
    assert len(entries) == 3 and not entries[-1].earlier_missing
    assert [c.new for c in entries[0].changes] == ["第4次"]


def test_checkins_are_scoped(world, scope_of):
    services.checkin_create(scope=scope_of(world.quwei), member=world.m_zhangsan, community=world.C1, employer="市直某局", employer_level="city", registered_on=dt.date(2024, 3, 1))
    services.checkin_create(scope=scope_of(world.quwei), member=world.m_zhangsan, community=world.C3, employer="市直某局", employer_level="city", registered_on=dt.date(2024, 4, 1))
    assert [c.community.name for c in selectors.member_checkins(scope=scope_of(world.shequ1), member=world.m_zhangsan)] == ["幸福社区"]
    assert len(selectors.member_checkins(scope=scope_of(world.quwei), member=world.m_zhangsan)) == 2


def test_filter_choices_drop_the_lowest_levels_past_the_cap(world, scope_of):
    quwei = scope_of(world.quwei)
    assert len(selectors.place_filter_choices(scope=quwei)) == 10  # 区, 2 街道, 3 社区, 4 小区
    assert [p.name for p in selectors.place_filter_choices(scope=quwei, cap=6)] == ["示范区", "东风街道", "幸福社区", "和平社区", "西山街道", "南山社区"]
    assert [p.name for p in selectors.place_filter_choices(scope=quwei, cap=1)] == ["示范区"]


def test_search_sizes_read_the_places_counters(world, scope_of):
    sizes = selectors.search_sizes(scope=scope_of(world.shequ1), q="张")
    assert (sizes.n_scope, sizes.total, sizes.n_key, sizes.share) == (3, 5, 1, 1.0)
    assert selectors.search_sizes(scope=scope_of(world.quwei), place=world.B1).n_scope == 2
    assert selectors.search_sizes(scope=scope_of(world.quwei), status="deceased").share == selectors.RARE_SHARE
    assert selectors.search_sizes(scope=scope_of(world.shequ1), q="13812345678") is None
    assert selectors.search_sizes(scope=scope_of(world.nobody), q="张") is None


def test_a_resident_is_identified_by_name_and_id_number_within_their_community(world):
    from gongzhi.core import pii
    from gongzhi.people.models import Person, PersonStatus
    from gongzhi.people.selectors import resident_identify

    from .factories import PersonFactory, id_number

    number = id_number(male=False)
    chen = PersonFactory(name="陈一", place=world.B2, id_plain=number)  # 老厂宿舍 in 幸福社区 (C1)
    assert resident_identify(community=world.C1, name="陈一", id_number=number) == chen
    # typed loosely: spaces and a lower-case x are the same number
    if number.endswith("X"):
        assert resident_identify(community=world.C1, name=" 陈一 ", id_number=number.lower()) == chen
    assert resident_identify(community=world.C1, name="陈一", id_number=f" {number[:6]} {number[6:]} ") == chen
    assert resident_identify(community=world.C1, name="陈二", id_number=number) is None  # another name
    assert resident_identify(community=world.C2, name="陈一", id_number=number) is None  # lives in another 社区
    assert resident_identify(community=world.C1, name="陈一", id_number=number[:-1]) is None  # not an ID number
    assert resident_identify(community=world.C1, name="陈一", id_number=id_number()) is None  # someone else's
    Person.objects.filter(pk=chen.pk).update(status=PersonStatus.MOVED_OUT)
    assert resident_identify(community=world.C1, name="陈一", id_number=number) is None  # moved out
    assert chen.id_number_hash == pii.blind_index(number)
