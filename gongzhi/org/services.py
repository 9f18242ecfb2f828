"""Writes to the two trees. Every write is atomic and checked against the acting user's scope."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope

from .models import PLACE_PARENTS, Grid, OrgKind, PartyOrganization, Place, PlaceLevel


def place_create(*, scope: Scope, acting_user=None, parent: Place | None, level: str, name: str, code: str = "", **attrs) -> Place:
    """Add a place under `parent` (or a new 区 at the root), keeping the level rules."""
    allowed = PLACE_PARENTS[PlaceLevel(level)]
    parent_level = parent.level if parent else None
    if parent_level not in allowed:
        where = parent.get_level_display() if parent else _("顶层")
        raise ValidationError({"level": _("%(level)s不能直接设在%(parent)s之下。") % {"level": PlaceLevel(level).label, "parent": where}})
    if parent is not None:
        scope.require(parent)
    elif not scope.everything:
        raise ValidationError({"level": _("只有系统管理员可以新建顶层区划。")})
    place = Place(level=level, name=name, code=code, **attrs)
    place.full_clean(exclude=["path", "depth", "numchild"])
    place._history_user = acting_user
    with transaction.atomic():
        return Place.objects.add_child(parent, instance=place) if parent else Place.objects.add_root(instance=place)


def org_check_parent(kind: OrgKind, parent: PartyOrganization | None) -> None:
    if parent is None:
        if not kind.is_top:
            raise ValidationError({"parent": _("“%(kind)s”必须隶属于上级党组织。") % {"kind": kind.name}})
        return
    if not kind.allowed_parents.filter(pk=parent.kind_id).exists():
        names = _("、").join(kind.allowed_parents.values_list("name", flat=True)) or _("（无）")
        raise ValidationError({"parent": _("“%(kind)s”只能设在%(allowed)s之下，不能设在“%(parent)s”之下。") % {"kind": kind.name, "allowed": names, "parent": parent.kind.name}})


def organization_create(
    *, scope: Scope, acting_user=None, parent: PartyOrganization | None, kind: OrgKind, name: str, place: Place, covers=(), **attrs
) -> PartyOrganization:
    """Add a party organisation, keeping the level rules of its kind (data, see OrgKind)."""
    org_check_parent(kind, parent)
    scope.require(place)
    if parent is not None:
        scope.require(parent)
    if kind.place_level and place.level != kind.place_level:
        raise ValidationError({"place": _("“%(kind)s”应设在%(level)s一级，所选“%(place)s”是%(place_level)s。") % {
            "kind": kind.name, "level": PlaceLevel(kind.place_level).label, "place": place, "place_level": place.get_level_display(),
        }})
    for compound in covers:
        scope.require(compound)
        if compound.level != PlaceLevel.COMPOUND:
            raise ValidationError({"covers": _("覆盖范围只能是小区，“%(place)s”是%(level)s。") % {"place": compound, "level": compound.get_level_display()}})
    org = PartyOrganization(kind=kind, name=name, place=place, **attrs)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org._history_user = acting_user
    with transaction.atomic():
        org = PartyOrganization.objects.add_child(parent, instance=org) if parent else PartyOrganization.objects.add_root(instance=org)
        if covers:
            org.covers.set(covers)
    return org


PLACE_EDITABLE = ("name", "code", "property_manager", "competent_department", "has_self_organisation", "units", "floors")
ORG_EDITABLE = ("name", "founded_on", "secretary_name")


def _update(obj, editable, changes, acting_user, reason=""):
    """Set the editable fields, validate, save one new history version (who, when, why)."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该项不能在此修改。")})
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.full_clean(exclude=["path", "depth", "numchild"])
    obj._history_user = acting_user
    obj._change_reason = reason
    with transaction.atomic():
        obj.save()
    return obj


def place_update(*, scope: Scope, acting_user=None, place: Place, reason: str = "", **changes) -> Place:
    """Change a place's name, code or facts (not its level or position in the tree)."""
    scope.require(place)
    return _update(place, PLACE_EDITABLE, changes, acting_user, reason)


def organization_update(*, scope: Scope, acting_user=None, org: PartyOrganization, reason: str = "", **changes) -> PartyOrganization:
    """Change an organisation's name, founding date or secretary (not its kind or parent)."""
    scope.require(org)
    return _update(org, ORG_EDITABLE, changes, acting_user, reason)


def grid_create(*, scope: Scope, community: Place, code: str, name: str, buildings=()) -> Grid:
    """A grid inside one 社区; every building in it must lie in that 社区."""
    scope.require(community)
    if community.level != PlaceLevel.COMMUNITY:
        raise ValidationError({"community": _("网格必须设在社区一级。")})
    grid = Grid(community=community, code=code, name=name)
    grid.full_clean()
    with transaction.atomic():
        grid.save()
        grid_set_buildings(scope=scope, grid=grid, buildings=buildings)
    return grid


def grid_set_buildings(*, scope: Scope, grid: Grid, buildings) -> None:
    for building in buildings:
        if building.level != PlaceLevel.BUILDING or not building.path.startswith(grid.community.path):
            raise ValidationError({"buildings": _("“%(building)s”不是%(community)s内的楼栋，不能划入该网格。") % {"building": building, "community": grid.community}})
        scope.require(building)
    with transaction.atomic():
        Place.objects.filter(grid=grid).exclude(pk__in=[b.pk for b in buildings]).update(grid=None)
        Place.objects.filter(pk__in=[b.pk for b in buildings]).update(grid=grid)
