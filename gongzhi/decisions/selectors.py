"""Reads of 民主决策, scoped: matters and their records, methods, the 一肩挑 settings, 居民公约, and
the figures the indicators show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from gongzhi.core.scope import Scope
from gongzhi.org.selectors.places import communities_in
from gongzhi.org.models import Place, PlaceLevel

from .models import ADOPTED, CommunitySetting, Convention, ConventionVersion, DecisionMethod, Matter, MatterStatus, MethodStep, StepRecord


def method_list(*, active_only: bool = True) -> QuerySet[DecisionMethod]:
    methods = DecisionMethod.objects.prefetch_related(Prefetch("steps", queryset=MethodStep.objects.order_by("order")))
    return methods.filter(active=True) if active_only else methods


def matter_list(*, scope: Scope, community: Place | None = None, method: int | None = None, status: str = "", q: str = "") -> QuerySet[Matter]:
    matters = scope.filter(Matter.objects.select_related("community", "compound", "method", "current_step"))
    if community is not None:
        matters = matters.filter(community=community)
    if method:
        matters = matters.filter(method_id=method)
    if status:
        matters = matters.filter(status=status)
    if q:
        matters = matters.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return matters.order_by("-created_at", "-id")


def matter_counts(*, scope: Scope) -> dict[str, int]:
    rows = scope.filter(Matter.objects.all()).order_by().values_list("status").annotate(n=Count("id"))
    return dict(rows)


def matter_get(*, scope: Scope, pk) -> Matter:
    return scope.get(Matter.objects.select_related("community", "compound", "method", "current_step", "created_by"), pk=pk)


def matter_records(matter: Matter) -> list[StepRecord]:
    return list(matter.records.select_related("step", "recorded_by").order_by("id"))


def record_get(*, scope: Scope, pk) -> StepRecord:
    return scope.get(StepRecord.objects.select_related("matter"), pk=pk)


def adopted_matters(*, scope: Scope, community: Place) -> QuerySet[Matter]:
    return scope.filter(Matter.objects.filter(community=community, status__in=ADOPTED)).select_related("compound").order_by("-created_at")


def settings_for(*, scope: Scope, communities: list[Place]) -> dict[int, bool]:
    rows = scope.filter(CommunitySetting.objects.filter(community__in=communities)).values_list("community_id", "secretary_is_director")
    return dict(rows)


# ---- 居民公约 ---------------------------------------------------------------------------------------


def _current_versions() -> QuerySet[ConventionVersion]:
    return ConventionVersion.objects.filter(filed_on__isnull=False)


def convention_list(*, scope: Scope, community: Place | None = None, q: str = "") -> QuerySet[Convention]:
    conventions = scope.filter(Convention.objects.select_related("community", "compound"))
    if community is not None:
        conventions = conventions.filter(community=community)
    if q:
        conventions = conventions.filter(title__icontains=q)
    current = _current_versions().filter(convention=OuterRef("pk")).order_by("-number")
    return conventions.annotate(
        current_number=current.values("number")[:1], current_filed_on=current.values("filed_on")[:1], version_count=Count("versions"),
    ).order_by("community__name", "compound__name", "id")


def convention_get(*, scope: Scope, pk) -> Convention:
    return scope.get(Convention.objects.select_related("community", "compound"), pk=pk)


def convention_versions(convention: Convention) -> list[ConventionVersion]:
    return list(convention.versions.select_related("matter", "recorded_by").order_by("-number"))


def current_version(versions: list[ConventionVersion]) -> ConventionVersion | None:
    return next((v for v in versions if v.filed_on), None)


def version_get(*, scope: Scope, pk) -> ConventionVersion:
    return scope.get(ConventionVersion.objects.select_related("convention"), pk=pk)


# ---- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodFigure:
    method: str
    opened: int
    adopted: int
    ended: int
    failed: int


def matters_by_method(*, scope: Scope, start: dt.date, end: dt.date) -> dict[str, MethodFigure]:
    """Matters opened in [start, end] by method code: how many, how many adopted (决议通过/已办结),
    how many fully recorded (已办结: both 公开 steps done), failed. One grouped query."""
    rows = (scope.filter(Matter.objects.filter(created_at__date__range=(start, end))).order_by()
            .values("method__code").annotate(n=Count("id"), adopted=Count("id", filter=Q(status__in=ADOPTED)),
                                             ended=Count("id", filter=Q(status=MatterStatus.ENDED)),
                                             failed=Count("id", filter=Q(status=MatterStatus.FAILED))))
    return {r["method__code"]: MethodFigure(r["method__code"], r["n"], r["adopted"], r["ended"], r["failed"]) for r in rows}


def matters_by_community(*, scope: Scope, start: dt.date, end: dt.date) -> list[tuple[Place, int, int, int]]:
    """(社区, opened, adopted, fully recorded) for the 社区 in scope."""
    communities = communities_in(scope)
    rows = (scope.filter(Matter.objects.filter(created_at__date__range=(start, end))).order_by().values("community_id")
            .annotate(n=Count("id"), adopted=Count("id", filter=Q(status__in=ADOPTED)), ended=Count("id", filter=Q(status=MatterStatus.ENDED))))
    by = {r["community_id"]: r for r in rows}
    return [(c, by.get(c.pk, {}).get("n", 0), by.get(c.pk, {}).get("adopted", 0), by.get(c.pk, {}).get("ended", 0)) for c in communities]




def convention_coverage(*, scope: Scope, level: str) -> tuple[int, int]:
    """(places of `level` in scope with a current 公约, places of `level` in scope)."""
    places = scope.filter(Place.objects.filter(level=level))
    if level == PlaceLevel.COMMUNITY:
        has = Convention.objects.filter(community=OuterRef("pk"), compound__isnull=True, versions__filed_on__isnull=False)
    else:
        has = Convention.objects.filter(compound=OuterRef("pk"), versions__filed_on__isnull=False)
    counts = places.order_by().annotate(has=Exists(has)).aggregate(total=Count("id"), covered=Count("id", filter=Q(has=True)))
    return counts["covered"], counts["total"]
