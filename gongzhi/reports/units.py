"""Units of the dashboard and the report: a part of the district (区, 街道, 社区, 小区) or a party
organisation (党委, 支部 …), each turned into a `Scope` of its own so that every indicator — a thin
call of its module's selectors, all of which take a scope — computes for it unchanged.

A place unit is what a grant on that place would see; an organisation unit what a grant on that
organisation would (its subtree, and the 小区 it covers). A user may choose a unit only inside
their own grants: a place under one of their granted places, an organisation under one of their
granted organisations (a district admin whose places cover the tree may choose any). So a unit's
scope never reaches beyond the user's. Anything else is a 404, like every object out of scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import covers_every_root
from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel
from gongzhi.org.selectors import org_get, place_get

DRILL_LEVELS = (PlaceLevel.DISTRICT, PlaceLevel.STREET, PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND)


@dataclass(frozen=True)
class Unit:
    scope: Scope
    label: str
    place: Place | None = None
    organization: PartyOrganization | None = None

    @property
    def query(self) -> dict[str, str]:
        """The unit as query parameters (`place=` or `org=`; none for the user's whole scope)."""
        if self.place is not None:
            return {"place": str(self.place.pk)}
        if self.organization is not None:
            return {"org": str(self.organization.pk)}
        return {}

    @property
    def node(self):
        return self.place or self.organization

    @property
    def level_label(self) -> str:
        if self.place is not None:
            return self.place.get_level_display()
        if self.organization is not None:
            return str(self.organization.kind)
        return _("全部")


def _under(path: str, prefixes) -> bool:
    return any(path.startswith(p) for p in prefixes)


def place_unit(place: Place) -> Unit:
    """The place's subtree; the root of a one-root tree is the whole tree, as for a user granted
    it (`whole_tree`: queries need no cut, the same rows)."""
    whole = place.depth == 1 and covers_every_root([place.path])
    return Unit(Scope.of(place_paths=[place.path], labels=[place.name], whole_tree=whole), place.name, place=place)


def org_unit(org: PartyOrganization) -> Unit:
    covers = list(org.covers.values_list("path", flat=True))
    return Unit(Scope.of(org_paths=[org.path], place_paths=covers, labels=[org.name]), org.name, organization=org)


def unit_for(scope: Scope, *, place=None, org=None) -> Unit:
    """The unit the user asked for (`place` or `org`: a primary key from the query string), or
    their default unit: the one place or organisation they are granted, else their whole scope."""
    unrestricted = scope.everything or scope.whole_tree
    if place not in (None, ""):
        node = place_get(scope=scope, pk=place)
        if not (unrestricted or _under(node.path, scope.place_paths)):
            raise Http404(_("不存在或无权查看。"))
        return place_unit(node)
    if org not in (None, ""):
        node = org_get(scope=scope, pk=org)
        if not (unrestricted or _under(node.path, scope.org_paths)):
            raise Http404(_("不存在或无权查看。"))
        return org_unit(node)
    if unrestricted:
        roots = list(Place.objects.filter(depth=1)[:2])
        if len(roots) == 1:
            return place_unit(roots[0])
        return Unit(scope, _("全部"))
    if len(scope.place_paths) == 1 and not scope.org_paths:
        return place_unit(Place.objects.get(path=scope.place_paths[0]))
    if len(scope.org_paths) == 1 and not scope.grid_ids:
        return org_unit(PartyOrganization.objects.get(path=scope.org_paths[0]))
    return Unit(scope, "、".join(scope.labels) or _("我的范围"))


def children(unit: Unit) -> list[Unit]:
    """The units one level down, for the drill-down: a place's streets, communities or 小区 (down
    to 小区), an organisation's child organisations; none below."""
    if unit.place is not None:
        if unit.place.level not in DRILL_LEVELS[:-1]:
            return []
        below = Place.objects.filter(unit.place.subtree_q(), depth=unit.place.depth + 1, level__in=DRILL_LEVELS)
        return [place_unit(p) for p in below.order_by("path")]
    if unit.organization is not None:
        below = PartyOrganization.objects.filter(unit.organization.subtree_q(), depth=unit.organization.depth + 1)
        return [org_unit(o) for o in below.select_related("kind").prefetch_related("covers").order_by("path")]
    return []


def ancestors(scope: Scope, unit: Unit) -> list[Unit]:
    """The units above this one that the user may choose (for the breadcrumbs), root first."""
    unrestricted = scope.everything or scope.whole_tree
    if unit.place is not None:
        above = Place.objects.filter(path__in=ancestor_paths(unit.place.path, Place.steplen, include_self=False)).order_by("depth")
        return [place_unit(p) for p in above if unrestricted or _under(p.path, scope.place_paths)]
    if unit.organization is not None:
        above = PartyOrganization.objects.filter(path__in=ancestor_paths(unit.organization.path, PartyOrganization.steplen, include_self=False))
        return [org_unit(o) for o in above.order_by("depth") if unrestricted or _under(o.path, scope.org_paths)]
    return []
