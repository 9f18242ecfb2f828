"""The people pages: search, person, forms, households, members — scope, errors, privacy, query counts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core import pii
from gongzhi.people import services
from gongzhi.people.models import Household, Person
from gongzhi.people.tests.factories import HouseholdFactory, PartyMemberFactory, PersonFactory

SEARCH = reverse("people:search")
NEW = reverse("people:person_new")
VALID = "11010519491231002X"  # a woman born 1949-12-31


def person_url(p, name="people:person"):
    return reverse(name, args=[p.pk])


@pytest.fixture
def c1(client, world):
    client.force_login(world.shequ1)
    return client


def found(response) -> list[str]:
    """The names in the results table."""
    html = response.content.decode()
    table = html.split('class="data people-table"', 1)[1] if 'class="data people-table"' in html else ""
    return re.findall(r'<td><a href="/people/\d+/">([^<]+)</a>', table)


# ---------------------------------------------------------------- access


def test_pages_need_a_login(client, world):
    for url in (SEARCH, person_url(world.zhangsan), NEW, reverse("people:members"), reverse("people:household", args=[world.H1.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_out_of_scope_and_missing_are_404(c1, world):
    urls = [
        person_url(world.zhaoliu), person_url(world.sunqi), person_url(world.zhaoliu, "people:person_edit"),
        reverse("people:household", args=[world.H3.pk]), "/people/999999/", "/people/999999/edit/", "/households/999999/",
    ]
    for url in urls:
        assert c1.get(url).status_code == 404, url
    assert c1.post(person_url(world.zhaoliu, "people:person_edit"), {"name": "改名"}).status_code == 404
    world.zhaoliu.refresh_from_db()
    assert world.zhaoliu.name == "赵六"


def test_the_sibling_sees_its_own_and_not_ours(client, world):
    client.force_login(world.shequ2)
    assert client.get(person_url(world.zhaoliu)).status_code == 200
    assert client.get(person_url(world.zhangsan)).status_code == 404
    assert client.get(reverse("people:household", args=[world.H1.pk])).status_code == 404


# ---------------------------------------------------------------- search


def test_search_by_each_kind_of_key(c1, world):
    last4 = world.zhangsan.id_last4
    for q in ("13812345678", "１３８１２３４５６７８", last4, "zs", "张", "张三"):
        assert found(c1.get(SEARCH, {"q": q})) == ["张三"], q
    assert found(c1.get(SEARCH)) == ["张三", "李四", "王五"]


def test_search_scope(client, world):
    client.force_login(world.shequ1)
    for q in ("", "赵", "zl", world.zhaoliu.id_last4):
        assert "赵六" not in found(client.get(SEARCH, {"q": q})), q
    client.force_login(world.quwei)
    assert sorted(found(client.get(SEARCH))) == sorted(["张三", "李四", "王五", "赵六", "孙七"])


def test_search_filters_and_a_place_out_of_scope(c1, world):
    assert found(c1.get(SEARCH, {"place": world.K2.pk})) == ["王五"]
    assert c1.get(SEARCH, {"place": world.C2.pk}).status_code == 404  # like an object in the path
    assert c1.get(SEARCH, {"place": 999999}).status_code == 404
    assert "整数" in c1.get(SEARCH, {"place": "abc"}).content.decode()  # not an id: a field error
    assert found(c1.get(SEARCH, {"political_status": "league"})) == []
    assert found(c1.get(SEARCH, {"status": "resident", "q": "l"})) == ["李四"]


def test_search_htmx_answers_the_results_only(c1, world):
    response = c1.get(SEARCH, {"q": "zs"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and found(response) == ["张三"]
    assert "HX-Request" in response["Vary"]
    assert "HX-Push-Url" not in response
    full = c1.get(SEARCH, {"q": "zs"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in full.content.decode()


def test_search_by_phone_is_kept_out_of_browser_history_and_not_repeated(c1, world):
    response = c1.get(SEARCH, {"q": "13812345678"}, HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "false"
    assert "13812345678" not in response.content.decode()
    assert "138****5678" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_search_pages_with_a_capped_count(c1, world, settings):
    for i in range(25):
        PersonFactory(name=f"张{i:02d}", place=world.B1)
    page1 = c1.get(SEARCH, {"q": "张"})
    assert len(found(page1)) == 20 and "共 26 条，第 1 / 2 页" in page1.content.decode()
    page2 = c1.get(SEARCH, {"q": "张", "page": 2})
    assert len(found(page2)) == 6
    assert found(c1.get(SEARCH, {"q": "张", "page": 99})) == found(page2)


def test_search_over_the_cap_says_so(c1, world, monkeypatch):
    from gongzhi.core import pagination

    monkeypatch.setattr(pagination, "LIST_CAP", 2)
    html = c1.get(SEARCH).content.decode()
    assert "2+" in html and "结果超过 2 人" in html


# ---------------------------------------------------------------- person page


def test_person_page_shows_identity_household_membership(c1, world, scope_of):
    services.checkin_create(scope=scope_of(world.quwei), member=world.m_zhangsan, community=world.C1, employer="市直某局", employer_level="city", registered_on=dt.date(2024, 3, 1))
    html = c1.get(person_url(world.zhangsan)).content.decode()
    for text in ("张三", world.zhangsan.id_number_mask, "138****5678", "1975年3月8日", "幸福家园 1号楼 1-101", "李四", "配偶", "幸福家园党支部", "市直某局", "户主"):
        assert text in html, text
    assert reverse("org:org", args=[world.O_K1.pk]) in html
    # breadcrumbs: the street above the community is text, the community a link
    assert f'href="{reverse("org:place", args=[world.C1.pk])}"' in html
    assert f'href="{reverse("org:place", args=[world.S1.pk])}"' not in html and "东风街道" in html


def test_person_page_shows_the_change_history(c1, world):
    c1.post(person_url(world.wangwu, "people:person_edit"), edit_data(world.wangwu, phone="13911112222", note="新备注"))
    html = c1.get(person_url(world.wangwu)).content.decode()
    history = html.split('id="history"', 1)[1]
    assert "shequ1" in history and "修改" in history
    assert "139****2222" in history and "新备注" in history and "备注" in history


# ---------------------------------------------------------------- create


def create_data(world, **overrides):
    data = {"name": "周八", "id_number": VALID, "phone": "13900001111", "gender": "", "birth_date": "", "ethnicity": "汉族",
            "place": world.B1.pk, "household": "", "relation_to_head": "", "political_status": "masses", "note": ""}
    return data | overrides


def field_errors(response, field) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_create_page_lists_only_buildings_in_scope(c1, world):
    html = c1.get(NEW, {"place": world.B1.pk}).content.decode()
    assert "幸福家园 1号楼" in html and "和平里" not in html
    assert c1.get(NEW, {"place": world.B3.pk}).status_code == 404
    assert c1.get(NEW, {"household": world.H3.pk}).status_code == 404


def test_create_success_normalises_and_redirects_with_a_message(c1, world):
    response = c1.post(NEW + f"?place={world.B1.pk}", create_data(world, id_number="１１０１０５ １９４９１２３１ ００２ｘ", phone="１３９ ０００ ０１１１１", household=world.H1.pk, relation_to_head="租户"))
    person = Person.objects.get(name="周八")
    assert response.status_code == 302 and response["Location"] == person_url(person)
    assert (person.id_number_hash, person.id_last4, person.gender, person.birth_date) == (pii.blind_index(VALID), "002X", "F", dt.date(1949, 12, 31))
    assert person.household == world.H1 and person.history.get().history_user == world.shequ1
    page = c1.get(response["Location"])
    assert "已登记居民“周八”。" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "公民身份号码校验位错误：按前17位计算应为 X，实际为 1。"),
        ({"id_number": "11010519491231002"}, "id_number", "公民身份号码应为18位"),
        ({"gender": "M"}, "gender", "性别与公民身份号码不符：号码第17位表示女。"),
        ({"birth_date": "1950-01-01"}, "birth_date", "出生日期与公民身份号码不符：号码中为1949-12-31。"),
        ({"phone": "12345"}, "phone", "手机号码“12345”格式不正确"),
        ({"name": ""}, "name", "请填写姓名。"),
        ({"place": ""}, "place", "请选择居住楼栋/单元。"),
    ],
)
def test_create_errors_are_chinese_and_at_their_field(c1, world, overrides, field, message):
    response = c1.post(NEW, create_data(world, **overrides))
    assert response.status_code == 200
    assert any(message in e for e in field_errors(response, field)), response.context["form"].errors
    assert not Person.objects.filter(name="周八").exists()


def test_create_shows_every_field_error_at_once(c1, world):
    response = c1.post(NEW, create_data(world, id_number="110105194912310021", phone="12345", name=""))
    errors = response.context["form"].errors
    assert set(errors) >= {"id_number", "phone", "name"}


def test_create_duplicate_id_number(c1, world):
    response = c1.post(NEW, create_data(world, id_number=pii.decrypt(world.zhangsan.id_number_enc)))
    assert field_errors(response, "id_number") == ["该公民身份号码已在本辖区登记，不能重复登记。"]
    response = c1.post(NEW, create_data(world, id_number=pii.decrypt(world.zhaoliu.id_number_enc)))
    assert field_errors(response, "id_number") == ["该公民身份号码已在其他辖区登记，不能重复登记。"]


def test_create_in_a_building_out_of_scope(c1, world):
    response = c1.post(NEW, create_data(world, place=world.B3.pk))
    assert field_errors(response, "place") == ["所选楼栋不存在或不在您的管理范围内。"]
    response = c1.post(NEW, create_data(world, place=world.K1.pk))  # in scope, but a 小区
    assert field_errors(response, "place") == ["所选楼栋不存在或不在您的管理范围内。"]
    response = c1.post(NEW, create_data(world, household=world.H3.pk))
    assert field_errors(response, "household") == ["所选的户不存在或不在您的管理范围内。"]
    assert not Person.objects.filter(name="周八").exists()


def test_create_household_of_another_building(c1, world):
    response = c1.post(NEW, create_data(world, place=world.B2.pk, household=world.H1.pk))
    assert "与居住楼栋“老厂1栋”不一致" in field_errors(response, "household")[0]


def test_create_from_a_household_page_preselects_it(c1, world):
    html = c1.get(NEW, {"household": world.H1.pk}).content.decode()
    assert re.search(rf'<option value="{world.H1.pk}" selected>1-101</option>', html)


def test_household_options_for_the_chosen_building(c1, world):
    html = c1.get(reverse("people:household_options"), {"place": world.B1.pk}).content.decode()
    assert "1-101" in html
    assert c1.get(reverse("people:household_options"), {"place": world.B3.pk}).status_code == 404


# ---------------------------------------------------------------- edit


def edit_data(person, **overrides):
    data = {"name": person.name, "phone": "", "ethnicity": person.ethnicity, "place": person.place_id, "household": person.household_id or "",
            "relation_to_head": person.relation_to_head, "political_status": person.political_status, "status": person.status, "note": person.note}
    return data | overrides


def test_edit_page_never_holds_the_phone(c1, world):
    html = c1.get(person_url(world.zhangsan, "people:person_edit")).content.decode()
    assert "13812345678" not in html and "已登记 138****5678" in html
    assert 'value="张三"' in html


def test_edit_success(c1, world):
    response = c1.post(person_url(world.zhangsan, "people:person_edit"), edit_data(world.zhangsan, name="张叁", phone="13900002222"))
    assert response.status_code == 302 and response["Location"] == person_url(world.zhangsan)
    world.zhangsan.refresh_from_db()
    assert world.zhangsan.name == "张叁" and world.zhangsan.name_initials == "zs" and world.zhangsan.phone_mask == "139****2222"
    assert world.zhangsan.id_number_mask  # untouched
    assert "已保存“张叁”的修改。" in c1.get(response["Location"]).content.decode()


def test_edit_clear_phone_and_nothing_changed(c1, world):
    c1.post(person_url(world.zhangsan, "people:person_edit"), edit_data(world.zhangsan, clear_phone="on"))
    world.zhangsan.refresh_from_db()
    assert world.zhangsan.phone_mask == "" and world.zhangsan.phone_hash == ""
    before = world.lisi.history.count()
    response = c1.post(person_url(world.lisi, "people:person_edit"), edit_data(world.lisi), follow=True)
    assert "没有修改任何内容。" in response.content.decode() and world.lisi.history.count() == before


def test_edit_errors(c1, world):
    url = person_url(world.zhangsan, "people:person_edit")
    response = c1.post(url, edit_data(world.zhangsan, phone="12345"))
    assert "手机号码“12345”格式不正确" in field_errors(response, "phone")[0]
    response = c1.post(url, edit_data(world.zhangsan, place=world.B3.pk))
    assert field_errors(response, "place") == ["所选楼栋不存在或不在您的管理范围内。"]
    response = c1.post(url, edit_data(world.zhangsan, place=world.B2.pk))  # the household stays in B1
    assert "不一致" in field_errors(response, "household")[0]
    response = c1.post(url, edit_data(world.zhangsan, name=" "))
    assert field_errors(response, "name") == ["请填写姓名。"]
    world.zhangsan.refresh_from_db()
    assert (world.zhangsan.name, world.zhangsan.place_id) == ("张三", world.B1.pk)


# ---------------------------------------------------------------- households


def test_household_page(c1, world):
    html = c1.get(reverse("people:household", args=[world.H1.pk])).content.decode()
    for text in ("幸福家园 1号楼 1-101", "张三", "李四", "配偶", "138****5678", world.lisi.id_number_mask):
        assert text in html, text
    assert html.index("张三") < html.index("李四")


def test_household_create(c1, world):
    url = reverse("people:household_new") + f"?place={world.B2.pk}"
    html = c1.get(url).content.decode()
    assert "王五" in html
    response = c1.post(url, {"room": "１-２０１", "head": world.wangwu.pk})
    household = Household.objects.get(place=world.B2)
    assert response.status_code == 302 and response["Location"] == reverse("people:household", args=[household.pk])
    assert household.room == "1-201" and household.head == world.wangwu
    world.wangwu.refresh_from_db()
    assert world.wangwu.household == household and world.wangwu.relation_to_head == "本人"


def test_household_create_errors(c1, world):
    url = reverse("people:household_new") + f"?place={world.B1.pk}"
    response = c1.post(url, {"room": "1-101"})
    assert "已登记为一户" in field_errors(response, "room")[0]
    response = c1.post(url, {"room": ""})
    assert field_errors(response, "room") == ["请填写房号。"]
    response = c1.post(url, {"room": "3-301", "head": world.zhaoliu.pk})
    assert field_errors(response, "head") == ["所选户主不在本楼栋，或不在您的管理范围内。"]


def test_household_create_without_a_building_asks_for_one(c1, world):
    assert c1.get(reverse("people:household_new") + f"?place={world.B3.pk}").status_code == 404
    for query in ("", f"?place={world.C1.pk}", f"?place={world.K2.pk}"):
        response = c1.get(reverse("people:household_new") + query)
        html = response.content.decode()
        assert response.status_code == 200 and "选择楼栋" in html and "和平里" not in html, query
        assert f"?place={world.B1.pk}" in html
    assert c1.post(reverse("people:household_new") + f"?place={world.B3.pk}", {"room": "9"}).status_code == 404
    assert not Household.objects.filter(room="9").exists()


# ---------------------------------------------------------------- members


def test_members_list(client, world):
    client.force_login(world.quwei)
    members = reverse("people:members")
    html = client.get(members).content.decode()
    assert all(name in html for name in ("张三", "赵六", "孙七")) and "共" in html
    world.m_sunqi.is_away, world.m_sunqi.away_location, world.m_sunqi.away_reason = True, "深圳市南山区", "外出务工"
    world.m_sunqi.save()
    html = client.get(members, {"away": "1"}).content.decode()
    assert "孙七" in html and "深圳市南山区" in html and "外出务工" in html and "张三" not in html
    html = client.get(members, {"org": world.O_C2.pk}).content.decode()
    assert "赵六" in html and "张三" not in html
    html = client.get(members, {"category": "probationary"}).content.decode()
    assert "没有符合条件的党员" in html
    assert "2010-07-01" in client.get(members).content.decode()  # joined_on
    client.force_login(world.shequ1)
    html = client.get(members).content.decode()
    assert "张三" in html and "赵六" not in html
    assert client.get(members, {"org": world.O_C2.pk}).status_code == 404


def test_members_default_to_active(client, world):
    client.force_login(world.quwei)
    world.m_sunqi.status = "transferred_out"
    world.m_sunqi.save()
    assert "孙七" not in client.get(reverse("people:members")).content.decode()
    assert "孙七" in client.get(reverse("people:members"), {"status": ""}).content.decode()


# ---------------------------------------------------------------- privacy


def test_no_page_holds_a_plain_id_number_or_phone(client, world, scope_of):
    client.force_login(world.quwei)
    services.person_update(scope=scope_of(world.quwei), person=world.zhangsan, phone="13911112222")
    secrets = [pii.decrypt(p.id_number_enc) for p in Person.objects.all()] + [pii.decrypt(p.phone_enc) for p in Person.objects.exclude(phone_enc="")]
    secrets += ["13812345678"]  # 张三's phone before the change, kept in the history as a mask only
    urls = [SEARCH, SEARCH + "?q=zs", SEARCH + "?q=%E5%BC%A0", reverse("people:members"), NEW, NEW + f"?place={world.B1.pk}",
            reverse("people:household_new") + f"?place={world.B1.pk}", reverse("people:household_options") + f"?place={world.B1.pk}"]
    for p in Person.objects.all():
        urls += [person_url(p), person_url(p, "people:person_edit")]
    for h in Household.objects.all():
        urls.append(reverse("people:household", args=[h.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, (url, secret)


# ---------------------------------------------------------------- query counts


def _count(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(world, n=30):
    """More residents, households, members, 报到 and history in 张三's building and household."""
    from gongzhi.accounts.scopes import scope_for_user

    scope = scope_for_user(world.quwei)
    for i in range(n):
        household = HouseholdFactory(place=world.B1, room=f"8-{i:03d}")
        person = PersonFactory(name=f"张{i:03d}", place=world.B1, household=household if i % 2 else world.H1, relation_to_head="子女")
        if i % 3 == 0:
            PartyMemberFactory(person=person, organization=world.O_K1)
    for i in range(5):
        services.person_update(scope=scope, person=world.zhangsan, note=f"第{i}次")
    services.checkin_create(scope=scope, member=world.m_zhangsan, community=world.C1, employer="某局", employer_level="city", registered_on=dt.date(2024, 1, 1))


@pytest.mark.parametrize("query", ["", "?q=zs", "?q=%E5%BC%A0", "?q=13812345678", "?q=0038", "?political_status=masses&status=resident"])
def test_search_query_count_does_not_grow(c1, world, django_assert_max_num_queries, query):
    before = _count(c1, SEARCH + query)
    partial = _count(c1, SEARCH + query, HTTP_HX_REQUEST="true")
    _grow(world)
    with django_assert_max_num_queries(12):
        c1.get(SEARCH + query)
    assert _count(c1, SEARCH + query) == before
    assert _count(c1, SEARCH + query, HTTP_HX_REQUEST="true") == partial


def test_person_page_query_count_does_not_grow(c1, world, django_assert_max_num_queries):
    url = person_url(world.zhangsan)
    before = _count(c1, url)
    _grow(world)
    with django_assert_max_num_queries(16):
        c1.get(url)
    assert _count(c1, url) == before


def test_household_and_members_query_counts_do_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.quwei)
    urls = [reverse("people:household", args=[world.H1.pk]), reverse("people:members")]
    before = [_count(client, url) for url in urls]
    _grow(world)
    with django_assert_max_num_queries(12):
        client.get(urls[1])
    assert [_count(client, url) for url in urls] == before


def test_a_branch_secretary_reads_but_does_not_edit_a_member_living_elsewhere(client, world):
    PartyMemberFactory(person=world.wangwu, organization=world.O_K1)  # lives in K2, outside the branch's 小区
    client.force_login(world.zhibu1)
    html = client.get(person_url(world.wangwu)).content.decode()
    assert "王五" in html and person_url(world.wangwu, "people:person_edit") not in html
    assert client.get(person_url(world.wangwu, "people:person_edit")).status_code == 404
    assert person_url(world.zhangsan, "people:person_edit") in client.get(person_url(world.zhangsan)).content.decode()
