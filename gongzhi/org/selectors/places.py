"""Reads of the place tree and the grids."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, Length, Substr

from gongzhi.core.scope import Scope

from ..models import PLACE_PARENTS, THREE_NO_Q, Grid, Place, PlaceLevel
from .common import (
    Coverage,
    Totals,
    _child_prefix,
    _children_of,
    _covered_compound_q,
    _covers_count,
    _parent_of,
    _totals_aggregates,
    ancestors_with_visibility,
)

def place_roots(*, scope: Scope) -> QuerySet:
    """The topmost places the user may see (the nodes of their grants), `.parent_name` loaded."""
    qs = Place.objects.filter(depth=1) if scope.everything else Place.objects.filter(path__in=scope.place_paths)
    return scope.filter(qs.annotate(parent_name=_parent_name())).order_by("path")


def place_get(*, scope: Scope, pk) -> Place:
    """One place in scope, or Http404."""
    return scope.get(Place.objects.select_related("grid"), pk=pk)


def place_ancestors(*, scope: Scope, node: Place, include_self: bool = False) -> list[Place]:
    return ancestors_with_visibility(scope=scope, node=node, model=Place, include_self=include_self)


def place_totals(*, scope: Scope, node: Place) -> Totals:
    """Residents, households, members, 小区 and covered 小区 in the whole subtree of `node`."""
    row = scope.filter(Place.objects.filter(node.subtree_q())).aggregate(**_totals_aggregates())
    return Totals(**row)


def place_children_with_totals(*, scope: Scope, node: Place) -> list[Place]:
    """The children of `node`, each with `.totals` for its whole subtree (itself included).

    Two queries whatever the size of the subtree: the children, and one SUM over the subtree
    of `node` grouped by the child's path prefix. The same query gives the node's own figures
    (its row groups under its own, shorter path), so `node.totals` is set too.
    """
    children = list(scope.filter(_children_of(node, Place)).select_related("grid"))
    rows = (
        scope.filter(Place.objects.filter(node.subtree_q()))
        .annotate(child_path=_child_prefix(node, Place))
        .order_by()
        .values("child_path")
        .annotate(**_totals_aggregates())
    )
    by_path = {row.pop("child_path"): Totals(**row) for row in rows}
    node.totals = Totals()
    for totals in by_path.values():
        node.totals.add(totals)
    for child in children:
        child.totals = by_path.get(child.path, Totals())
    return children


def place_children_levels(node: Place | None) -> list[str]:
    """Levels that may be added directly under `node` (the administrative geography)."""
    parent_level = node.level if node else None
    return [level for level, parents in PLACE_PARENTS.items() if parent_level in parents]


def compound_coverage(*, scope: Scope, node: Place | None = None) -> Coverage:
    """小区党组织覆盖率 = 被 covers_compounds 类党组织覆盖的小区数 ÷ 小区总数.

    Counted in the subtree of `node`, or in the whole scope when `node` is None. A 联合建
    branch covering several 小区 counts each of them once.
    """
    qs = scope.filter(Place.objects.filter(level=PlaceLevel.COMPOUND))
    if node is not None:
        qs = qs.filter(node.subtree_q())
    row = qs.aggregate(total=Count("pk"), covered=Count("pk", filter=_covered_compound_q()))
    return Coverage.of(row["covered"], row["total"])


def compounds_with_coverage(*, scope: Scope) -> QuerySet:
    """Every 小区 in scope by tree order, each with `.covered` (a covers_compounds organisation
    covers it): the rows of 小区党组织覆盖率, one query."""
    qs = scope.filter(Place.objects.filter(level=PlaceLevel.COMPOUND))
    return qs.annotate(covered=_covered_compound_q()).only("path", "name", "level").order_by("path")


def place_counts(*, scope: Scope) -> dict[str, int]:
    """社区, 小区 and 三无小区 (no property management, no competent department, no residents'
    self-organisation) in scope: one query."""
    return scope.filter(Place.objects.filter(level__in=[PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND])).aggregate(
        communities=Count("pk", filter=Q(level=PlaceLevel.COMMUNITY)),
        compounds=Count("pk", filter=Q(level=PlaceLevel.COMPOUND)),
        three_no=Count("pk", filter=THREE_NO_Q),
    )


def covering_organizations(*, scope: Scope, compound: Place) -> QuerySet:
    """Organisations covering a 小区, each with `.covers_n` (> 1: 联合建; 1: 单独建)."""
    qs = compound.covering_organizations.select_related("kind").annotate(covers_n=_covers_count())
    return scope.filter(qs).order_by("path")


def place_households(*, scope: Scope, node: Place) -> QuerySet:
    """Households registered in the subtree of a 楼栋 (on it or on its 单元), head loaded, `.size` =
    residents in it. The size is a correlated subquery, so the paginator's COUNT leaves it out."""
    household = node.households.model
    person = household._meta.get_field("members").related_model
    residents = (
        person.objects.filter(household_id=OuterRef("pk"), status="resident")
        .order_by()
        .values("household_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = household.objects.filter(node.subtree_q("place__path")).select_related("head", "place")
    qs = qs.annotate(size=Coalesce(Subquery(residents, output_field=IntegerField()), 0))
    # Rooms in natural order within a 楼栋 or 单元 ("1-101" before "1-1002"): shorter labels first.
    return scope.filter(qs).order_by("place__path", Length("room"), "room")


def scope_totals(*, scope: Scope) -> Totals:
    """The figures of everything the user may see (the home page)."""
    row = scope.filter(Place.objects.all()).aggregate(**_totals_aggregates())
    return Totals(**row)


def place_choices(*, scope: Scope, root: Place, levels=None, max_depth: int | None = None) -> QuerySet:
    """Places in the subtree of `root` for a form's choice field (scope-filtered)."""
    qs = Place.objects.filter(root.subtree_q())
    if levels is not None:
        qs = qs.filter(level__in=levels)
    if max_depth is not None:
        qs = qs.filter(depth__lte=max_depth)
    return scope.filter(qs).order_by("path")


def grid_get(*, scope: Scope, pk) -> Grid:
    return scope.get(Grid.objects.select_related("community"), pk=pk)


def _residence_grid() -> Case:
    """The grid of a residence row: a 楼栋's own, a 单元's from its 楼栋 (the parent path)."""
    building = _parent_of(Place)
    return Case(
        When(level=PlaceLevel.UNIT, then=Subquery(building.values("grid_id")[:1])),
        default=F("grid_id"),
        output_field=IntegerField(),
    )


def _grid_rows(scope: Scope, community: Place) -> QuerySet:
    """楼栋数, 户数, 居民数 per grid of a 社区: one query over the 社区's 楼栋 and 单元."""
    return (
        scope.filter(Place.objects.filter(community.subtree_q(), level__in=[PlaceLevel.BUILDING, PlaceLevel.UNIT]))
        .annotate(residence_grid=_residence_grid())
        .exclude(residence_grid=None)
        .order_by()
        .values("residence_grid")
        .annotate(
            buildings=Count("pk", filter=Q(level=PlaceLevel.BUILDING)),
            households=Coalesce(Sum("household_count"), 0),
            residents=Coalesce(Sum("resident_count"), 0),
            members=Coalesce(Sum("member_count"), 0),
        )
    )


def grid_list_with_totals(*, scope: Scope, community: Place) -> list[Grid]:
    """The grids of a 社区, each with `.totals` (buildings, households, residents, members)."""
    grids = list(scope.filter(Grid.objects.filter(community=community)).order_by("code"))
    by_grid = {row.pop("residence_grid"): row for row in _grid_rows(scope, community)}
    empty = {"buildings": 0, "households": 0, "residents": 0, "members": 0}
    for grid in grids:
        grid.totals = by_grid.get(grid.pk, empty)
    return grids


def grid_totals(*, scope: Scope, grid: Grid) -> dict:
    """楼栋数, 户数, 居民数, 党员数 of one grid (its 楼栋 and their 单元)."""
    for row in _grid_rows(scope, grid.community).filter(residence_grid=grid.pk):
        row.pop("residence_grid")
        return row
    return {"buildings": 0, "households": 0, "residents": 0, "members": 0}


def grid_list(*, scope: Scope) -> QuerySet:
    """The grids the user may see, 社区 loaded."""
    return scope.filter(Grid.objects.select_related("community")).order_by("code")


def grid_count(*, scope: Scope) -> int:
    return scope.filter(Grid.objects.all()).count()


def _parent_name() -> Subquery:
    return Subquery(_parent_of(Place).values("name")[:1])


def grid_buildings(*, scope: Scope, grid: Grid) -> QuerySet:
    """The 楼栋 of a grid with `.parent_name` (their 小区; own counters, 单元 are summed in grid_totals)."""
    return scope.filter(grid.buildings.annotate(parent_name=_parent_name())).order_by("path")


def grid_staff(*, scope: Scope, grid: Grid) -> QuerySet:
    """Role grants held on the grid (网格长, 网格员), users loaded."""
    return scope.filter(grid.grants.select_related("user")).order_by("role", "user__username")


def community_around(place: Place) -> Place | None:
    """The 社区 `place` lies in (itself when it is one), or None above the 社区 level."""
    paths = [place.path[:i] for i in range(Place.steplen, len(place.path) + 1, Place.steplen)]
    return Place.objects.filter(path__in=paths, level=PlaceLevel.COMMUNITY).first()


def communities_query(scope: Scope) -> QuerySet[Place]:
    """Every 社区 in scope in tree order, each with `parent_name` (its 街道), as a query (to page)."""
    parent = Place.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Place.steplen)).values("name")[:1]
    return scope.filter(Place.objects.filter(level=PlaceLevel.COMMUNITY)).annotate(parent_name=Subquery(parent)).order_by("path")


def communities_in(scope: Scope) -> list[Place]:
    """`communities_query` read once (the rows of a figure's breakdown by 社区)."""
    return list(communities_query(scope))
