"""Meetings of an organisation: lists, one meeting, the 台账, and a month for the calendar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet

from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization

from ..models import Attendance, AttendanceStatus, FrequencyRule, LecturerRole, Meeting, MeetingType, Period, Quorum
from .compliance import _next_month, periods


# ---- meetings -------------------------------------------------------------------------------


def organizations_with_rules(*, scope: Scope) -> QuerySet[PartyOrganization]:
    """The organisations in scope that hold meetings under frequency rules (branches, groups)."""
    kinds = FrequencyRule.objects.values("org_kind_id")
    return scope.filter(PartyOrganization.objects.filter(kind_id__in=kinds).select_related("kind")).order_by("path")


def branches(*, scope: Scope) -> QuerySet[PartyOrganization]:
    """The 支部 in scope: organisations with frequency rules whose kind holds a 支部党员大会 (a
    党小组 holds meetings but is no 支部)."""
    congress_kinds = FrequencyRule.objects.filter(meeting_type__quorum=Quorum.MEMBERS).values("org_kind_id")
    return organizations_with_rules(scope=scope).filter(kind_id__in=congress_kinds)


def meetings_held(*, scope: Scope, start: dt.date, end: dt.date) -> QuerySet[Meeting]:
    """Meetings of organisations in scope held in [start, end], by date."""
    return scope.filter(Meeting.objects.filter(held_on__range=(start, end))).order_by("held_on", "id")


def meeting_get(*, scope: Scope, pk) -> Meeting:
    return scope.get(Meeting.objects.select_related("organization__kind", "meeting_type", "host__person", "lecturer__person"), pk=pk)


def org_meetings(*, scope: Scope, organization: PartyOrganization) -> QuerySet[Meeting]:
    """An organisation's meetings, newest first, with 应到 and 实到 counted."""
    return scope.filter(
        Meeting.objects.filter(organization=organization).select_related("meeting_type").annotate(
            due=Count("attendance"), present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
        )
    ).order_by("-held_on", "-id")


def meeting_attendance(*, scope: Scope, meeting: Meeting):
    scope.require(meeting)
    return meeting.attendance.select_related("member__person").order_by("member__person__name", "member_id")


def ledger(*, scope: Scope, organization: PartyOrganization, start: dt.date, end: dt.date) -> list[Meeting]:
    """The 台账 of an organisation and its subtree for [start, end]: meetings by date with their
    agenda and attendance (names, status, leave reasons) prefetched: three queries."""
    return list(
        scope.filter(Meeting.objects.filter(organization.subtree_q("organization__path"), held_on__range=(start, end)))
        .select_related("meeting_type", "organization", "host__person", "lecturer__person")
        .prefetch_related("agenda", Prefetch("attendance", queryset=Attendance.objects.select_related("member__person").order_by("member__person__name")))
        .order_by("held_on", "id")
    )


# ---- an organisation's month: its meetings and what the rules require -------------------------


def month_meetings(*, scope: Scope, organization: PartyOrganization, month: dt.date) -> list[Meeting]:
    """An organisation's meetings in the month starting on `month`, by day and time."""
    last = _next_month(month) - dt.timedelta(days=1)
    qs = Meeting.objects.filter(organization=organization, held_on__range=(month, last)).select_related("meeting_type")
    return list(scope.filter(qs).order_by("held_on", F("starts_at").asc(nulls_first=True), "id"))


@dataclass(frozen=True)
class PeriodRequirement:
    """What one frequency rule asks of an organisation in the period containing a month."""

    meeting_type: MeetingType
    period_kind: str  # Period
    period: str  # "2026年3月", "2026年第1季度", "2026年"
    starts_on: dt.date
    ends_on: dt.date
    required: int
    held: int
    by_secretary: bool
    today: dt.date

    @property
    def met(self) -> bool:
        return self.held >= self.required

    @property
    def state(self) -> str:
        """met (已落实), missed (period over, 未落实), upcoming (not started) or open (待召开)."""
        if self.met:
            return "met"
        if self.ends_on < self.today:
            return "missed"
        return "upcoming" if self.starts_on > self.today else "open"


def month_requirements(*, scope: Scope, organization: PartyOrganization, month: dt.date, today: dt.date) -> list[PeriodRequirement]:
    """What the frequency rules of the organisation's kind require in the periods that contain
    `month` (the month, its quarter, its year) and how many meetings were held in each: monthly
    rules first, then quarterly, then yearly. Two queries: the rules, the year's meetings."""
    rules = list(FrequencyRule.objects.filter(org_kind_id=organization.kind_id).select_related("meeting_type"))
    if not rules:
        return []
    first, last = dt.date(month.year, 1, 1), dt.date(month.year, 12, 31)
    held: dict[tuple, int] = defaultdict(int)  # (type, month, by secretary) → meetings
    meetings = scope.filter(Meeting.objects.filter(organization=organization, held_on__range=(first, last)))
    for type_id, day, role in meetings.values_list("meeting_type_id", "held_on", "lecturer_role").order_by():
        held[(type_id, day.replace(day=1), False)] += 1
        held[(type_id, day.replace(day=1), True)] += role == LecturerRole.SECRETARY
    containing = {kind: next(p for p in periods(kind, first, last) if month in p[1]) for kind in Period.values}
    out = []
    for rule in sorted(rules, key=lambda r: (Period.values.index(r.period), r.meeting_type.order, r.by_secretary)):
        label, months = containing[rule.period]
        out.append(PeriodRequirement(
            rule.meeting_type, rule.period, label, months[0], _next_month(months[-1]) - dt.timedelta(days=1), rule.times,
            sum(held[(rule.meeting_type_id, m, rule.by_secretary)] for m in months), rule.by_secretary, today,
        ))
    return out
