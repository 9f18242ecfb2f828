"""The scope rule on the hand-made world (see conftest.py): siblings never see each other."""

import pytest
from django.http import Http404

from gongzhi.core.scope import Scope
from gongzhi.org.models import Grid, NewOrganization, PartyOrganization, Place
from gongzhi.people.models import Household, PartyMember, Person


def names(qs):
    return sorted(str(o) for o in qs)


def test_minimal_prefixes_drop_nested_paths():
    s = Scope.of(place_paths=["0001", "00010002", "0002", "0001"])
    assert s.place_paths == ("0001", "0002")


def test_community_worker_sees_own_community_only(world, scope_of):
    s1 = scope_of(world.shequ1)
    assert names(s1.filter(Person.objects.all())) == ["张三", "李四", "王五"]
    assert names(s1.filter(Place.objects.filter(level="compound"))) == ["幸福家园", "老厂宿舍"]
    assert names(s1.filter(PartyOrganization.objects.all())) == ["幸福家园党支部", "幸福社区党委"]
    assert names(s1.filter(PartyMember.objects.all())) == ["张三"]
    assert names(s1.filter(Household.objects.all())) == [str(world.H1)]
    assert names(s1.filter(Grid.objects.all())) == [str(world.G1)]


def test_sibling_communities_are_disjoint_and_parent_sees_both(world, scope_of):
    s1, s2, street = scope_of(world.shequ1), scope_of(world.shequ2), scope_of(world.jiedao1)
    for model in (Person, Place, PartyOrganization, PartyMember, Household, Grid):
        a = set(s1.filter(model.objects.all()).values_list("pk", flat=True))
        b = set(s2.filter(model.objects.all()).values_list("pk", flat=True))
        both = set(street.filter(model.objects.all()).values_list("pk", flat=True))
        assert not a & b, model
        assert a | b <= both, model
    assert names(street.filter(Person.objects.all())) == ["张三", "李四", "王五", "赵六"]
    assert names(scope_of(world.quwei).filter(Person.objects.all())) == ["孙七", "张三", "李四", "王五", "赵六"]


def test_grid_worker_sees_the_grid_buildings_and_the_grid(world, scope_of):
    s = scope_of(world.wangge1)
    assert names(s.filter(Person.objects.all())) == ["张三", "李四", "王五"]
    assert names(s.filter(Grid.objects.all())) == [str(world.G1)]
    assert names(s.filter(Place.objects.all())) == ["1号楼", "老厂1栋"]


def test_branch_secretary_sees_branch_and_covered_compound(world, scope_of):
    s = scope_of(world.zhibu1)
    assert names(s.filter(PartyOrganization.objects.all())) == ["幸福家园党支部"]
    assert names(s.filter(PartyMember.objects.all())) == ["张三"]
    assert names(s.filter(Person.objects.all())) == ["张三", "李四"]


def test_user_without_grants_sees_nothing(world, scope_of):
    s = scope_of(world.nobody)
    assert s.is_empty
    for model in (Person, Place, PartyOrganization, PartyMember, Household, Grid, NewOrganization):
        assert not s.filter(model.objects.all()).exists()


def test_get_out_of_scope_is_404_like_missing(world, scope_of):
    s1 = scope_of(world.shequ1)
    assert s1.get(Person.objects.all(), pk=world.zhangsan.pk) == world.zhangsan
    with pytest.raises(Http404):
        s1.get(Person.objects.all(), pk=world.zhaoliu.pk)
    with pytest.raises(Http404):
        s1.get(Person.objects.all(), pk=999999)
    with pytest.raises(Http404):
        s1.get(Person.objects.all(), pk="not-a-number")


def test_unscoped_model_refuses_to_be_filtered(world, scope_of):
    from gongzhi.org.models import OrgKind

    with pytest.raises(TypeError):
        scope_of(world.shequ1).filter(OrgKind.objects.all())
