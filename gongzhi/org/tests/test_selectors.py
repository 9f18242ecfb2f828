"""Selectors of the tree pages on the hand-made world (conftest.py); totals computed by hand."""

import pytest
from django.http import Http404

from gongzhi.org import selectors
from gongzhi.org.models import NewOrganization, NewSector, PlaceLevel
from gongzhi.org.services import place_create
from gongzhi.people.services import place_counts_refresh
from gongzhi.people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def by_name(children):
    return {c.name: c for c in children}


def figures(totals):
    return (totals.residents, totals.households, totals.members, totals.compounds, totals.covered_compounds)


def test_children_totals_at_a_street(world, scope_of):
    scope = scope_of(world.jiedao1)
    children = by_name(selectors.place_children_with_totals(scope=scope, node=world.S1))
    assert list(children) == ["幸福社区", "和平社区"]
    assert figures(children["幸福社区"].totals) == (3, 1, 1, 2, 1)  # 张三 李四 王五; H1; 张三; K1 K2; K1
    assert figures(children["和平社区"].totals) == (1, 1, 1, 1, 1)  # 赵六; H3; 赵六; K3; K3
    assert figures(world.S1.totals) == (4, 2, 2, 3, 2)
    assert world.S1.totals.coverage == (2, 3, pytest.approx(2 / 3))


def test_children_totals_include_the_child_itself_and_units(world, scope_of):
    scope = scope_of(world.shequ1)
    unit = place_create(scope=scope, parent=world.B1, level=PlaceLevel.UNIT, name="1单元")
    PersonFactory(name="周八", place=unit)
    HouseholdFactory(place=unit, room="1-201")
    place_counts_refresh([unit.pk])
    children = by_name(selectors.place_children_with_totals(scope=scope, node=world.K1))
    assert figures(children["1号楼"].totals) == (3, 2, 1, 0, 0)  # B1's own 2 residents + 周八 on its unit


def test_compound_coverage(world, scope_of):
    assert selectors.compound_coverage(scope=scope_of(world.jiedao1), node=world.S1) == (2, 3, pytest.approx(2 / 3))
    assert selectors.compound_coverage(scope=scope_of(world.shequ1)) == (1, 2, 0.5)
    assert selectors.compound_coverage(scope=scope_of(world.quwei)) == (3, 4, 0.75)
    assert selectors.compound_coverage(scope=scope_of(world.wangge1)) == (0, 0, None)  # no 小区 in a grid worker's scope


def test_a_joint_branch_covers_each_compound_once(world, scope_of):
    world.O_K1.covers.add(world.K2)  # 幸福家园党支部 becomes 联合建 for K1 and K2
    scope = scope_of(world.shequ1)
    assert selectors.compound_coverage(scope=scope) == (2, 2, 1.0)
    [org] = selectors.covering_organizations(scope=scope, compound=world.K2)
    assert org == world.O_K1 and org.covers_n == 2


def test_scope_totals(world, scope_of):
    assert figures(selectors.scope_totals(scope=scope_of(world.shequ1))) == (3, 1, 1, 2, 1)
    assert figures(selectors.scope_totals(scope=scope_of(world.quwei))) == (5, 2, 3, 4, 3)
    assert figures(selectors.scope_totals(scope=scope_of(world.nobody))) == (0, 0, 0, 0, 0)


def test_place_get_is_404_outside_scope(world, scope_of):
    scope = scope_of(world.shequ1)
    assert selectors.place_get(scope=scope, pk=world.K1.pk) == world.K1
    for node in (world.C2, world.K3, world.B3, world.S1):
        with pytest.raises(Http404):
            selectors.place_get(scope=scope, pk=node.pk)


def test_ancestors_above_the_scope_are_not_visible(world, scope_of):
    ancestors = selectors.place_ancestors(scope=scope_of(world.shequ1), node=world.B1)
    assert [(a.name, a.visible) for a in ancestors] == [("示范区", False), ("东风街道", False), ("幸福社区", True), ("幸福家园", True)]


def test_place_roots(world, scope_of):
    assert list(selectors.place_roots(scope=scope_of(world.shequ1))) == [world.C1]
    assert list(selectors.place_roots(scope=scope_of(world.wangge1))) == [world.B1, world.B2]
    assert list(selectors.place_roots(scope=scope_of(world.quwei))) == [world.D]
    assert list(selectors.place_roots(scope=scope_of(world.nobody))) == []


def test_org_roots(world, scope_of):
    assert list(selectors.org_roots(scope=scope_of(world.shequ1))) == [world.O_C1]
    assert list(selectors.org_roots(scope=scope_of(world.jiedao1))) == [world.O_S1]
    assert list(selectors.org_roots(scope=scope_of(world.quwei))) == [world.O_S1, world.O_S2]
    assert list(selectors.org_roots(scope=scope_of(world.zhibu1))) == [world.O_K1]
    assert list(selectors.org_roots(scope=scope_of(world.nobody))) == []


def test_org_children_with_subtree_members(world, scope_of):
    children = by_name(selectors.org_children_with_totals(scope=scope_of(world.jiedao1), node=world.O_S1))
    assert [(c.subtree_members, c.subtree_orgs, c.covers_n) for c in children.values()] == [(1, 1, 0), (1, 1, 0)]
    [branch] = selectors.org_children_with_totals(scope=scope_of(world.shequ1), node=world.O_C1)
    assert (branch.name, branch.subtree_members, branch.covers_n) == ("幸福家园党支部", 1, 1)


def test_org_members_and_get(world, scope_of):
    scope = scope_of(world.shequ1)
    [member] = selectors.org_members(scope=scope, org=world.O_K1)
    assert member.person.name == "张三"
    with pytest.raises(Http404):
        selectors.org_get(scope=scope, pk=world.O_C2.pk)
    assert selectors.org_get(scope=scope, pk=world.O_C1.pk).place_visible


def test_org_ancestors_and_covers(world, scope_of):
    scope = scope_of(world.zhibu1)
    assert [(a.name, a.visible) for a in selectors.org_ancestors(scope=scope, node=world.O_K1)] == [("东风街道党工委", False), ("幸福社区党委", False)]
    assert [(p.name, p.visible) for p in selectors.org_covers(scope=scope, org=world.O_K1)] == [("幸福家园", True)]


def test_grid_totals_and_staff(world, scope_of):
    scope = scope_of(world.shequ1)
    [grid] = selectors.grid_list_with_totals(scope=scope, community=world.C1)
    assert grid.totals == {"buildings": 2, "households": 1, "residents": 3, "members": 1}
    assert selectors.grid_totals(scope=scope_of(world.wangge1), grid=world.G1)["residents"] == 3
    assert [g.user.username for g in selectors.grid_staff(scope=scope, grid=world.G1)] == ["wangge1"]
    with pytest.raises(Http404):
        selectors.grid_get(scope=scope, pk=world.G2.pk)


def test_grid_totals_count_residents_on_units(world, scope_of):
    scope = scope_of(world.shequ1)
    unit = place_create(scope=scope, parent=world.B2, level=PlaceLevel.UNIT, name="1单元")
    PersonFactory(name="周八", place=unit)
    place_counts_refresh([unit.pk])
    assert selectors.grid_totals(scope=scope, grid=world.G1)["residents"] == 4
    assert selectors.grid_totals(scope=scope, grid=world.G1)["buildings"] == 2


def _new_org(name, sector, place, party_org=None, work=False):
    return NewOrganization.objects.create(name=name, sector=NewSector.objects.get(code=sector), place=place, party_org=party_org, has_party_work=work)


def test_new_org_coverage_by_sector(world, scope_of):
    _new_org("幸福大厦", "office_building", world.C1, party_org=world.O_C1)
    _new_org("创业园", "office_building", world.K1, work=True)
    _new_org("幸福市场", "market", world.C1)
    _new_org("和平律所", "law_firm", world.C2, party_org=world.O_C2)
    total = selectors.new_org_coverage(scope=scope_of(world.shequ1))
    assert (total.total, total.org_covered, total.work_covered) == (3, 1, 2)
    assert total.organisation == (1, 3, pytest.approx(1 / 3)) and total.work == (2, 3, pytest.approx(2 / 3))
    rows = {r.sector.code: r for r in selectors.new_org_coverage(scope=scope_of(world.shequ1), by_sector=True)}
    assert (rows["office_building"].total, rows["office_building"].org_covered, rows["office_building"].work_covered) == (2, 1, 2)
    assert rows["law_firm"].total == 0 and rows["law_firm"].organisation.rate is None
    street = selectors.new_org_coverage(scope=scope_of(world.jiedao1), node=world.C2)
    assert (street.total, street.org_covered) == (1, 1)
    assert [o.name for o in selectors.new_org_list(scope=scope_of(world.shequ1), sector="market")] == ["幸福市场"]
