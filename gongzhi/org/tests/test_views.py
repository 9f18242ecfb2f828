"""The tree pages as staff users see them: content, scope (404), add-child forms, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.org.models import PartyOrganization, Place, PlaceLevel
from gongzhi.org.tests import factories as of
from gongzhi.people.services import counts_refresh_all
from gongzhi.people.tests.factories import HouseholdFactory, PartyMemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"org:{name}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- scope: 404 for another 社区


@pytest.mark.parametrize(
    "name, node",
    [
        ("place", "C2"), ("place", "K3"), ("place", "B3"), ("place", "S1"), ("place_children", "C2"),
        ("place_create", "C2"), ("grid", "G2"), ("org", "O_C2"), ("org", "O_K3"), ("org", "O_S1"),
        ("org_children", "O_C2"), ("org_create", "O_C2"),
    ],
)
def test_other_community_is_404(client, world, name, node):
    response = as_user(client, world.shequ1).get(url(name, getattr(world, node).pk))
    assert response.status_code == 404


def test_missing_is_404_too(client, world):
    as_user(client, world.shequ1)
    assert client.get(url("place", 999999)).status_code == 404
    assert client.get(url("org", 999999)).status_code == 404


def test_pages_need_login(client, world):
    response = client.get(url("place", world.C1.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_out_of_scope_post_creates_nothing(client, world):
    as_user(client, world.shequ1).post(url("place_create", world.C2.pk), {"level": "compound", "name": "越权小区"})
    assert not Place.objects.filter(name="越权小区").exists()


# ---------------------------------------------------------------- place tree


def test_places_redirects_to_the_single_root(client, world):
    response = as_user(client, world.shequ1).get(url("places"))
    assert response.status_code == 302 and response["Location"] == url("place", world.C1.pk)


def test_places_lists_several_roots(client, world):
    response = as_user(client, world.wangge1).get(url("places"))
    assert response.status_code == 200
    assert [(p.name, p.parent_name) for p in response.context["roots"]] == [("1号楼", "幸福家园"), ("老厂1栋", "老厂宿舍")]
    assert url("grid", world.G1.pk) in response.content.decode()


def test_places_without_grants_says_so(client, world):
    response = as_user(client, world.nobody).get(url("places"))
    assert response.status_code == 200 and "联系区委组织部管理员" in response.content.decode()


def test_street_page_children_totals(client, world):
    response = as_user(client, world.jiedao1).get(url("place", world.S1.pk))
    assert response.status_code == 200
    rows = {c.name: c.totals for c in response.context["children"]}
    assert (rows["幸福社区"].residents, rows["幸福社区"].households, rows["幸福社区"].members) == (3, 1, 1)
    assert (rows["和平社区"].residents, rows["和平社区"].households, rows["和平社区"].members) == (1, 1, 1)
    html = response.content.decode()
    assert "66.7%" in html  # 小区党组织覆盖率 of S1: K1, K3 of K1, K2, K3
    assert "2 / 3" in html
    assert "50.0%" in html and "100.0%" in html  # 幸福社区 1/2, 和平社区 1/1


def test_breadcrumbs_above_scope_are_plain_text(client, world):
    html = as_user(client, world.shequ1).get(url("place", world.B1.pk)).content.decode()
    assert '<span class="outside" title="超出您的管理范围">东风街道</span>' in html
    assert url("place", world.S1.pk) not in html
    assert f'<a href="{url("place", world.C1.pk)}">幸福社区</a>' in html


def test_community_page_lists_grids(client, world):
    response = as_user(client, world.shequ1).get(url("place", world.C1.pk))
    html = response.content.decode()
    assert "幸福第一网格" in html and url("grid", world.G1.pk) in html
    assert "和平第一网格" not in html


def test_compound_page_facts(client, world):
    html = as_user(client, world.shequ1).get(url("place", world.K2.pk)).content.decode()
    assert "三无小区" in html and "尚未建立党组织" in html
    html = client.get(url("place", world.K1.pk)).content.decode()
    assert "安居物业" in html and "幸福家园党支部" in html and "单独建" in html


def test_building_page_lists_households(client, world):
    response = as_user(client, world.shequ1).get(url("place", world.B1.pk))
    html = response.content.decode()
    assert "1-101" in html and "张三" in html and "幸福第一网格" in html
    [household] = response.context["households"].rows
    assert household.size == 2
    assert reverse("people:household", args=[world.H1.pk]) in html


def test_place_pages_link_to_the_people_pages(client, world):
    as_user(client, world.shequ1)
    html = client.get(url("place", world.B1.pk)).content.decode()
    for name in ("people:person_new", "people:household_new", "people:search"):
        assert f'href="{reverse(name)}?place={world.B1.pk}"' in html, name
    html = client.get(url("place", world.C1.pk)).content.decode()
    assert f'href="{reverse("people:search")}?place={world.C1.pk}"' in html and reverse("people:person_new") not in html


def test_children_partial_for_htmx(client, world):
    response = as_user(client, world.jiedao1).get(url("place_children", world.C1.pk) + f"?base={world.C1.depth}&compounds=1")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "幸福家园" in html and "老厂宿舍" in html and "--indent: 1" in html
    assert "50.0%" not in html and "100.0%" in html and "&amp;compounds=1" in html  # K1 covered; the page's columns kept


def test_add_child_place(client, world):
    response = as_user(client, world.shequ1).post(url("place_create", world.C1.pk), {"level": "compound", "name": "新建小区", "property_manager": "新物业"})
    assert response.status_code == 302 and response["Location"] == url("place", world.C1.pk)
    place = Place.objects.get(name="新建小区")
    assert place.level == PlaceLevel.COMPOUND and place.property_manager == "新物业"
    assert Place.objects.get_parent(place) == world.C1


def test_add_child_place_errors_at_the_field(client, world):
    response = as_user(client, world.jiedao1).post(url("place_create", world.S1.pk), {"level": "community", "name": "码错社区", "code": "4103050010"})
    assert response.status_code == 200
    assert "社区的区划代码应为12位数字。" in response.context["form"].errors["code"]
    assert "社区的区划代码应为12位数字。" in response.content.decode()
    response = client.post(url("place_create", world.S1.pk), {"level": "community", "name": ""})
    assert response.context["form"].errors["name"] == ["这个字段是必填项。"]
    response = client.post(url("place_create", world.S1.pk), {"level": "building", "name": "错层"})
    assert "选择一个有效的选项" in response.context["form"].errors["level"][0]
    assert not Place.objects.filter(name__in=["码错社区", "错层"]).exists()


# ---------------------------------------------------------------- grids


def test_grid_page(client, world):
    response = as_user(client, world.wangge1).get(url("grid", world.G1.pk))
    assert response.status_code == 200
    assert response.context["totals"] == {"buildings": 2, "households": 1, "residents": 3, "members": 1}
    html = response.content.decode()
    assert "网格员" in html and "wangge1" in html and "1号楼" in html and "老厂1栋" in html
    assert url("place", world.C1.pk) not in html  # the grid worker cannot open the 社区 page


# ---------------------------------------------------------------- party organisations


def test_orgs_redirects_or_lists(client, world):
    response = as_user(client, world.shequ1).get(url("orgs"))
    assert response["Location"] == url("org", world.O_C1.pk)
    response = as_user(client, world.quwei).get(url("orgs"))
    assert [o.name for o in response.context["roots"]] == ["东风街道党工委", "西山街道党工委"]


def test_org_page(client, world):
    response = as_user(client, world.jiedao1).get(url("org", world.O_S1.pk))
    assert response.status_code == 200
    children = {c.name: c.subtree_members for c in response.context["children"]}
    assert children == {"幸福社区党委": 1, "和平社区党委": 1}
    assert response.context["subtree_members"] == 2
    html = as_user(client, world.shequ1).get(url("org", world.O_K1.pk)).content.decode()
    assert "小区党支部" in html and "幸福家园" in html and "张三" in html and "单独建" in html


def test_org_page_links_its_members_and_the_member_list(client, world):
    PartyMemberFactory(person=world.wangwu, organization=world.O_K1)  # lives in K2, outside the branch's 小区
    counts_refresh_all()
    html = as_user(client, world.zhibu1).get(url("org", world.O_K1.pk)).content.decode()
    assert f'href="{reverse("people:members")}?org={world.O_K1.pk}"' in html
    person = reverse("people:person", args=[world.wangwu.pk])
    assert f'href="{person}"' in html and client.get(person).status_code == 200


def test_org_page_shows_joint_branch(client, world):
    world.O_K1.covers.add(world.K2)
    html = as_user(client, world.shequ1).get(url("org", world.O_K1.pk)).content.decode()
    assert "联合建" in html and "老厂宿舍" in html


def test_org_children_partial(client, world):
    html = as_user(client, world.jiedao1).get(url("org_children", world.O_C1.pk)).content.decode()
    assert "幸福家园党支部" in html and "<html" not in html


def test_add_child_org(client, world):
    data = {"kind": world.O_K1.kind.pk, "name": "老厂宿舍党支部", "place": world.K2.pk, "covers": [world.K2.pk], "secretary_name": "钱九"}
    response = as_user(client, world.shequ1).post(url("org_create", world.O_C1.pk), data)
    assert response.status_code == 302
    org = PartyOrganization.objects.get(name="老厂宿舍党支部")
    assert PartyOrganization.objects.get_parent(org) == world.O_C1 and list(org.covers.all()) == [world.K2]
    page = client.get(url("place", world.C1.pk))
    assert "100.0%" in page.content.decode()  # 幸福社区 now has both 小区 covered


def test_add_child_org_errors_at_the_field(client, world):
    as_user(client, world.shequ1)
    data = {"kind": world.O_K1.kind.pk, "name": "错层支部", "place": world.C1.pk}
    response = client.post(url("org_create", world.O_C1.pk), data)
    assert response.status_code == 200
    [error] = response.context["form"].errors["place"]
    assert "应设在小区一级" in error and error in response.content.decode()
    data = {"kind": world.O_K1.kind.pk, "name": "越权支部", "place": world.K3.pk}  # a 小区 of another 社区
    response = client.post(url("org_create", world.O_C1.pk), data)
    assert "选择一个有效的选项" in response.context["form"].errors["place"][0]
    assert not PartyOrganization.objects.filter(name__in=["错层支部", "越权支部"]).exists()


def test_org_form_choices_are_scoped(client, world):
    form = as_user(client, world.shequ1).get(url("org_create", world.O_C1.pk)).context["form"]
    assert {p.name for p in form.fields["covers"].queryset} == {"幸福家园", "老厂宿舍"}
    assert world.K3 not in form.fields["place"].queryset
    assert [k.code for k in form.fields["kind"].queryset] == ["compound_branch", "new_branch"]  # OrgKind data


# ---------------------------------------------------------------- 两新组织


def test_new_orgs_page(client, world):
    from gongzhi.org.models import NewOrganization, NewSector

    market = NewSector.objects.get(code="market")
    NewOrganization.objects.create(name="幸福市场", sector=market, place=world.C1, party_org=world.O_C1)
    NewOrganization.objects.create(name="和平市场", sector=market, place=world.C2)
    response = as_user(client, world.shequ1).get(url("new_orgs"))
    html = response.content.decode()
    assert "幸福市场" in html and "和平市场" not in html and "100.0%" in html
    response = client.get(url("new_orgs") + "?sector=law_firm")
    assert "幸福市场" not in response.content.decode()


# ---------------------------------------------------------------- query counts do not grow with the data


def grow(world):
    """Add a street with communities, 小区, buildings, residents and branches."""
    street = of.place(world.D, PlaceLevel.STREET, "新区街道")
    street_org = of.org("street_committee", street, name="新区街道党工委")
    for c in range(3):
        community = of.place(street, PlaceLevel.COMMUNITY, f"新区{c}社区")
        community_org = of.org("community_committee", community, street_org)
        of.grid(community, code=f"NEW-{c}")
        for k in range(3):
            compound = of.place(community, PlaceLevel.COMPOUND, f"新区{c}-{k}小区")
            branch = of.org("compound_branch", compound, community_org, covers=[compound])
            for b in range(2):
                building = of.place(compound, PlaceLevel.BUILDING, f"{b + 1}号楼")
                household = HouseholdFactory(place=building)
                person = PersonFactory(place=building, household=household)
                PersonFactory(place=building, household=household)
                PartyMemberFactory(person=person, organization=branch)
    for k in range(4):  # more children and residents under 幸福社区 too
        compound = of.place(world.C1, PlaceLevel.COMPOUND, f"幸福新{k}小区")
        building = of.place(compound, PlaceLevel.BUILDING, "1号楼")
        PartyMemberFactory(person=PersonFactory(place=building), organization=world.O_K1)
    counts_refresh_all()


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "user, page",
    [("quwei", ("place", "D")), ("shequ1", ("place", "C1")), ("jiedao1", ("org", "O_S1")), ("quwei", ("org", "O_S1")), ("shequ1", ("org", "O_K1"))],
)
def test_query_count_does_not_grow(client, world, user, page, django_assert_max_num_queries):
    as_user(client, getattr(world, user))
    path = url(page[0], getattr(world, page[1]).pk)
    before = count_queries(client, path)
    grow(world)
    after = count_queries(client, path)
    assert after == before
    with django_assert_max_num_queries(16):
        client.get(path)


def test_home_and_lists_query_count_does_not_grow(client, world):
    as_user(client, world.quwei)
    paths = [reverse("web:home"), url("new_orgs"), url("orgs"), url("grid", world.G1.pk)]
    before = [count_queries(client, p) for p in paths]
    grow(world)
    assert [count_queries(client, p) for p in paths] == before
