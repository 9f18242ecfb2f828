"""Reads of the 法治讲座 loop, shaped for the pages: every staff read takes `scope`; the public page
and the teacher's link read one 社区's or one teacher's records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place

from .models import (
    Feedback, InviteStatus, LectureOrder, LectureRequest, OrderInvite, OrderStatus, RequestStatus, RequestStep, Teacher, Topic,
)

O, R = OrderStatus, RequestStatus
OPEN_ORDERS = (O.ASKED, O.DECLINED, O.ACCEPTED)
DONE_ORDERS = (O.HELD, O.CLOSED)


# ---- teachers and topics -------------------------------------------------------------------------


def topics(*, active_only: bool = True) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.annotate(n_teachers=Count("teachers", filter=Q(teachers__is_active=True), distinct=True))


def teacher_list(*, scope: Scope, q: str = "", kind: str = "", topic: int | None = None, active: str = "") -> QuerySet[Teacher]:
    qs = scope.filter(Teacher.objects.select_related("place")).prefetch_related("topics")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(organisation__contains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topics=topic)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.annotate(n_accepted=Count("invites", filter=Q(invites__status=InviteStatus.ACCEPTED))).order_by("-is_active", "name", "id")


def teacher_get(*, scope: Scope, pk) -> Teacher:
    return scope.get(Teacher.objects.select_related("place", "person").prefetch_related("topics"), pk=pk)


def teachers_for_community(*, community: Place) -> QuerySet[Teacher]:
    """Active teachers serving a 社区: its own and those registered above it."""
    paths = ancestor_paths(community.path, Place.steplen)
    return Teacher.objects.filter(is_active=True, place__path__in=paths).select_related("place").prefetch_related("topics").order_by("kind", "name")


def teacher_find(token: str) -> Teacher | None:
    if not token or len(token) > 64:
        return None
    return Teacher.objects.filter(token=token, is_active=True).first()


def teacher_invites(*, teacher: Teacher) -> list[OrderInvite]:
    return list(teacher.invites.select_related("order__community", "order__topic").order_by("-order__starts_at", "-id")[:100])


def teacher_orders(*, scope: Scope, teacher: Teacher) -> QuerySet[OrderInvite]:
    return scope.filter(teacher.invites.select_related("order__community").order_by("-order__starts_at", "-id"))


# ---- requests ------------------------------------------------------------------------------------


def _with_seconds(qs: QuerySet[LectureRequest]) -> QuerySet[LectureRequest]:
    return qs.annotate(n_seconds=Count("seconds"))


def request_list(*, scope: Scope, status: str = "", community: Place | None = None, topic: int | None = None, q: str = "") -> QuerySet[LectureRequest]:
    qs = scope.filter(LectureRequest.objects.select_related("community", "person", "topic", "order"))
    if status:
        qs = qs.filter(status=status)
    if community is not None:
        qs = qs.filter(community=community)
    if topic:
        qs = qs.filter(topic=topic)
    if q:
        qs = qs.filter(Q(wish__contains=q) | Q(topic__title__contains=q) | Q(person__name=q))
    return _with_seconds(qs).order_by("-created_at", "-id")


def request_get(*, scope: Scope, pk) -> LectureRequest:
    return scope.get(_with_seconds(LectureRequest.objects.select_related("community", "person__place", "topic", "order", "recorded_by")), pk=pk)


def request_steps(*, request: LectureRequest) -> list[RequestStep]:
    return list(request.steps.select_related("by").order_by("at", "id"))


def open_requests(*, community: Place) -> QuerySet[LectureRequest]:
    """A 社区's requests waiting for an order (to choose from when ordering), most seconded first."""
    return _with_seconds(LectureRequest.objects.filter(community=community, status=R.OPEN).select_related("topic", "person")).order_by("-n_seconds", "created_at")


def request_counts(*, scope: Scope) -> dict[str, int]:
    rows = scope.filter(LectureRequest.objects.all()).order_by().values_list("status").annotate(n=Count("id"))
    return {s: 0 for s in R.values} | dict(rows)


# ---- orders --------------------------------------------------------------------------------------


def order_list(*, scope: Scope, status: str = "", community: Place | None = None, topic: int | None = None,
               start: dt.date | None = None, end: dt.date | None = None, q: str = "") -> QuerySet[LectureOrder]:
    qs = scope.filter(LectureOrder.objects.select_related("community", "topic"))
    if status == "open":
        qs = qs.filter(status__in=OPEN_ORDERS)
    elif status:
        qs = qs.filter(status=status)
    if community is not None:
        qs = qs.filter(community=community)
    if topic:
        qs = qs.filter(topic=topic)
    since, until = _days(start, end)
    if since:
        qs = qs.filter(starts_at__gte=since)
    if until:
        qs = qs.filter(starts_at__lt=until)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(venue__contains=q))
    teachers = Prefetch("invites", queryset=OrderInvite.objects.select_related("teacher").order_by("asked_at", "id"))
    return qs.prefetch_related(teachers).annotate(n_requests=Count("requests", distinct=True)).order_by("-starts_at", "-id")


def _days(start, end):
    tz = timezone.get_default_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return since, until


def order_get(*, scope: Scope, pk) -> LectureOrder:
    return scope.get(LectureOrder.objects.select_related("community", "topic", "ordered_by"), pk=pk)


def order_detail(*, order: LectureOrder) -> dict:
    """What the order page shows besides the order: the teachers asked, the requests it answers,
    the steps, the feedback and its average."""
    feedback = list(order.feedback.select_related("person").order_by("-created_at", "-id"))
    return {
        "invites": list(order.invites.select_related("teacher").order_by("asked_at", "id")),
        "requests": list(_with_seconds(order.requests.select_related("person", "topic")).order_by("-n_seconds", "id")),
        "steps": list(order.steps.select_related("by", "teacher").order_by("at", "id")),
        "feedback": feedback,
        "rating": order.feedback.aggregate(avg=Avg("rating"))["avg"],
    }


def order_counts(*, scope: Scope) -> dict[str, int]:
    rows = scope.filter(LectureOrder.objects.all()).order_by().values_list("status").annotate(n=Count("id"))
    return {s: 0 for s in O.values} | dict(rows)


def upcoming_orders(*, scope: Scope, now: dt.datetime, limit: int = 10) -> list[LectureOrder]:
    qs = scope.filter(LectureOrder.objects.filter(status__in=OPEN_ORDERS, starts_at__gte=now).select_related("community", "topic"))
    return list(qs.order_by("starts_at", "id")[:limit])


def orders_to_hold(*, scope: Scope, now: dt.datetime) -> int:
    """Accepted lectures whose time has passed: the 社区 should record them as held."""
    return scope.filter(LectureOrder.objects.filter(status=O.ACCEPTED, starts_at__lt=now)).count()


# ---- the public page -----------------------------------------------------------------------------


def public_requests(*, community: Place) -> list[LectureRequest]:
    qs = LectureRequest.objects.filter(community=community).exclude(status=R.ANSWERED, updated_at__lt=timezone.now() - dt.timedelta(days=365))
    return list(_with_seconds(qs.select_related("person", "topic", "order")).order_by("status", "-n_seconds", "-created_at")[:60])


def public_upcoming(*, community: Place, now: dt.datetime) -> list[LectureOrder]:
    teachers = Prefetch("invites", queryset=OrderInvite.objects.filter(status=InviteStatus.ACCEPTED).select_related("teacher"), to_attr="accepted")
    qs = LectureOrder.objects.filter(community=community, status=O.ACCEPTED, starts_at__gte=now - dt.timedelta(hours=6))
    return list(qs.select_related("topic").prefetch_related(teachers).order_by("starts_at", "id")[:20])


def public_past(*, community: Place) -> list[LectureOrder]:
    teachers = Prefetch("invites", queryset=OrderInvite.objects.filter(status=InviteStatus.ACCEPTED).select_related("teacher"), to_attr="accepted")
    qs = LectureOrder.objects.filter(community=community, status__in=DONE_ORDERS).annotate(avg_rating=Avg("feedback__rating"), n_feedback=Count("feedback"))
    return list(qs.select_related("topic").prefetch_related(teachers).order_by("-starts_at", "-id")[:20])


def public_order(*, community: Place, pk) -> LectureOrder | None:
    return LectureOrder.objects.filter(community=community, pk=pk).select_related("community").first() if str(pk).isdigit() else None


def public_request(*, community: Place, pk) -> LectureRequest | None:
    return LectureRequest.objects.filter(community=community, pk=pk).select_related("community").first() if str(pk).isdigit() else None




# ---- figures -------------------------------------------------------------------------------------


def lecture_figures(*, scope: Scope, start: dt.date, end: dt.date, by_community: bool = False):
    """Lectures held over the Beijing days [start, end] (by their date), their attendance and
    average rating; requests made in those days and how many of them have been answered (已开讲).
    Two grouped queries; `by_community`: {community_id: dict}, else one dict."""
    since, until = _days(start, end)
    held = scope.filter(LectureOrder.objects.filter(status__in=DONE_ORDERS, starts_at__gte=since, starts_at__lt=until)).order_by()
    made = scope.filter(LectureRequest.objects.filter(created_at__gte=since, created_at__lt=until)).order_by()
    ratings = scope.filter(Feedback.objects.filter(order__status__in=DONE_ORDERS, order__starts_at__gte=since, order__starts_at__lt=until)).order_by()
    held_sums = {"held": Count("id"), "attendance": Sum("attendance")}
    made_sums = {"made": Count("id"), "answered": Count("id", filter=Q(status=R.ANSWERED))}
    rating_sums = {"rating": Avg("rating"), "ratings": Count("id")}
    if not by_community:
        return held.aggregate(**held_sums) | made.aggregate(**made_sums) | ratings.aggregate(**rating_sums)
    out: dict[int, dict] = {}
    for qs, key, sums in ((held, "community_id", held_sums), (made, "community_id", made_sums), (ratings, "order__community_id", rating_sums)):
        for row in qs.values(key).annotate(**sums):
            out.setdefault(row.pop(key), {}).update(row)
    return out
