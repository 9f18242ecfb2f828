"""Compliance (落实率) of organisational life for any scope and period.

For each organisation in scope whose kind has frequency rules: every whole calendar period
(month, quarter, year) inside [start, end] requires `times` meetings of the rule's type; a
period counts at most `times` held meetings (four 党小组会 in March do not make up for none in
April). 落实率 = met ÷ required. Periods only partly inside the window are not counted. One query
reads the meetings, grouped by organisation, type and day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, FloatField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.org.selectors import org_roots
from gongzhi.org.selectors.common import Coverage
from gongzhi.people.models import MemberStatus, PartyMember

from .models import Attendance, AttendanceStatus, Exemption, FrequencyRule, LecturerRole, Meeting, MeetingType, Period


@dataclass(frozen=True)
class Shortfall:
    meeting_type: str
    period: str  # "2026年3月", "2026年第1季度", "2026年"
    required: int
    held: int
    by_secretary: bool = False

    def __str__(self):
        who = _("（书记讲党课）") if self.by_secretary else ""
        return _("%(period)s%(type)s%(who)s应%(required)s次，实%(held)s次") % {
            "period": self.period, "type": self.meeting_type, "who": who, "required": self.required, "held": self.held,
        }


@dataclass
class OrgCompliance:
    organization: PartyOrganization
    required: int = 0
    met: int = 0
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.met / self.required if self.required else None

    @property
    def coverage(self) -> Coverage:
        """落实率 as its two counts (met ÷ required), for the shared rate display."""
        return Coverage.of(self.met, self.required)

    @property
    def lagging(self) -> bool:
        """落实滞后: at least one period fell short."""
        return bool(self.shortfalls)


def periods(kind: str, start: dt.date, end: dt.date) -> list[tuple[str, tuple[dt.date, ...]]]:
    """The whole periods of `kind` inside [start, end]: (label, first days of their months)."""
    months = []
    month = dt.date(start.year, start.month, 1)
    if month < start:
        month = _next_month(month)
    while _next_month(month) - dt.timedelta(days=1) <= end:
        months.append(month)
        month = _next_month(month)
    if kind == Period.MONTH:
        return [(_("%(y)s年%(m)s月") % {"y": m.year, "m": m.month}, (m,)) for m in months]
    size = 3 if kind == Period.QUARTER else 12
    groups: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for m in months:
        groups[(m.year, (m.month - 1) // size)].append(m)
    out = []
    for (year, index), members in sorted(groups.items()):
        if len(members) == size:
            label = _("%(y)s年第%(q)s季度") % {"y": year, "q": index + 1} if size == 3 else _("%(y)s年") % {"y": year}
            out.append((label, tuple(members)))
    return out


def _next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


def compliance(*, scope: Scope, start: dt.date, end: dt.date) -> list[OrgCompliance]:
    """Every organisation in scope with rules, by tree order, with its required, met and what is missing."""
    rules = defaultdict(list)
    for rule in FrequencyRule.objects.select_related("meeting_type"):
        rules[rule.org_kind_id].append(rule)
    in_scope = scope.filter(PartyOrganization.objects.filter(kind_id__in=list(rules)))
    orgs = list(in_scope.order_by("path"))
    held: dict[tuple, int] = defaultdict(int)  # (org, type, month, by secretary) → meetings
    # Grouped by day, not by month: truncating dates is a Python function on SQLite (slow over a
    # district's meetings); the days are folded into months here.
    rows = (
        Meeting.objects.filter(organization__in=in_scope.values("pk"), held_on__range=(start, end))
        .values_list("organization_id", "meeting_type_id", "held_on")
        .annotate(n=Count("id"), by_secretary=Count("id", filter=Q(lecturer_role=LecturerRole.SECRETARY)))
        .order_by()
    ) if orgs else []
    for org_id, type_id, day, n, by_secretary in rows:
        month = day.replace(day=1)
        held[(org_id, type_id, month, False)] += n
        held[(org_id, type_id, month, True)] += by_secretary
    windows = {kind: periods(kind, start, end) for kind in Period.values}
    out = []
    for org in orgs:
        c = OrgCompliance(org)
        for rule in rules[org.kind_id]:
            for label, months in windows[rule.period]:
                count = sum(held[(org.pk, rule.meeting_type_id, m, rule.by_secretary)] for m in months)
                c.required += rule.times
                c.met += min(count, rule.times)
                if count < rule.times:
                    c.shortfalls.append(Shortfall(rule.meeting_type.name, label, rule.times, count, rule.by_secretary))
        out.append(c)
    return out


def total(rows: list[OrgCompliance]) -> Coverage:
    """The scope's 落实率: met ÷ required over all its organisations."""
    return Coverage.of(sum(c.met for c in rows), sum(c.required for c in rows))


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """This year's whole months so far (1 January to the end of last month); in January, last year."""
    first_of_month = today.replace(day=1)
    if today.month == 1:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return dt.date(today.year, 1, 1), first_of_month - dt.timedelta(days=1)


# ---- meetings -------------------------------------------------------------------------------


def organizations_with_rules(*, scope: Scope) -> QuerySet[PartyOrganization]:
    """The organisations in scope that hold meetings under frequency rules (branches, groups)."""
    kinds = FrequencyRule.objects.values("org_kind_id")
    return scope.filter(PartyOrganization.objects.filter(kind_id__in=kinds).select_related("kind")).order_by("path")


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


# ---- rates and warnings -------------------------------------------------------------------------


def attendance_rates(*, scope: Scope, start: dt.date, end: dt.date) -> dict[int, Coverage]:
    """参会率 of each organisation in scope for meetings held in [start, end]: 实到 ÷ 应到."""
    rows = (
        scope.filter(Meeting.objects.filter(held_on__range=(start, end)))
        .values("organization_id")
        .annotate(due=Count("attendance"), present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)))
    )
    return {r["organization_id"]: Coverage.of(r["present"], r["due"]) for r in rows}


def education_coverage(*, scope: Scope, start: dt.date, end: dt.date, node: PartyOrganization | None = None) -> Coverage:
    """党员教育覆盖率: members in scope (of `node`'s subtree, if given) on `end` who were present at
    one education meeting (党课, 主题党日 … as the meeting types say) or more in [start, end], ÷
    those members."""
    members = scope.filter(
        PartyMember.objects.filter(joined_on__lte=end).filter(Q(status=MemberStatus.ACTIVE) | Q(status_changed_on__gt=end))
    )
    if node is not None:
        members = members.filter(node.subtree_q("organization__path"))
    educated = members.filter(
        attendance__status=AttendanceStatus.PRESENT, attendance__meeting__meeting_type__is_education=True,
        attendance__meeting__held_on__range=(start, end),
    ).distinct()
    return Coverage.of(educated.count(), members.count())


@dataclass(frozen=True)
class MemberWarning:
    member: PartyMember
    kind: str  # "absences" or "inactive"
    count: int  # absences in a row, or whole months without organisational life
    since: dt.date | None = None  # last time present (or joined)

    @property
    def severe(self) -> bool:
        """At the last warning step (5 months by default): one month from 自行脱党."""
        return self.kind == "inactive" and self.count >= max(settings.GONGZHI_INACTIVITY_WARN_MONTHS)

    def __str__(self):
        if self.kind == "absences":
            return _("%(name)s连续%(n)s次无故缺席") % {"name": self.member.person.name, "n": self.count}
        return _("%(name)s自%(since)s起%(n)s个月未参加组织生活") % {
            "name": self.member.person.name, "n": self.count, "since": f"{self.since:%Y-%m-%d}" if self.since else "—",
        }


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clipped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def member_warnings(*, scope: Scope, today: dt.date, organization: PartyOrganization | None = None) -> list[MemberWarning]:
    """Members in scope (在册, not exempt today) who missed GONGZHI_ABSENCE_WARN meetings in a
    row without leave, and those whose last organisational life (a meeting attended) is at least
    the first of GONGZHI_INACTIVITY_WARN_MONTHS months ago (党章第九条: six months means 自行脱党,
    so warn well before). A member never seen at a meeting counts from joining or from the first
    meeting recorded for their organisation, whichever is later: records before Gongzhi are not
    there.

    Only candidates are read in detail: members with enough absences in the last year (one grouped
    query, then their recent rows), and members not present since the first warning step (their
    last attendance, one query). The rest stay in the database."""
    absence_limit = settings.GONGZHI_ABSENCE_WARN
    inactivity_months = min(settings.GONGZHI_INACTIVITY_WARN_MONTHS)
    exempt = Exemption.objects.filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).values("member_id")
    qs = PartyMember.objects.filter(status=MemberStatus.ACTIVE).exclude(pk__in=exempt)
    if organization is not None:
        qs = qs.filter(organization=organization)
    members = scope.filter(qs)
    year_ago = today - dt.timedelta(days=366)
    out = []

    # absences in a row: the run of 缺席 at the head of each candidate's recent meetings, newest first
    candidates = (
        Attendance.objects.filter(member__in=members.values("pk"), status=AttendanceStatus.ABSENT, meeting__held_on__gt=year_ago)
        .values("member_id").annotate(n=Count("id")).filter(n__gte=absence_limit).values("member_id")
    )
    recent = (
        Attendance.objects.filter(member_id__in=candidates, meeting__held_on__gt=year_ago)
        .order_by("member_id", "-meeting__held_on", "-meeting_id").values_list("member_id", "status")
    )
    runs: dict[int, int] = {}
    closed: set[int] = set()
    for member_id, status in recent:
        if member_id in closed:
            continue
        if status == AttendanceStatus.ABSENT:
            runs[member_id] = runs.get(member_id, 0) + 1
        else:
            closed.add(member_id)
    flagged = {pk: run for pk, run in runs.items() if run >= absence_limit}
    by_pk = PartyMember.objects.select_related("person", "organization").in_bulk(list(flagged))
    out += [MemberWarning(by_pk[pk], "absences", run) for pk, run in flagged.items()]

    # months without organisational life: only members not present since the first warning step
    cutoff = _months_before(today, inactivity_months)
    present_lately = Attendance.objects.filter(status=AttendanceStatus.PRESENT, meeting__held_on__gt=cutoff).values("member_id")
    first_recorded = Meeting.objects.filter(organization=OuterRef("organization")).order_by("held_on").values("held_on")[:1]
    quiet = members.exclude(pk__in=present_lately).select_related("person", "organization").annotate(
        last_present=Max("attendance__meeting__held_on", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
        records_from=Subquery(first_recorded),
    )
    for m in quiet:
        if m.records_from is None:  # no meeting recorded yet: the compliance table shows the organisation
            continue
        since = m.last_present or max(m.joined_on, m.records_from)  # records start with the first meeting recorded
        months = _months_between(since, today)
        if months >= inactivity_months:
            out.append(MemberWarning(m, "inactive", months, since))
    return sorted(out, key=lambda x: (x.kind, -x.count, x.member.person.name))


def political_birthdays(*, scope: Scope, month: int, today: dt.date, organization: PartyOrganization | None = None) -> list[tuple]:
    """党员政治生日 in `month`: (member, date this year, years), by day then name."""
    field = "full_on" if settings.GONGZHI_POLITICAL_BIRTHDAY == "full_on" else "joined_on"
    qs = PartyMember.objects.filter(status=MemberStatus.ACTIVE, **{f"{field}__month": month}).select_related("person", "organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    rows = [(m, *m.political_birthday(today)) for m in scope.filter(qs)]
    return sorted(rows, key=lambda r: (r[1], r[0].person.name))


def ledger(*, scope: Scope, organization: PartyOrganization, start: dt.date, end: dt.date) -> list[Meeting]:
    """The 台账 of an organisation and its subtree for [start, end]: meetings by date with their
    agenda and attendance (names, status, leave reasons) prefetched: three queries."""
    return list(
        scope.filter(Meeting.objects.filter(organization.subtree_q("organization__path"), held_on__range=(start, end)))
        .select_related("meeting_type", "organization", "host__person", "lecturer__person")
        .prefetch_related("agenda", Prefetch("attendance", queryset=Attendance.objects.select_related("member__person").order_by("member__person__name")))
        .order_by("held_on", "id")
    )


# ---- the compliance table along the tree ------------------------------------------------------


@dataclass
class SubtreeCompliance:
    """One row of the drill-down: an organisation's whole subtree (itself included), summed from
    the rows of `compliance()`. `own` is the organisation's own row when it holds meetings;
    `only_own` marks the "本级" row of the node being looked at (its own meetings only)."""

    organization: PartyOrganization | None  # None: the user's whole scope
    only_own: bool = False
    own: OrgCompliance | None = None
    required: int = 0
    met: int = 0
    organizations: int = 0  # organisations with frequency rules in the subtree
    lagging: int = 0  # … of which 落实滞后
    present: int = 0
    due: int = 0

    def add(self, row: OrgCompliance) -> None:
        if self.organization is not None and row.organization.pk == self.organization.pk:
            self.own = row
        self.required += row.required
        self.met += row.met
        self.organizations += 1
        self.lagging += row.lagging

    def add_attendance(self, rate: Coverage) -> None:
        self.present += rate.numerator
        self.due += rate.denominator

    @property
    def coverage(self) -> Coverage:
        return Coverage.of(self.met, self.required)

    @property
    def attendance(self) -> Coverage:
        return Coverage.of(self.present, self.due)

    @property
    def below(self) -> int:
        """Organisations with rules strictly below this one: whether it can be drilled into."""
        return self.organizations - (1 if self.own else 0)

    @property
    def lagging_below(self) -> int:
        return self.lagging - (1 if self.own and self.own.lagging else 0)

    @property
    def shortfalls(self) -> list[Shortfall]:
        return self.own.shortfalls if self.own else []


@dataclass
class ComplianceLevel:
    node: PartyOrganization | None  # None: the user's scope roots
    total: SubtreeCompliance
    rows: list[SubtreeCompliance]


def attendance_by_path(*, scope: Scope, start: dt.date, end: dt.date) -> dict[str, Coverage]:
    """参会率 of each organisation in scope for meetings held in [start, end], keyed by the
    organisation's tree path (so that subtrees are summed by prefix): one grouped query."""
    rows = (
        scope.filter(Meeting.objects.filter(held_on__range=(start, end)))
        .values("organization__path")
        .annotate(due=Count("attendance"), present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)))
        .order_by()
    )
    return {r["organization__path"]: Coverage.of(r["present"], r["due"]) for r in rows}


def _drill_heads(scope: Scope, node: PartyOrganization | None, rows: list[OrgCompliance]) -> list[PartyOrganization]:
    """The organisations heading the rows: the scope's roots, or those children of `node` that
    have an organisation with rules in their subtree (one query either way)."""
    if node is None:
        return list(org_roots(scope=scope))
    size = len(node.path) + PartyOrganization.steplen
    paths = {c.organization.path[:size] for c in rows if len(c.organization.path) >= size}
    if not paths:
        return []
    return list(scope.filter(PartyOrganization.objects.filter(path__in=paths)).select_related("kind").order_by("path"))


def compliance_drilldown(*, scope: Scope, start: dt.date, end: dt.date, node: PartyOrganization | None = None) -> ComplianceLevel:
    """The compliance table at `node` (None: at the user's scope roots): a row per child (or
    root) summed over its subtree, after a "本级" row when `node` itself holds meetings, and the
    node's totals. One pass over the rows of `compliance()` grouped by path prefix: the number of
    queries does not grow with the organisations."""
    rows = compliance(scope=scope, start=start, end=end)
    rates = attendance_by_path(scope=scope, start=start, end=end)
    if node is not None:
        rows = [c for c in rows if c.organization.path.startswith(node.path)]
        rates = {path: r for path, r in rates.items() if path.startswith(node.path)}
    total = SubtreeCompliance(node)
    groups = {head.path: SubtreeCompliance(head) for head in _drill_heads(scope, node, rows)}
    own = SubtreeCompliance(node, only_own=True)
    if node is not None:
        groups[node.path] = own  # its own meetings; the children are longer paths
    lengths = sorted({len(path) for path in groups}, reverse=True)

    def group_of(path: str) -> SubtreeCompliance | None:
        return next((groups[path[:n]] for n in lengths if len(path) >= n and path[:n] in groups), None)

    for c in rows:
        total.add(c)
        if (group := group_of(c.organization.path)) is not None:
            group.add(c)
    for path, rate in rates.items():
        total.add_attendance(rate)
        if (group := group_of(path)) is not None:
            group.add_attendance(rate)
    children = [g for g in groups.values() if g.organizations and not g.only_own]
    return ComplianceLevel(node, total, ([own] if own.own or own.due else []) + children)


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


# ---- 参会率 of each member ---------------------------------------------------------------------


def member_attendance_rates(*, scope: Scope, organization: PartyOrganization, start: dt.date, end: dt.date) -> QuerySet[PartyMember]:
    """参会率 of each member at an organisation's meetings held in [start, end]: its members 在册
    now and anyone due at one of those meetings (transferred since), each with `due` (应到),
    `present`, `leave`, `absent` and `rate` (None when never due), lowest rate first (never due
    last). One grouped query."""
    at = Q(attendance__meeting__organization=organization, attendance__meeting__held_on__range=(start, end))
    was_due = Attendance.objects.filter(meeting__organization=organization, meeting__held_on__range=(start, end)).values("member_id")
    members = PartyMember.objects.filter(Q(organization=organization, status=MemberStatus.ACTIVE) | Q(pk__in=was_due))
    return (
        scope.filter(members).select_related("person")
        .annotate(
            due=Count("attendance", filter=at),
            present=Count("attendance", filter=at & Q(attendance__status=AttendanceStatus.PRESENT)),
            leave=Count("attendance", filter=at & Q(attendance__status=AttendanceStatus.LEAVE)),
            absent=Count("attendance", filter=at & Q(attendance__status=AttendanceStatus.ABSENT)),
        )
        .annotate(rate=Cast("present", FloatField()) / NullIf(Cast("due", FloatField()), Value(0.0)))
        .order_by(F("rate").asc(nulls_last=True), "-due", "person__name", "pk")
    )
