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

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.org.selectors import org_roots
from gongzhi.org.selectors.common import Coverage

from ..models import AttendanceStatus, FrequencyRule, LecturerRole, Meeting, Period

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


def compliance(*, scope: Scope, start: dt.date, end: dt.date, organization: PartyOrganization | None = None) -> list[OrgCompliance]:
    """Every organisation in scope with rules (or just `organization`), by tree order, with its
    required, met and what is missing."""
    rules = defaultdict(list)
    for rule in FrequencyRule.objects.select_related("meeting_type"):
        rules[rule.org_kind_id].append(rule)
    in_scope = scope.filter(PartyOrganization.objects.filter(kind_id__in=list(rules)))
    if organization is not None:
        in_scope = in_scope.filter(pk=organization.pk)
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
