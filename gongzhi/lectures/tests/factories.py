"""Builders for the 法治讲座 tests: a teacher, a request, an order placed through the services."""

import datetime as dt

from django.utils import timezone

from gongzhi.core.scope import EVERYTHING
from gongzhi.lectures import services
from gongzhi.lectures.models import RequestChannel, Teacher, TeacherKind, Topic


def topic(title="识破电信网络诈骗") -> Topic:
    return Topic.objects.get(title=title)


def teacher(place, name="李律师", kind=TeacherKind.EXPERT, organisation="东风律师事务所", **extra) -> Teacher:
    return services.teacher_create(scope=EVERYTHING, acting_user=None, place=place, name=name, kind=kind, organisation=organisation, **extra)


def request(community, person, title="识破电信网络诈骗", wish=""):
    return services.request_submit(community=community, person=person, topic=topic(title) if title else None, wish=wish, channel=RequestChannel.PUBLIC)


def order(community, teachers, requests=(), user=None, starts_at=None, title="识破电信网络诈骗", **extra):
    starts_at = starts_at or timezone.now() + dt.timedelta(days=7)
    defaults = {"venue": "社区党群服务中心二楼", "audience": "全体居民", "expected_size": 40}
    return services.order_place(scope=EVERYTHING, acting_user=user, community=community, topic=topic(title), title="", starts_at=starts_at,
                                teachers=teachers, requests=requests, **(defaults | extra))


def accepted(order_, teacher_):
    invite = order_.invites.get(teacher=teacher_)
    services.invite_answer(teacher=teacher_, invite=invite, accept=True)
    order_.refresh_from_db()
    return order_


def held(order_, attendance=30, at=None):
    """Hold an accepted order whose time is moved into the past first."""
    from gongzhi.lectures.models import LectureOrder

    past = at or timezone.now() - dt.timedelta(hours=2)
    LectureOrder.objects.filter(pk=order_.pk).update(starts_at=past)
    order_.refresh_from_db()
    services.order_hold(scope=EVERYTHING, acting_user=None, order=order_, attendance=attendance)
    order_.refresh_from_db()
    return order_
