"""Reads of the party-organisation tree."""

from __future__ import annotations

from django.db.models import Count, Exists, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from gongzhi.core.scope import Scope

from ..models import PartyOrganization, Place, PlaceLevel
from .common import _child_prefix, _children_of, _covers_count, _parent_of, ancestors_with_visibility, visible
from .places import place_choices

def org_roots(*, scope: Scope) -> QuerySet:
    """The organisations in scope whose parent is not in scope (the tops of the user's forest)."""
    parent = _parent_of(PartyOrganization)
    qs = scope.filter(PartyOrganization.objects.all())
    if not scope.everything:
        qs = qs.exclude(Q(depth__gt=1) & Q(Exists(scope.filter(parent))))
    else:
        qs = qs.filter(depth=1)
    return qs.select_related("kind", "place").order_by("path")


def org_count(*, scope: Scope) -> int:
    """Party organisations of every kind in scope."""
    return scope.filter(PartyOrganization.objects.all()).count()


def org_get(*, scope: Scope, pk) -> PartyOrganization:
    """One organisation in scope, or Http404; `.place_visible` says if its place page answers."""
    qs = PartyOrganization.objects.select_related("kind", "place").annotate(place_visible=visible(scope, Place, "place_id"))
    return scope.get(qs, pk=pk)


def org_ancestors(*, scope: Scope, node: PartyOrganization) -> list[PartyOrganization]:
    return ancestors_with_visibility(scope=scope, node=node, model=PartyOrganization)


def org_covers(*, scope: Scope, org: PartyOrganization) -> QuerySet:
    """The 小区 an organisation covers (more than one: 联合建), each with `.visible`."""
    return org.covers.annotate(visible=visible(scope, Place)).order_by("path")


def org_children_with_totals(*, scope: Scope, node: PartyOrganization) -> list[PartyOrganization]:
    """The child organisations, each with `.subtree_members` and `.subtree_orgs` (itself included).

    Two queries: the children (kind, place, number of covered 小区), and one SUM of
    `member_count` over the strict descendants grouped by the child's path prefix.
    """
    children = list(
        scope.filter(_children_of(node, PartyOrganization))
        .select_related("kind", "place")
        .annotate(covers_n=_covers_count())
    )
    rows = (
        scope.filter(PartyOrganization.objects.filter(node.subtree_q(), depth__gt=node.depth))
        .annotate(child_path=_child_prefix(node, PartyOrganization))
        .order_by()
        .values("child_path")
        .annotate(members=Coalesce(Sum("member_count"), 0), orgs=Count("pk"))
    )
    by_path = {row["child_path"]: row for row in rows}
    for child in children:
        row = by_path.get(child.path, {})
        child.subtree_members = row.get("members", 0)
        child.subtree_orgs = row.get("orgs", 1) - 1
    return children


def org_members(*, scope: Scope, org: PartyOrganization) -> QuerySet:
    """Active members attached directly to `org`, person loaded. Every one may be opened: the
    person page answers for a member of an organisation in scope, wherever they live."""
    qs = org.members.filter(status="active").select_related("person")
    return scope.filter(qs).order_by("person__name", "pk")


def org_kind_choices(*, parent: PartyOrganization):
    """Kinds that may stand under `parent` (configuration data, not scoped)."""
    return parent.kind.allowed_children.order_by("order", "code")


def org_place_choices(*, scope: Scope, parent: PartyOrganization) -> QuerySet:
    """Places for a new child organisation: the parent's place and two levels below it."""
    return place_choices(scope=scope, root=parent.place, max_depth=parent.place.depth + 2)


def org_cover_choices(*, scope: Scope, parent: PartyOrganization) -> QuerySet:
    """小区 a new child organisation may cover: those under the parent's place."""
    return place_choices(scope=scope, root=parent.place, levels=[PlaceLevel.COMPOUND])
