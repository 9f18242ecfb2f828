"""Headline figures of 区划与组织 (registered by OrgConfig.ready), and what the indicators of the
modules to the right share: the unit a scope stands for (the filter of a records page) and the
社区 or 街道 above a breakdown row (to tell namesakes apart).

Every figure is a thin call of `org.selectors`, for whatever scope it is given (the user's own,
or a unit narrowed from it). The tree is not dated, so every figure here is a standing one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope

from . import selectors
from .models import PartyOrganization, Place, PlaceLevel

PLACE_MODEL = "org.place"
ORG_MODEL = "org.partyorganization"


# ---- shared by the indicators of every module --------------------------------------------------


def community_list_url(name: str, scope: Scope, **query) -> str:
    """The records page `name` for a scope, for a figure's 明细 link: as it is for the whole tree or
    several nodes (the page shows the user's own scope), with `?community=` for one 社区, "" for
    any other single node (the page has no filter for it)."""
    if not (scope.everything or scope.whole_tree or len(scope.place_paths) > 1):
        if len(scope.place_paths) != 1 or scope.org_paths or scope.grid_ids:
            return ""
        community = Place.objects.filter(path=scope.place_paths[0], level=PlaceLevel.COMMUNITY).values_list("pk", flat=True).first()
        if community is None:
            return ""
        query["community"] = community
    return f"{reverse(name)}?{urlencode(query)}"


@shared
def scope_unit(scope: Scope) -> Place | PartyOrganization | None:
    """The one node a scope is built on: the organisation of `Scope.of(org_paths=[one], …)`, the
    place of `Scope.of(place_paths=[one])`; None for the whole district and for a scope of several
    grants (a records page reads the user's own scope then: it needs no filter). One query."""
    if scope.everything or scope.whole_tree or scope.grid_ids:
        return None
    if len(scope.org_paths) == 1:
        return PartyOrganization.objects.filter(path=scope.org_paths[0]).first()
    if len(scope.place_paths) == 1 and not scope.org_paths:
        return Place.objects.filter(path=scope.place_paths[0]).first()
    return None


def scope_org(scope: Scope) -> tuple[bool, PartyOrganization | None]:
    """(whether the scope is one unit, the organisation heading it) for the pages filtered by
    ?org=: a place unit is headed by the topmost organisation sitting at that place (a 社区's
    社区党委), if any. (False, None): the whole district or the user's own scope, no filter."""
    unit = scope_unit(scope)
    if unit is None or isinstance(unit, PartyOrganization):
        return unit is not None, unit
    return True, PartyOrganization.objects.filter(place=unit).order_by("depth", "path").first()


def with_query(url: str, **params) -> str:
    """`url` with the non-empty `params` as its query string."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def area_names() -> dict[str, str]:
    """Path → name of every 社区 and 街道 (a district has a few hundred): one query, read once per
    breakdown to label its rows."""
    levels = [PlaceLevel.STREET, PlaceLevel.COMMUNITY]
    return dict(Place.objects.filter(level__in=levels).values_list("path", "name"))


def area_of(path: str, names: dict[str, str], own_name: str = "") -> str:
    """The nearest 社区 or 街道 at or above the place `path` (its own place too: a 小区's is its
    社区, a branch sitting at a 社区 is labelled by that 社区) — but not the one `own_name` is named
    after (幸福社区党委 sits at 幸福社区: labelled by the 街道 above)."""
    for ancestor in reversed(ancestor_paths(path, Place.steplen)):
        name = names.get(ancestor)
        if name and not (own_name and own_name.startswith(name)):
            return name
    return ""


def org_rows(scope: Scope, figures: dict[int, Figure], url_name: str = "org:org") -> list[Row]:
    """Breakdown rows of the organisations in `figures` (id → figure), in tree order, labelled
    with their 社区 or 街道 and linked to `url_name`: two queries, whatever their number."""
    names = area_names()
    orgs = scope.filter(PartyOrganization.objects.all()).order_by("path").values_list("pk", "name", "place__path")
    return [
        Row(pk, ORG_MODEL, name, figures[pk], reverse(url_name, args=[pk]), area_of(place_path, names, name))
        for pk, name, place_path in orgs
        if pk in figures
    ]


# ---- records pages of this module -------------------------------------------------------------


def tree_page(scope: Scope, period: Period) -> str:
    """The place or organisation page of the unit (its children with their figures), or the
    tree's roots for the district and the user's own scope."""
    unit = scope_unit(scope)
    if isinstance(unit, PartyOrganization):
        return reverse("org:org", args=[unit.pk])
    if isinstance(unit, Place):
        return reverse("org:place", args=[unit.pk])
    return reverse("org:places")


def _org_page(scope: Scope, period: Period) -> str:
    unit = scope_unit(scope)
    if isinstance(unit, PartyOrganization):
        return reverse("org:org", args=[unit.pk])
    is_unit, org = scope_org(scope)
    if is_unit:
        return reverse("org:org", args=[org.pk]) if org else ""
    return reverse("org:orgs")


def _new_org_page(scope: Scope, period: Period) -> str:
    """The 两新组织 list has no place or organisation filter: only for an unnarrowed scope."""
    return "" if scope_unit(scope) is not None else reverse("org:new_orgs")


# ---- figures ---------------------------------------------------------------------------------


def compound_coverage(scope: Scope, period: Period) -> Figure:
    return Figure.of_coverage(selectors.compound_coverage(scope=scope))


def compound_rows(scope: Scope, period: Period) -> list[Row]:
    """Each 小区 in scope: 1/1 covered, 0/1 not (the alert "小区 without a party organisation"
    reads the rows whose value is 0). Two queries."""
    names = area_names()
    return [
        Row(c.pk, PLACE_MODEL, c.name, Figure.rate(int(c.covered), 1), reverse("org:place", args=[c.pk]), area_of(c.path, names))
        for c in selectors.compounds_with_coverage(scope=scope)
    ]


@shared
def _new_orgs(scope: Scope):
    return selectors.new_org_coverage(scope=scope)


@shared
def _place_counts(scope: Scope):
    return selectors.place_counts(scope=scope)


def _new_org(which: str):
    def compute(scope: Scope, period: Period) -> Figure:
        return Figure.of_coverage(getattr(_new_orgs(scope), which))

    return compute


def _place_count(key: str):
    def compute(scope: Scope, period: Period) -> Figure:
        return Figure.count(_place_counts(scope)[key])

    return compute


register(
    Indicator(
        code="org.compound_coverage", section=Section.ORGANISATION, order=10, kind=Kind.RATE, period_free=True,
        name=_("小区党组织覆盖率"),
        formula=_("已建党组织（被计入小区党组织覆盖的党组织覆盖）的小区数 ÷ 小区总数"),
        compute=compound_coverage, breakdown=compound_rows, breakdown_label=_("小区"), records=tree_page,
    ),
    Indicator(
        code="org.new_org_coverage", section=Section.ORGANISATION, order=20, kind=Kind.RATE, period_free=True,
        name=_("两新组织党的组织覆盖率"),
        formula=_("已建立党组织的两新组织数 ÷ 两新组织总数"),
        compute=_new_org("organisation"), records=_new_org_page,
    ),
    Indicator(
        code="org.new_org_work_coverage", section=Section.ORGANISATION, order=30, kind=Kind.RATE, period_free=True,
        name=_("两新组织党的工作覆盖率"),
        formula=_("已建立党组织或已开展党的工作的两新组织数 ÷ 两新组织总数"),
        compute=_new_org("work"), records=_new_org_page,
    ),
    Indicator(
        code="org.organizations", section=Section.ORGANISATION, order=40, kind=Kind.COUNT, period_free=True,
        name=_("党组织数"), formula=_("各类党组织（党委、党总支、党支部、党小组）的个数"),
        compute=lambda scope, period: Figure.count(selectors.org_count(scope=scope)), records=_org_page, higher_is_better=None,
    ),
    Indicator(
        code="org.communities", section=Section.ORGANISATION, order=50, kind=Kind.COUNT, period_free=True,
        name=_("社区数"), formula=_("社区的个数"),
        compute=_place_count("communities"), records=tree_page, higher_is_better=None,
    ),
    Indicator(
        code="org.compounds", section=Section.ORGANISATION, order=60, kind=Kind.COUNT, period_free=True,
        name=_("小区数"), formula=_("小区的个数"),
        compute=_place_count("compounds"), records=tree_page, higher_is_better=None,
    ),
    Indicator(
        code="org.grids", section=Section.ORGANISATION, order=70, kind=Kind.COUNT, period_free=True,
        name=_("网格数"), formula=_("综合网格的个数"),
        compute=lambda scope, period: Figure.count(selectors.grid_count(scope=scope)), records=tree_page, higher_is_better=None,
    ),
    Indicator(
        code="org.three_no_compounds", section=Section.ORGANISATION, order=80, kind=Kind.COUNT, period_free=True,
        name=_("三无小区数"), formula=_("无物业服务企业、无主管部门、无居民自治组织的小区个数"),
        compute=_place_count("three_no"), records=tree_page, higher_is_better=False,
    ),
)
