"""Reads of 志愿服务: every selector takes `*, scope` and returns what the scope may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongzhi.core.scope import Scope

from .models import Activity, ActivityStatus, ServiceRecord, Shift, ShiftAssignment, Volunteer, VolunteerStatus

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


def activity_get(*, scope: Scope, id: int) -> Activity:
    return scope.get(Activity.objects.select_related("community", "organiser"), pk=id)


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
    """Who is on a shift (in scope), with their check-in and check-out."""
    return (scope.filter(ShiftAssignment.objects.filter(shift=shift))
            .select_related("volunteer__person").order_by("volunteer__person__name", "id"))


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
