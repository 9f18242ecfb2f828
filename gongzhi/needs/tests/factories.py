"""Helpers for the needs tests: categories by code, times on given days, a need registered fast."""

import datetime as dt

from django.utils import timezone

from gongzhi.needs import services
from gongzhi.needs.models import Channel, NeedCategory


def category(code: str) -> NeedCategory:
    return NeedCategory.objects.get(code=code)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def days_ago(n: int, hour: int = 9) -> dt.datetime:
    """`hour` o'clock `n` days ago, but never later than now (today before 9 o'clock: now)."""
    return min(at(timezone.localdate() - dt.timedelta(days=n), hour), timezone.now())


def need(scope, user, *, title="楼道灯不亮", code="repair", place=None, registered_at=None, **kwargs):
    return services.need_register(scope=scope, acting_user=user, title=title, category=category(code), channel=kwargs.pop("channel", Channel.GRID_VISIT),
                                  place=place, registered_at=registered_at, **kwargs)
