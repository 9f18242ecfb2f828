"""Units of the dashboard: the default unit of each user, units outside the grants (404), and the
tree around a unit (children for the drill-down, ancestors for the breadcrumbs)."""

import pytest
from django.http import Http404

from gongzhi.reports.units import ancestors, children, unit_for


def test_default_unit_per_user(world, scope_of):
    w = world
    assert unit_for(scope_of(w.quwei)).place == w.D
    assert unit_for(scope_of(w.jiedao1)).place == w.S1
    assert unit_for(scope_of(w.shequ1)).place == w.C1
    assert unit_for(scope_of(w.shequ2)).place == w.C2
    branch = unit_for(scope_of(w.zhibu1))
    assert branch.organization == w.O_K1 and branch.place is None and branch.query == {"org": str(w.O_K1.pk)}
    grid = unit_for(scope_of(w.wangge1))  # a grid grant is neither one place nor one organisation: the whole scope
    assert grid.node is None and grid.query == {}


def test_a_unit_inside_the_grants(world, scope_of):
    w = world
    unit = unit_for(scope_of(w.shequ1), place=str(w.K1.pk))
    assert unit.place == w.K1 and unit.label == "幸福家园" and unit.query == {"place": str(w.K1.pk)}
    assert unit_for(scope_of(w.quwei), org=w.O_C2.pk).organization == w.O_C2  # the district admin may choose any organisation


@pytest.mark.parametrize("user, asked", [
    ("shequ1", {"place": "C2"}),  # the sibling community
    ("shequ1", {"place": "S1"}),  # above the grant
    ("shequ1", {"org": "O_C1"}),  # a place grant does not reach organisations as units
    ("jiedao1", {"place": "S2"}),
    ("zhibu1", {"org": "O_K3"}),
    ("zhibu1", {"org": "O_C1"}),  # the branch's parent
    ("shequ1", {"place": "not-a-number"}),
    ("shequ1", {"place": "999999"}),
])
def test_a_unit_outside_the_grants_is_404(world, scope_of, user, asked):
    key, name = next(iter(asked.items()))
    pk = getattr(world, name).pk if hasattr(world, name) else name
    with pytest.raises(Http404):
        unit_for(scope_of(getattr(world, user)), **{key: pk})


def test_children_down_to_the_compounds(world, scope_of):
    w = world
    scope = scope_of(w.quwei)
    district = unit_for(scope)
    assert [c.place for c in children(district)] == [w.S1, w.S2]
    assert [c.place for c in children(unit_for(scope, place=w.C1.pk))] == [w.K1, w.K2]
    assert children(unit_for(scope, place=w.K1.pk)) == []  # no drilling into buildings
    assert [c.organization for c in children(unit_for(scope, org=w.O_S1.pk))] == [w.O_C1, w.O_C2]
    assert children(unit_for(scope_of(w.wangge1))) == []


def test_a_childs_scope_sees_only_its_subtree(world, scope_of):
    from gongzhi.org.models import Place

    w = world
    c1, c2 = children(unit_for(scope_of(w.quwei), place=w.S1.pk))
    assert set(c1.scope.filter(Place.objects.all())) == {w.C1, w.K1, w.K2, w.B1, w.B2}
    assert w.K3 in set(c2.scope.filter(Place.objects.all()))


def test_ancestors_only_those_the_user_may_choose(world, scope_of):
    w = world
    assert [a.place for a in ancestors(scope_of(w.quwei), unit_for(scope_of(w.quwei), place=w.K1.pk))] == [w.D, w.S1, w.C1]
    assert [a.place for a in ancestors(scope_of(w.shequ1), unit_for(scope_of(w.shequ1), place=w.K1.pk))] == [w.C1]
    assert ancestors(scope_of(w.shequ1), unit_for(scope_of(w.shequ1))) == []
    assert [a.organization for a in ancestors(scope_of(w.quwei), unit_for(scope_of(w.quwei), org=w.O_K1.pk))] == [w.O_S1, w.O_C1]
