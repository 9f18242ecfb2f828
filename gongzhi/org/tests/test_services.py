import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gongzhi.org.models import OrgKind, PartyOrganization, Place, PlaceLevel
from gongzhi.org.services import grid_create, organization_create, place_create


def test_place_level_rules(world, scope_of):
    s = scope_of(world.shequ1)
    k = place_create(scope=s, parent=world.C1, level=PlaceLevel.COMPOUND, name="新建小区")
    assert Place.objects.get_parent(k) == world.C1 and k.depth == 4
    with pytest.raises(ValidationError) as e:
        place_create(scope=s, parent=world.C1, level=PlaceLevel.STREET, name="错层")
    assert "街道不能直接设在社区之下" in str(e.value)
    b = place_create(scope=s, parent=world.C1, level=PlaceLevel.BUILDING, name="散居1栋")  # 散居楼栋 directly in a 社区
    assert b.level == PlaceLevel.BUILDING


def test_place_create_outside_scope_is_404(world, scope_of):
    with pytest.raises(Http404):
        place_create(scope=scope_of(world.shequ1), parent=world.C2, level=PlaceLevel.COMPOUND, name="越权小区")
    assert not Place.objects.filter(name="越权小区").exists()


def test_place_code_length_is_checked(world, scope_of):
    with pytest.raises(ValidationError) as e:
        place_create(scope=scope_of(world.jiedao1), parent=world.S1, level=PlaceLevel.COMMUNITY, name="码错社区", code="4103050010")
    assert "12位" in str(e.value)


def test_org_kind_rules_come_from_data(world, scope_of):
    s = scope_of(world.shequ1)
    group = OrgKind.objects.get(code="party_group")
    branch = OrgKind.objects.get(code="compound_branch")
    with pytest.raises(ValidationError) as e:
        organization_create(scope=s, parent=world.O_C1, kind=group, name="越级党小组", place=world.B1)
    assert "只能设在" in str(e.value)
    # Allow it in the data, and the same call succeeds: the rule is configuration.
    group.allowed_parents.add(world.O_C1.kind)
    org = organization_create(scope=s, parent=world.O_C1, kind=group, name="越级党小组", place=world.B1)
    assert PartyOrganization.objects.get_parent(org) == world.O_C1
    with pytest.raises(ValidationError) as e:
        organization_create(scope=s, parent=world.O_C1, kind=branch, name="联合支部", place=world.C1, covers=[world.K2])
    assert "应设在小区一级" in str(e.value)
    joint = organization_create(scope=s, parent=world.O_C1, kind=branch, name="联合支部", place=world.K2, covers=[world.K2, world.K1])
    assert joint.covers.count() == 2


def test_grid_buildings_must_lie_in_its_community(world, scope_of):
    s = scope_of(world.jiedao1)
    with pytest.raises(ValidationError) as e:
        grid_create(scope=s, community=world.C1, code="X-1", name="跨社区网格", buildings=[world.B3])
    assert "不是幸福社区内的楼栋" in str(e.value)
