"""Reads of 志愿服务: every selector takes `*, scope` and returns what the scope may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.people.models import CommunityCheckin, MemberStatus, Person
from gongzhi.people.selectors import person_get

from .models import (
    Activity, ActivityStatus, Post, PostKind, ServiceRecord, ServiceSource, Shift, ShiftAssignment, ShiftLog, Team, TeamKind, TeamMembership,
    Volunteer, VolunteerKind, VolunteerStatus,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=1))


def volunteer_list(*, scope: Scope, community=None, kind: str | None = None, skill=None, active_only: bool = True) -> QuerySet[Volunteer]:
    qs = scope.filter(Volunteer.objects.all())
    if community is not None:
        qs = qs.filter(community=community)
    if kind:
        qs = qs.filter(kind=kind)
    if skill is not None:
        qs = qs.filter(skills=skill)
    if active_only:
        qs = qs.filter(status=VolunteerStatus.ACTIVE)
    return qs.select_related("person", "community").prefetch_related("skills").order_by("community_id", "person__name", "id")


def volunteer_get(*, scope: Scope, id: int) -> Volunteer:
    return scope.get(Volunteer.objects.select_related("person", "community"), pk=id)


def volunteer_memberships(*, scope: Scope, volunteer: Volunteer) -> QuerySet[TeamMembership]:
    """The teams of a volunteer, current ones first."""
    return scope.filter(TeamMembership.objects.filter(volunteer=volunteer)).select_related("team").order_by("left_on", "-joined_on")


def volunteer_choices(*, scope: Scope, community, q: str = "", exclude: QuerySet | None = None) -> QuerySet[Volunteer]:
    """Active volunteers of `community` (in scope) to pick from, by name; `exclude`: ids already
    taken (a team's current members, a shift's roster)."""
    qs = volunteer_list(scope=scope, community=community).prefetch_related(None)
    if q:
        qs = qs.filter(person__name__contains=q)
    if exclude is not None:
        qs = qs.exclude(pk__in=exclude)
    return qs


def checkin_candidates(*, scope: Scope, q: str = "") -> QuerySet[Person]:
    """在职党员 who may be registered in scope though they live elsewhere: persons whose active
    party member has a CommunityCheckin (报到) to a community in scope, each with `checkins_here`
    (those 报到 records, with their community) on `person.party_member`."""
    checkins = scope.filter(CommunityCheckin.objects.all())
    qs = Person.objects.filter(party_member__status=MemberStatus.ACTIVE, party_member__checkins__in=checkins)
    if q:
        qs = qs.filter(name__contains=q)
    return (qs.distinct().select_related("place", "party_member")
            .prefetch_related(Prefetch("party_member__checkins", queryset=checkins.select_related("community").order_by("community__path"),
                                       to_attr="checkins_here"))
            .order_by("name", "id"))


def registrable_person_get(*, scope: Scope, pk) -> Person:
    """A person who may be registered as a volunteer by this scope: one visible in scope
    (people.selectors.person_get), or an 在职党员 who reported to a community in scope; any
    other is a 404."""
    try:
        return person_get(scope=scope, pk=pk)
    except Http404:
        person = checkin_candidates(scope=scope).filter(pk=pk).first() if str(pk).isdigit() else None
        if person is None:
            raise Http404(_("不存在或无权查看。"))
        return person


def records_of(*, scope: Scope, **lookup) -> QuerySet[ServiceRecord]:
    """Verified records in scope (with their reversals), newest first."""
    return (scope.filter(ServiceRecord.objects.filter(**lookup))
            .select_related("volunteer__person", "verified_by", "reverses", "reversed_by")
            .order_by("-served_on", "-id"))


# ---- activities -----------------------------------------------------------------------------------


def activity_get(*, scope: Scope, id: int) -> Activity:
    return scope.get(Activity.objects.select_related("community", "organiser"), pk=id)


def activity_list(*, scope: Scope, status: str = "") -> QuerySet[Activity]:
    """Activities in scope (of `status` when given), latest first, each with `signed_up`."""
    qs = scope.filter(Activity.objects.all())
    if status in ActivityStatus.values:
        qs = qs.filter(status=status)
    return (qs.select_related("community")
            .annotate(signed_up=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
            .order_by("-starts_at", "-id"))


def activity_signups(*, scope: Scope, activity: Activity) -> QuerySet:
    """An activity's sign-ups, standing ones first."""
    return scope.filter(activity.signups.all()).select_related("volunteer__person").order_by("cancelled_at", "signed_up_at", "id")


# ---- teams ----------------------------------------------------------------------------------------


def team_list(*, scope: Scope, q: str = "", kind: str = "") -> QuerySet[Team]:
    """Teams in scope (by name, of `kind`), each with `member_count` and `current` memberships."""
    qs = scope.filter(Team.objects.all())
    if q:
        qs = qs.filter(name__contains=q)
    if kind:
        qs = qs.filter(kind=kind)
    current = TeamMembership.objects.filter(left_on__isnull=True).select_related("volunteer__person").order_by("volunteer__person__name")
    return (qs.select_related("community")
            .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
            .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current"))
            .order_by("community_id", "name"))


def team_get(*, scope: Scope, id: int) -> Team:
    return scope.get(Team.objects.select_related("community"), pk=id)


def team_memberships(*, scope: Scope, team: Team, current: bool = True) -> QuerySet[TeamMembership]:
    """A team's current members (by name) or former ones (latest to leave first)."""
    qs = scope.filter(team.memberships.filter(left_on__isnull=current)).select_related("volunteer__person")
    return qs.order_by("volunteer__person__name", "id") if current else qs.order_by("-left_on", "-id")


def team_membership_get(*, scope: Scope, team: Team, id) -> TeamMembership:
    """A current membership of `team` (any other, or another team's, is a 404)."""
    return scope.get(team.memberships.filter(left_on__isnull=True).select_related("volunteer__person"), pk=id)


# ---- posts and shifts -----------------------------------------------------------------------------


def post_list(*, scope: Scope, kind: str = "", since: dt.datetime | None = None) -> QuerySet[Post]:
    """Active posts in scope, each with `upcoming`: its shifts ending from `since` (default: the
    start of today) on, with their rosters."""
    since = since or timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    roster = ShiftAssignment.objects.select_related("volunteer__person").order_by("volunteer__person__name", "id")
    shifts = Shift.objects.filter(ends_at__gte=since).prefetch_related(Prefetch("assignments", queryset=roster)).order_by("starts_at", "id")
    qs = scope.filter(Post.objects.filter(is_active=True))
    if kind:
        qs = qs.filter(kind=kind)
    return (qs.select_related("community", "place")
            .prefetch_related(Prefetch("shifts", queryset=shifts, to_attr="upcoming")).order_by("community_id", "name"))


def post_get(*, scope: Scope, id: int) -> Post:
    return scope.get(Post.objects.select_related("community", "place"), pk=id)


def post_shifts(*, scope: Scope, post: Post, past: bool = False, now: dt.datetime | None = None) -> QuerySet[Shift]:
    """A post's shifts not yet ended (soonest first) or ended (latest first), each with
    `assigned`, `checked_in` and `checked_out` counts."""
    now = now or timezone.now()
    qs = scope.filter(post.shifts.filter(ends_at__lt=now) if past else post.shifts.filter(ends_at__gte=now))
    qs = qs.annotate(assigned=Count("assignments"), checked_in=Count("assignments", filter=Q(assignments__checked_in_at__isnull=False)),
                     checked_out=Count("assignments", filter=Q(assignments__checked_out_at__isnull=False)))
    return qs.order_by("-starts_at", "-id") if past else qs.order_by("starts_at", "id")


def post_hours(*, scope: Scope, post: Post | None = None) -> Decimal:
    """Verified hours of shifts (of one post when given; reversals netted)."""
    qs = scope.filter(ServiceRecord.objects.filter(source=ServiceSource.SHIFT))
    if post is not None:
        qs = qs.filter(source_id__in=Shift.objects.filter(post=post).values("pk"))
    return qs.aggregate(h=Coalesce(Sum("hours"), ZERO))["h"]


def shift_get(*, scope: Scope, id: int) -> Shift:
    return scope.get(Shift.objects.select_related("post__community", "post__place"), pk=id)


def shift_logs(*, scope: Scope, shift: Shift) -> QuerySet[ShiftLog]:
    """值守记录 of a shift, latest first, with who wrote them."""
    return scope.filter(shift.logs.all()).select_related("logged_by").order_by("-logged_at", "-id")


def _records(scope: Scope, start: dt.date | None, end: dt.date | None) -> QuerySet[ServiceRecord]:
    qs = scope.filter(ServiceRecord.objects.all())
    if start is not None:
        qs = qs.filter(served_on__gte=start)
    if end is not None:
        qs = qs.filter(served_on__lte=end)
    return qs


def volunteer_hours(*, scope: Scope, volunteer: Volunteer, start: dt.date | None = None, end: dt.date | None = None) -> Decimal:
    """Verified hours of a volunteer served in [start, end] (reversals netted)."""
    return _records(scope, start, end).filter(volunteer=volunteer).aggregate(h=Coalesce(Sum("hours"), ZERO))["h"]


def hours_by_community(*, scope: Scope, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """Per community: verified hours and the number of volunteers with a record, largest first."""
    return (_records(scope, start, end).values("community_id", name=F("community__name"))
            .annotate(hours=Sum("hours"), volunteers=Count("volunteer_id", distinct=True))
            .order_by("-hours", "community_id"))


def shift_roster(*, scope: Scope, shift: Shift) -> QuerySet[ShiftAssignment]:
    """Who is on a shift (in scope), with their check-in and check-out and who assigned them."""
    return (scope.filter(ShiftAssignment.objects.filter(shift=shift))
            .select_related("volunteer__person", "assigned_by").order_by("volunteer__person__name", "id"))


def activities_open(*, scope: Scope, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """Published activities still taking sign-ups, each with `signed_up` and `remaining` places."""
    now = now or timezone.now()
    return (scope.filter(Activity.objects.filter(status=ActivityStatus.PUBLISHED, signup_deadline__gte=now))
            .annotate(signed_up=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
            .annotate(remaining=F("capacity") - F("signed_up"))
            .filter(remaining__gt=0)
            .select_related("community", "organiser").order_by("starts_at", "id"))


@dataclass(frozen=True)
class CertificateLine:
    served_on: dt.date
    description: str
    hours: Decimal
    source: str


@dataclass(frozen=True)
class Certificate:
    """What a 志愿服务证明 shows (民政部令第67号: issued free by the organisation that recorded it)."""

    name: str
    id_number_mask: str
    issuer: str
    start: dt.date
    end: dt.date
    lines: list[CertificateLine] = field(default_factory=list)
    total: Decimal = Decimal("0.0")


def certificate_data(*, scope: Scope, volunteer: Volunteer, start: dt.date, end: dt.date) -> Certificate:
    """The standing records of the volunteer served in [start, end] (reversed ones and their
    reversals left out), with the total. The ID number is the stored mask, never decrypted."""
    volunteer = scope.get(Volunteer.objects.select_related("person", "community"), pk=volunteer.pk)
    rows = (_records(scope, start, end).filter(volunteer=volunteer, reverses__isnull=True, reversed_by__isnull=True)
            .order_by("served_on", "id").values_list("served_on", "description", "hours", "source"))
    lines = [CertificateLine(*row) for row in rows]
    return Certificate(
        name=volunteer.person.name, id_number_mask=volunteer.person.id_number_mask, issuer=volunteer.community.name,
        start=start, end=end, lines=lines, total=sum((line.hours for line in lines), Decimal("0.0")),
    )


# ---- headline figures (gongzhi.volunteers.indicators) --------------------------------------------


def volunteer_counts_by_kind(*, scope: Scope) -> dict[str, int]:
    """Active volunteers in scope by kind, 0 when none: one grouped query."""
    counts = dict.fromkeys(VolunteerKind.values, 0)
    counts.update(scope.filter(Volunteer.objects.filter(status=VolunteerStatus.ACTIVE)).order_by().values_list("kind").annotate(n=Count("id")))
    return counts


def team_counts_by_kind(*, scope: Scope) -> dict[str, int]:
    """Teams in scope by kind, 0 when none: one grouped query."""
    counts = dict.fromkeys(TeamKind.values, 0)
    counts.update(scope.filter(Team.objects.all()).order_by().values_list("kind").annotate(n=Count("id")))
    return counts


def post_counts_by_kind(*, scope: Scope) -> dict[str, int]:
    """Active posts in scope by kind, 0 when none: one grouped query."""
    counts = dict.fromkeys(PostKind.values, 0)
    counts.update(scope.filter(Post.objects.filter(is_active=True)).order_by().values_list("kind").annotate(n=Count("id")))
    return counts


def service_totals(*, scope: Scope, start: dt.date, end: dt.date) -> tuple[Decimal, int]:
    """Verified hours served in scope over the days [start, end] (reversals netted) and the
    volunteers with a standing record then (one not reversed): one aggregate query."""
    standing = Q(reverses__isnull=True, reversed_by__isnull=True)
    figures = _records(scope, start, end).aggregate(hours=Coalesce(Sum("hours"), ZERO), volunteers=Count("volunteer_id", filter=standing, distinct=True))
    return figures["hours"], figures["volunteers"]


def activity_count(*, scope: Scope, start: dt.date, end: dt.date) -> int:
    """Activities in scope starting over the days [start, end], cancelled ones left out."""
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return scope.filter(Activity.objects.filter(starts_at__gte=since, starts_at__lt=until).exclude(status=ActivityStatus.CANCELLED)).count()
