"""Hand-made volunteers, activities and shifts on the `world` fixture (conftest.py)."""

import datetime as dt

from django.utils import timezone

from gongzhi.volunteers import services
from gongzhi.volunteers.models import VolunteerKind


def ago(**delta) -> dt.datetime:
    """A moment in the past, to the minute (check-in times may not lie in the future)."""
    return (timezone.now() - dt.timedelta(**delta)).replace(second=0, microsecond=0)


def volunteer(w, scope, person, kind=None, community=None, skills=()):
    kind = kind or (VolunteerKind.MEMBER if person.name in ("张三", "赵六", "孙七") else VolunteerKind.RESIDENT)
    return services.volunteer_register(scope=scope, acting_user=w.shequ1, person=person, community=community or w.C1, kind=kind, skills=skills)


def activity(w, scope, *, starts_at, hours=3, capacity=2, deadline=None, community=None, user=None, title="楼道清扫"):
    return services.activity_create(
        scope=scope, acting_user=user or w.shequ1, community=community or w.C1, title=title, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours), capacity=capacity, signup_deadline=deadline or starts_at,
    )
