"""Members' side of organisational life: 参会率, 教育覆盖率, warnings, political birthdays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext as _

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.org.selectors.common import Coverage
from gongzhi.people.models import MemberStatus, PartyMember

from ..models import Attendance, AttendanceStatus, Exemption, Meeting


# ---- rates and warnings -------------------------------------------------------------------------


def attendance_rates(*, scope: Scope, start: dt.date, end: dt.date, organization: PartyOrganization | None = None) -> dict[int, Coverage]:
    """参会率 of each organisation in scope (or just `organization`) for meetings held in [start, end]: 实到 ÷ 应到."""
    meetings = Meeting.objects.filter(held_on__range=(start, end))
    if organization is not None:
        meetings = meetings.filter(organization=organization)
    rows = (
        scope.filter(meetings)
        .values("organization_id")
        .annotate(due=Count("attendance"), present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)))
    )
    return {r["organization_id"]: Coverage.of(r["present"], r["due"]) for r in rows}


def education_coverage(*, scope: Scope, start: dt.date, end: dt.date, node: PartyOrganization | None = None) -> Coverage:
    """党员教育覆盖率: members in scope (of `node`'s subtree, if given) on `end` who were present at
    one education meeting (党课, 主题党日 … as the meeting types say) or more in [start, end], ÷
    those members. Two queries."""
    members = _members_on(scope, end)
    if node is not None:
        members = members.filter(node.subtree_q("organization__path"))
    return Coverage.of(members.filter(_educated_q(scope, start, end)).count(), members.count())


def education_counts(*, scope: Scope, start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """The scope's members on `end` per organisation (by its path): (educated in [start, end],
    members). Two grouped queries; the scope's 教育覆盖率 is their sum, an organisation's the sum
    over its subtree."""
    members = _members_on(scope, end).order_by()
    per_org = members.values_list("organization__path").annotate(n=Count("pk"))
    educated = dict(per_org.filter(_educated_q(scope, start, end)))
    return {path: (educated.get(path, 0), n) for path, n in per_org}


def education_coverages(*, scope: Scope, start: dt.date, end: dt.date, nodes: list[PartyOrganization],
                        counts: dict[str, tuple[int, int]] | None = None) -> dict[int, Coverage]:
    """`education_coverage` of many organisations (each its subtree) at once, from
    `education_counts` (given, or read now): two queries instead of two per organisation."""
    counts = education_counts(scope=scope, start=start, end=end) if counts is None else counts
    wanted = {node.path: node.pk for node in nodes}
    sums = {pk: [0, 0] for pk in wanted.values()}
    step = PartyOrganization.steplen
    for path, (educated, total) in counts.items():
        for ancestor in ancestor_paths(path, step):
            node = wanted.get(ancestor)
            if node is not None:
                sums[node][0] += educated
                sums[node][1] += total
    return {pk: Coverage.of(n, d) for pk, (n, d) in sums.items()}


def _members_on(scope: Scope, end: dt.date) -> QuerySet[PartyMember]:
    return scope.filter(PartyMember.objects.filter(joined_on__lte=end).filter(Q(status=MemberStatus.ACTIVE) | Q(status_changed_on__gt=end)))


def _educated_q(scope: Scope, start: dt.date, end: dt.date) -> Q:
    """Members present at an education meeting in [start, end], as a WHERE condition (inside an
    aggregate's FILTER PostgreSQL would run the subquery once per member). For the whole tree a
    semi-join on the period's attendance; for a part of it, a correlated EXISTS per member in scope
    (SQLite would build the whole district's set first: 1.8 s for one 社区 instead of 0.2 s)."""
    present = Attendance.objects.filter(status=AttendanceStatus.PRESENT, meeting__meeting_type__is_education=True,
                                        meeting__held_on__range=(start, end))
    if scope.everything or scope.whole_tree:
        return Q(pk__in=present.values("member_id"))
    return Q(Exists(present.filter(member_id=OuterRef("pk"))))


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
