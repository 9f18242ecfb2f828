"""Reading the needs and projects lists, and the open-items ledger (挂账).

Overdue is worked out in the database, one condition per category (there are a handful), so
that lists and counts stay index-friendly: a need is overdue to 受理 when it is still 登记 after
the category's `accept_days` from the day it was registered, and overdue to 办结 when it is still
open after `close_days`. Ages are whole days from registration (needs) or 立项 (projects).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Case, Count, DecimalField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from gongzhi.core.scope import NOTHING, Scope
from gongzhi.org.models import Place, PlaceLevel

from .models import (
    OPEN_NEED_Q, OPEN_PROJECT_Q, Need, NeedCategory, NeedStatus, NeedStep, Project, ProjectSpending, ProjectStatus, ProjectTask, Satisfaction,
)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _late_q(today: dt.date, days_field: str, categories) -> Q:
    """Registered more than the category's days before `today` (the deadline day itself is in time)."""
    parts = [Q(category_id=c.pk, registered_at__lt=_start_of(today - dt.timedelta(days=getattr(c, days_field)))) for c in categories]
    return reduce(or_, parts) if parts else NOTHING


def overdue_conditions(today: dt.date, categories=None) -> tuple[Q, Q]:
    """(overdue to 受理, overdue to 办结) as conditions on Need."""
    categories = list(NeedCategory.objects.all()) if categories is None else categories
    accept = Q(status=NeedStatus.REGISTERED) & _late_q(today, "accept_days", categories)
    close = OPEN_NEED_Q & _late_q(today, "close_days", categories)
    return accept, close


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_overdue(needs: QuerySet, today: dt.date, conditions: tuple[Q, Q] | None = None) -> QuerySet:
    accept, close = conditions or overdue_conditions(today)
    return needs.annotate(overdue_accept=_flag(accept), overdue_close=_flag(close))


def need_age(need: Need, today: dt.date) -> int:
    return (today - timezone.localdate(need.registered_at)).days


# ---- needs ---------------------------------------------------------------------------------------


def need_list(*, scope: Scope, today: dt.date | None = None, status: str | None = None, category: NeedCategory | None = None,
              open_only: bool = False) -> QuerySet[Need]:
    """Needs in scope, newest first, with their overdue flags."""
    needs = scope.filter(Need.objects.select_related("category", "place", "project"))
    if open_only:
        needs = needs.filter(OPEN_NEED_Q)
    if status:
        needs = needs.filter(status=status)
    if category is not None:
        needs = needs.filter(category=category)
    return with_overdue(needs, today or timezone.localdate()).order_by("-registered_at", "-id")


def need_get(*, scope: Scope, id: int, today: dt.date | None = None) -> Need:
    return scope.get(with_overdue(Need.objects.select_related("category", "place", "household", "requester", "project", "merged_into"),
                                  today or timezone.localdate()), pk=id)


def need_steps(*, scope: Scope, need: Need) -> QuerySet[NeedStep]:
    """Who moved the need, from what to what, and when, in order."""
    scope.require(need)
    return need.steps.select_related("by").order_by("at", "id")


def need_overdue(*, scope: Scope, today: dt.date | None = None) -> QuerySet[Need]:
    """Open needs in scope overdue to 受理 or to 办结, oldest first."""
    today = today or timezone.localdate()
    accept, close = conditions = overdue_conditions(today)
    needs = scope.filter(Need.objects.filter(accept | close))
    return with_overdue(needs, today, conditions).select_related("category", "place").order_by("registered_at", "id")


# ---- projects ------------------------------------------------------------------------------------


def with_progress(projects: QuerySet, today: dt.date) -> QuerySet:
    """Tasks (all, done, overdue), spending and whether it exceeds the budget, in the database."""
    tasks = ProjectTask.objects.filter(project=OuterRef("pk")).order_by().values("project")
    spent = (ProjectSpending.objects.filter(project=OuterRef("pk")).order_by().values("project")
             .annotate(s=Sum("amount")).values("s"))
    money = DecimalField(max_digits=14, decimal_places=2)
    return projects.annotate(
        tasks_total=Coalesce(Subquery(tasks.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0),
        tasks_done=Coalesce(Subquery(tasks.filter(done_at__isnull=False).annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0),
        tasks_late=Exists(ProjectTask.objects.filter(project=OuterRef("pk"), done_at__isnull=True, due_on__lt=today)),
        spent=Coalesce(Subquery(spent, output_field=money), Value(Decimal(0)), output_field=money),
    )


def project_list(*, scope: Scope, today: dt.date | None = None, open_only: bool = False) -> QuerySet[Project]:
    projects = scope.filter(Project.objects.select_related("organization", "place"))
    if open_only:
        projects = projects.filter(OPEN_PROJECT_Q)
    return with_progress(projects, today or timezone.localdate()).order_by("-opened_on", "-id")


def project_get(*, scope: Scope, id: int, today: dt.date | None = None) -> Project:
    return scope.get(with_progress(Project.objects.select_related("organization", "place"), today or timezone.localdate()), pk=id)


@dataclass(frozen=True)
class Progress:
    tasks: int
    done: int
    budget: Decimal
    spent: Decimal

    @property
    def ratio(self) -> float:
        """Done tasks ÷ tasks (0 for a project without tasks)."""
        return self.done / self.tasks if self.tasks else 0.0

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)

    @property
    def over_budget(self) -> bool:
        return self.spent > self.budget


def project_progress(project: Project) -> Progress:
    """For a project from `project_list`/`project_get` (annotated) or any project (two queries)."""
    if not hasattr(project, "tasks_total"):
        project = with_progress(Project.objects.filter(pk=project.pk), timezone.localdate()).get()
    return Progress(tasks=project.tasks_total, done=project.tasks_done, budget=project.budget, spent=project.spent)


def project_tasks(*, scope: Scope, project: Project) -> QuerySet[ProjectTask]:
    """The task map: each task with the ids of the tasks it waits for."""
    scope.require(project)
    return project.tasks.prefetch_related("depends_on").order_by("id")


# ---- the open-items ledger (挂账) ----------------------------------------------------------------


@dataclass(frozen=True)
class NeedRow:
    need: Need
    age_days: int
    overdue_accept: bool
    overdue_close: bool


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    age_days: int
    progress: Progress
    tasks_late: bool


@dataclass(frozen=True)
class OpenItems:
    needs: list[NeedRow]
    projects: list[ProjectRow]
    need_total: int
    project_total: int
    overdue_accept: int
    overdue_close: int
    by_category: list[tuple[NeedCategory, int]] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)  # need status → open needs
    projects_by_status: dict[str, int] = field(default_factory=dict)


def open_items(*, scope: Scope, today: dt.date, limit: int = 100) -> OpenItems:
    """挂账: the open needs and open projects in scope, oldest first (the first `limit` of each),
    with their ages and overdue flags, and counts by category, by status and overdue (five queries)."""
    needs = scope.filter(Need.objects.filter(OPEN_NEED_Q))
    categories = {c.pk: c for c in NeedCategory.objects.all()}
    conditions = overdue_conditions(today, categories.values())
    counts = (needs.order_by().values_list("category_id", "status")
              .annotate(n=Count("id"), accept=Count("id", filter=conditions[0]), close=Count("id", filter=conditions[1])))
    by_category: dict[int, int] = {}
    by_status = {s: 0 for s in (NeedStatus.REGISTERED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS)}
    overdue_accept = overdue_close = 0
    for category_id, status, n, accept, close in counts:
        by_category[category_id] = by_category.get(category_id, 0) + n
        by_status[status] += n
        overdue_accept, overdue_close = overdue_accept + accept, overdue_close + close
    oldest = with_overdue(needs, today, conditions).select_related("category", "place").order_by("registered_at", "id")[:limit]
    projects = scope.filter(Project.objects.filter(OPEN_PROJECT_Q))
    projects_by_status = {s: 0 for s in (ProjectStatus.OPENED, ProjectStatus.RUNNING)}
    projects_by_status.update(projects.order_by().values_list("status").annotate(n=Count("id")))
    open_projects = with_progress(projects, today).select_related("organization", "place").order_by("opened_on", "id")[:limit]
    return OpenItems(
        needs=[NeedRow(n, need_age(n, today), n.overdue_accept, n.overdue_close) for n in oldest],
        projects=[ProjectRow(p, (today - p.opened_on).days, project_progress(p), p.tasks_late) for p in open_projects],
        need_total=sum(by_status.values()), project_total=sum(projects_by_status.values()),
        overdue_accept=overdue_accept, overdue_close=overdue_close,
        by_category=[(c, by_category[c.pk]) for c in sorted(categories.values(), key=lambda c: (c.order, c.code)) if c.pk in by_category],
        by_status=by_status, projects_by_status=projects_by_status,
    )


# ---- headline figures (gongzhi.needs.indicators) -------------------------------------------------


@dataclass(frozen=True)
class NeedFigures:
    registered: int  # registered in the days (merged duplicates left out)
    registered_closed: int  # of those, closed (办结, then perhaps 回访) by the last day
    closed: int  # closed in the days, whenever registered
    visited: int  # visited (回访) in the days
    satisfied: int  # of those, 满意 or 基本满意


def need_figures(*, scope: Scope, start: dt.date, end: dt.date) -> NeedFigures:
    """Needs in scope over the days [start, end], both included: one aggregate query."""
    since, until = _start_of(start), _start_of(end + dt.timedelta(days=1))
    registered = Q(registered_at__gte=since, registered_at__lt=until, status__in=[s for s in NeedStatus.values if s != NeedStatus.MERGED])
    closed = Q(closed_at__gte=since, closed_at__lt=until)
    visited = Q(visited_at__gte=since, visited_at__lt=until)
    figures = scope.filter(Need.objects.filter(registered | closed | visited)).aggregate(
        registered=Count("id", filter=registered), registered_closed=Count("id", filter=registered & Q(closed_at__lt=until)),
        closed=Count("id", filter=closed), visited=Count("id", filter=visited),
        satisfied=Count("id", filter=visited & Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.FAIR))),
    )
    return NeedFigures(**figures)


def need_overdue_count(*, scope: Scope, today: dt.date) -> int:
    """Open needs in scope overdue to 受理 or to 办结 (what the ledger's 只看逾期 lists): one query."""
    accept, close = overdue_conditions(today)
    return scope.filter(Need.objects.filter(accept | close)).count()


def need_overdue_by_community(*, scope: Scope, today: dt.date) -> list[tuple[Place, int]]:
    """Every 社区 in scope (in tree order, each with `parent_name`: its 街道) with its open needs
    overdue to 受理 or to 办结: two queries (one more for each other depth communities stand at)."""
    parent = Place.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Place.steplen)).values("name")[:1]
    communities = list(scope.filter(Place.objects.filter(level=PlaceLevel.COMMUNITY)).annotate(parent_name=Subquery(parent)).order_by("path"))
    accept, close = overdue_conditions(today)
    overdue = scope.filter(Need.objects.filter(accept | close)).order_by()
    counts: dict[str, int] = {}
    for length in sorted({len(c.path) for c in communities}):
        prefix = Substr("place__path", 1, length)
        counts.update(overdue.annotate(prefix=prefix).values_list("prefix").annotate(n=Count("id")))
    return [(c, counts.get(c.path, 0)) for c in communities]


@dataclass(frozen=True)
class ProjectFigures:
    opened: int  # 立项 in the days
    closed: int  # 销号 in the days
    open_now: int  # 立项 or 实施中 today


def project_figures(*, scope: Scope, start: dt.date, end: dt.date) -> ProjectFigures:
    """Projects in scope: opened and closed over the days [start, end], and open now: one query."""
    opened, closed = Q(opened_on__range=(start, end)), Q(closed_on__range=(start, end))
    figures = scope.filter(Project.objects.all()).aggregate(
        opened=Count("id", filter=opened), closed=Count("id", filter=closed), open_now=Count("id", filter=OPEN_PROJECT_Q))
    return ProjectFigures(**figures)
