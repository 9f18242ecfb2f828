"""Reads of mediation.

Two circles of sight (the brief of issue 9: case details only to those handling the case and
their supervisors):
- the **list** — number, 社区, category, tier, status and dates — is seen by everyone whose scope
  holds the case's 社区, and by the case's handlers;
- the **details** (parties, description, 笔录, agreement) only by its handlers (the worker who did
  intake, the users of its current and former mediators) and its supervisors (holders of
  社区书记 / 街道 / 区 grants whose place covers the 社区). Anyone else gets a 404 for the case page.

A mediator's user without any role grant has an empty scope: they see exactly the cases they
handle (`handled_cases`, what the home page lists).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Role, RoleGrant
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel

from .models import CLOSED_STATUSES, OPEN_STATUSES, Assignment, Case, CaseStatus, Category, MediationRules, Mediator, Session, Tier

SUPERVISOR_ROLES = (Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_ADMIN)
EVERY_CASE = ~Q(pk=None)  # a condition every case meets (Q() would vanish inside an OR)


# ---- who sees what ------------------------------------------------------------------------------


def supervised_scope(user) -> Scope:
    """The places where `user` supervises mediation (社区书记, 街道, 区 grants): one query."""
    if getattr(user, "is_superuser", False):
        return Scope(everything=True)
    paths = RoleGrant.objects.filter(user=user, role__in=SUPERVISOR_ROLES, place__isnull=False).values_list("place__path", flat=True)
    return Scope.of(place_paths=list(paths))


def _place_q(scope: Scope) -> Q:
    if scope.everything or scope.whole_tree:
        return EVERY_CASE
    return Case.scope_q(scope)


def handler_q(user) -> Q:
    """Cases `user` handles or handled: intake, or a mediator of theirs was ever assigned."""
    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    assigned = Assignment.objects.filter(case=OuterRef("pk"), mediator__user=user)
    return Q(intake_by=user) | Q(Exists(assigned)) | Q(mediator__user=user)


def visible_q(*, user, supervised: Scope | None = None) -> Q:
    """Cases whose details `user` may read."""
    supervised = supervised_scope(user) if supervised is None else supervised
    return handler_q(user) | (_place_q(supervised) if not supervised.is_empty else Q(pk__in=[]))


def listed_q(*, scope: Scope, user) -> Q:
    """Cases `user` sees in the list: the scope's, and their own as a handler."""
    in_scope = _place_q(scope) if not scope.is_empty else Q(pk__in=[])
    return in_scope | handler_q(user)


def case_list(*, scope: Scope, user, community: Place | None = None, tier=None, category=None, status: str = "",
              overdue: bool = False, q: str = "", today: dt.date) -> QuerySet:
    """The list, each case with `can_see` (its details are open to `user`), newest first."""
    visible = visible_q(user=user)
    cases = Case.objects.filter(listed_q(scope=scope, user=user))
    if community is not None:
        cases = cases.filter(community=community)
    if tier is not None:
        cases = cases.filter(tier=tier)
    if category is not None:
        cases = cases.filter(category=category)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if overdue:
        cases = cases.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    if q:
        match = Q(pk__in=Case.objects.filter(Q(parties__name__contains=q) & visible).values("pk"))  # names only where details are open
        if q.isdigit():
            match |= Q(seq=int(q))
        cases = cases.filter(match)
    return (cases.annotate(can_see=ExpressionWrapper(visible, output_field=BooleanField()))
            .select_related("community", "category", "tier", "mediator").order_by("-received_on", "-id"))


def case_get(*, scope: Scope, user, pk) -> Case:
    """One case whose details `user` may read, else 404 (missing, out of scope, or not theirs)."""
    try:
        return Case.objects.select_related("community", "category", "tier", "mediator__tier", "intake_by").get(visible_q(user=user), pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404(_("不存在或无权查看。"))


def can_see_details(*, user, case: Case) -> bool:
    return Case.objects.filter(visible_q(user=user), pk=case.pk).exists()


def handled_cases(*, user) -> QuerySet:
    """The open cases of a mediator's user (their home page), due first."""
    return (Case.objects.filter(Q(mediator__user=user), status__in=OPEN_STATUSES)
            .select_related("community", "category", "tier").order_by("due_on", "id"))


def case_timeline(case: Case) -> list[dict]:
    """What happened to a case, in time order: intake, assignments and escalations, sessions,
    the outcome, 回访 (a few rows per case, read in four queries)."""
    rows = [{"on": case.received_on, "kind": "intake", "label": _("登记受理"), "text": case.get_source_display(), "by": case.intake_by}]
    for a in case.assignments.select_related("tier", "from_tier", "mediator", "by"):
        label = _("升级") if a.kind == "escalate" else _("分派")
        text = (f"{a.from_tier} → {a.tier}" if a.from_tier_id else str(a.tier)) + (f" · {a.mediator.name}" if a.mediator_id else "")
        rows.append({"on": timezone.localdate(a.at), "at": a.at, "kind": a.kind, "label": label, "text": text, "note": a.reason, "by": a.by})
    for s in case.sessions.select_related("mediator", "recorded_by"):
        rows.append({"on": s.held_on, "kind": "session", "label": _("调解"), "text": s.place, "session": s, "by": s.recorded_by})
    if case.closed_on:
        rows.append({"on": case.closed_on, "kind": case.status, "label": case.get_status_display(), "text": case.outcome_note})
    for f in case.followups.select_related("recorded_by"):
        rows.append({"on": f.visited_on, "kind": "followup", "label": _("回访"), "text": f.get_performance_display(), "note": f.note, "by": f.recorded_by})
    order = {"intake": 0, "assign": 1, "escalate": 1, "session": 2, "agreed": 3, "failed": 3, "withdrawn": 3, "followup": 4}
    return sorted(rows, key=lambda r: (r["on"], order[r["kind"]]))


def session_get(*, user, pk) -> Session:
    """A session of a case whose details `user` may read (its scan is served through this), else 404."""
    try:
        return Session.objects.select_related("case").get(pk=pk, case__in=Case.objects.filter(visible_q(user=user)))
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404(_("不存在或无权查看。"))


def case_mediators(*, case: Case) -> list[Mediator]:
    """The active mediators of the case's 社区 (the case was fetched through `case_get` first)."""
    return list(Mediator.objects.filter(community_id=case.community_id, is_active=True).select_related("tier").order_by("tier__rank", "name"))


# ---- mediators ----------------------------------------------------------------------------------


def mediator_list(*, scope: Scope, community: Place | None = None, tier=None, active_only: bool = False) -> QuerySet:
    mediators = scope.filter(Mediator.objects.all())
    if community is not None:
        mediators = mediators.filter(community=community)
    if tier is not None:
        mediators = mediators.filter(tier=tier)
    if active_only:
        mediators = mediators.filter(is_active=True)
    return (mediators.select_related("community", "tier", "user")
            .annotate(open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES))).order_by("community__path", "tier__rank", "name"))


def mediator_get(*, scope: Scope, pk) -> Mediator:
    return scope.get(Mediator.objects.select_related("community", "tier", "user"), pk=pk)


def tiers() -> list[Tier]:
    return list(Tier.objects.order_by("rank"))


def categories(active_only: bool = True) -> list[Category]:
    qs = Category.objects.order_by("order", "code")
    return list(qs.filter(is_active=True) if active_only else qs)


# ---- the one-month target ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    warned: int


def due_counts(*, scope: Scope, today: dt.date, rules: MediationRules | None = None) -> DueCounts:
    """Open cases in scope past their due date (overdue) and within the rules' warn days of it."""
    rules = rules or MediationRules.current()
    open_cases = scope.filter(Case.objects.filter(status__in=OPEN_STATUSES))
    counts = open_cases.aggregate(overdue=Count("id", filter=Q(due_on__lt=today)),
                                  warned=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=rules.warn_days))))
    return DueCounts(**counts)


def overdue_cases(*, scope: Scope, today: dt.date) -> QuerySet:
    """Open cases in scope past their due date, the longest overdue first (the alert's list)."""
    return (scope.filter(Case.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today))
            .select_related("community", "category", "tier", "mediator").order_by("due_on", "id"))


def _communities(scope: Scope) -> list[Place]:
    parent = Place.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Place.steplen)).values("name")[:1]
    return list(scope.filter(Place.objects.filter(level=PlaceLevel.COMMUNITY)).annotate(parent_name=Subquery(parent)).order_by("path"))


def overdue_by_community(*, scope: Scope, today: dt.date) -> list[tuple[Place, int]]:
    """Every 社区 in scope (tree order, with `parent_name`) and its overdue open cases: two queries."""
    communities = _communities(scope)
    counts = dict(scope.filter(Case.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)).order_by()
                  .values_list("community_id").annotate(n=Count("id")))
    return [(c, counts.get(c.pk, 0)) for c in communities]


# ---- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFigures:
    received: int  # received in the days
    closed: int  # closed (agreement, failure or withdrawal) in the days
    agreed: int  # closed by an agreement in the days
    days_to_close: list[int]  # of each case closed in the days

    @property
    def median_days(self):
        return statistics.median(self.days_to_close) if self.days_to_close else None


def _figures_of(rows, start, end) -> CaseFigures:
    received = sum(1 for r in rows if start <= r[0] <= end)
    closed_rows = [r for r in rows if r[1] is not None and start <= r[1] <= end and r[2] in CLOSED_STATUSES]
    return CaseFigures(received=received, closed=len(closed_rows), agreed=sum(1 for r in closed_rows if r[2] == CaseStatus.AGREED),
                       days_to_close=sorted((r[1] - r[0]).days for r in closed_rows))


def _period_rows(scope: Scope, start: dt.date, end: dt.date, *extra: str):
    """(received_on, closed_on, status, *extra) of every case in scope received or closed in the days."""
    cases = scope.filter(Case.objects.filter(Q(received_on__range=(start, end)) | Q(closed_on__range=(start, end))))
    return list(cases.order_by().values_list("received_on", "closed_on", "status", *extra))


def case_figures(*, scope: Scope, start: dt.date, end: dt.date) -> CaseFigures:
    """Cases in scope over the days [start, end]: received, closed, agreed, days to close (one query)."""
    return _figures_of(_period_rows(scope, start, end), start, end)


def case_figures_by(*, scope: Scope, start: dt.date, end: dt.date, by: str) -> list[tuple[object, CaseFigures]]:
    """The same figures for each tier (`by="tier"`), category (`"category"`) or 社区 (`"community"`)."""
    field = {"tier": "tier_id", "category": "category_id", "community": "community_id"}[by]
    rows = _period_rows(scope, start, end, field)
    keys = {"tier": tiers, "category": lambda: categories(active_only=False), "community": lambda: _communities(scope)}[by]()
    grouped: dict[int, list] = {}
    for r in rows:
        grouped.setdefault(r[3], []).append(r)
    return [(k, _figures_of(grouped.get(k.pk, []), start, end)) for k in keys]


def overdue_by(*, scope: Scope, today: dt.date, by: str) -> dict[int, int]:
    field = {"tier": "tier_id", "category": "category_id"}[by]
    return dict(scope.filter(Case.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)).order_by()
                .values_list(field).annotate(n=Count("id")))
