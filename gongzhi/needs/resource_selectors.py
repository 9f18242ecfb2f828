"""Reading the resources list (资源清单): the list with each resource's load, counts by kind, one
resource with its commitments, the resources committed to a project, and the resources to offer a
project, best fit first (gongzhi.needs.matching scores them against the project's open needs)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from gongzhi.core.history import HistoryEntry, record_history
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel

from . import matching
from .models import OPEN_NEED_Q, OPEN_PROJECT_STATUSES, Need, Project, ProjectResource, Resource, ResourceKind

RESOURCE_LEVELS = (PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND, PlaceLevel.BUILDING)
RESOURCE_HISTORY_FIELDS = ("name", "kind", "place", "quantity", "amount", "unit_name", "commitment", "committed_until", "available",
                           "availability_note", "contact_note")
OFFER_CAP = 300  # resources offered in a project's list at most


def _kind_order() -> Case:
    """人, 才, 物, 资金, 驻区单位: the order of the kinds, not of their codes."""
    return Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(ResourceKind.values)), default=Value(99), output_field=IntegerField())


def with_load(resources: QuerySet) -> QuerySet:
    """`load`: the number of open projects each resource is committed to, in the database."""
    return resources.annotate(load=Count("commitments", filter=Q(commitments__project__status__in=OPEN_PROJECT_STATUSES)))


def _filtered(scope: Scope, *, skill=None, place: Place | None = None, available_only: bool = False, q: str = "") -> QuerySet[Resource]:
    resources = scope.filter(Resource.objects.all())
    if skill is not None:
        resources = resources.filter(pk__in=Resource.objects.filter(skills=skill).values("pk"))
    if place is not None:
        resources = resources.filter(place.subtree_q("place__path"))
    if available_only:
        resources = resources.filter(available=True)
    if q:
        resources = resources.filter(Q(name__icontains=q) | Q(unit_name__icontains=q))
    return resources


def resource_list(*, scope: Scope, kind: str = "", **filters) -> QuerySet[Resource]:
    """Resources in scope under the filters (`skill`, `place`, `available_only`, `q`: name or
    unit), by kind (人 first) then name, with their load, place and skills."""
    resources = _filtered(scope, **filters).select_related("place")
    if kind:
        resources = resources.filter(kind=kind)
    return with_load(resources).prefetch_related("skills").order_by(_kind_order(), "name", "id")


def resource_counts_by_kind(*, scope: Scope, **filters) -> dict[str, int]:
    """Resources in scope under the same filters (all kinds) by kind, 0 when none: one grouped query."""
    counts = dict.fromkeys(ResourceKind.values, 0)
    counts.update(_filtered(scope, **filters).order_by().values_list("kind").annotate(n=Count("id")))
    return counts


def resource_get(*, scope: Scope, id: int) -> Resource:
    return scope.get(with_load(Resource.objects.select_related("place", "person", "volunteer__person", "recorded_by")), pk=id)


def resource_commitments(*, scope: Scope, resource: Resource) -> QuerySet[ProjectResource]:
    """The projects the resource is committed to, newest first (open and closed)."""
    scope.require(resource)
    return resource.commitments.select_related("project", "committed_by").order_by("-committed_on", "-id")


def resource_history(*, scope: Scope, resource: Resource) -> list[HistoryEntry]:
    scope.require(resource)
    return record_history(resource, fields=RESOURCE_HISTORY_FIELDS)


def resource_places(*, scope: Scope, cap: int = 600) -> list[Place]:
    """社区, 小区 and 楼栋 in scope in tree order (a resource's place, a survey's place)."""
    return list(scope.filter(Place.objects.filter(level__in=RESOURCE_LEVELS)).only("path", "depth", "name", "level").order_by("path")[:cap])


def project_resources(*, scope: Scope, project: Project) -> QuerySet[ProjectResource]:
    """The resources committed to `project`, in the order they were committed."""
    scope.require(project)
    return project.committed_resources.select_related("resource__place", "committed_by").order_by("committed_on", "id")


def resources_to_offer(*, scope: Scope, project: Project, today: dt.date | None = None) -> list[tuple[Resource, int | None]]:
    """Resources in scope not yet committed to `project`, each with its best matching score over
    the project's open needs (None when it fits none of them): the fitting first, best first."""
    today = today or timezone.localdate()
    scores: dict[int, int] = {}
    for need in scope.filter(Need.objects.filter(OPEN_NEED_Q, project=project).select_related("place")):
        for c in matching.candidates(scope=scope, need=need, limit=OFFER_CAP, include_volunteers=False, today=today):
            scores[c.resource.pk] = max(scores.get(c.resource.pk, c.score), c.score)
    taken = ProjectResource.objects.filter(project=project).values("resource")
    resources = scope.filter(Resource.objects.select_related("place")).exclude(pk__in=taken).order_by(_kind_order(), "name", "id")
    fitting = sorted(resources.filter(pk__in=list(scores)), key=lambda r: -scores[r.pk])[:OFFER_CAP]
    rest = resources.exclude(pk__in=list(scores))[: OFFER_CAP - len(fitting)] if len(fitting) < OFFER_CAP else []
    return [(r, scores[r.pk]) for r in fitting] + [(r, None) for r in rest]
