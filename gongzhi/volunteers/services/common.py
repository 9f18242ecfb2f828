"""Pieces shared by the services: time windows, check-in and check-out of a sign-up or a shift
assignment (both carry checked_in_at / checked_out_at and belong to something with a start and
an end)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.org.models import PlaceLevel

from ..models import RecordRules


def require_community(scope, community, field: str = "community") -> None:
    scope.require(community)
    if community.level != PlaceLevel.COMMUNITY:
        raise ValidationError({field: _("请选择一个社区。")})


def check_window(starts_at: dt.datetime, ends_at: dt.datetime, capacity: int | None = None) -> dict:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间应晚于开始时间。")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("人数至少为 1。")
    return errors


def _fmt(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _in_window(at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, field: str, what: str) -> None:
    tolerance = dt.timedelta(minutes=RecordRules.current().checkin_tolerance_minutes)
    if not (starts_at - tolerance <= at <= ends_at + tolerance):
        raise ValidationError({field: _("%(what)s时间应在 %(start)s 至 %(end)s 之间（含前后%(minutes)s分钟）。") % {
            "what": what, "start": _fmt(starts_at), "end": _fmt(ends_at), "minutes": int(tolerance.total_seconds() // 60)}})
    if at > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError({field: _("%(what)s时间不能晚于当前时间。") % {"what": what}})


def mark_check_in(row, at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, acting_user) -> None:
    if row.checked_in_at is not None:
        raise ValidationError({"checked_in_at": _("%(name)s已于 %(time)s 签到。") % {"name": row.volunteer.person.name, "time": _fmt(row.checked_in_at)}})
    _in_window(at, starts_at, ends_at, "checked_in_at", _("签到"))
    row.checked_in_at = at
    row._history_user = acting_user
    row.save(update_fields=["checked_in_at"])


def mark_check_out(row, at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, acting_user) -> None:
    name = row.volunteer.person.name
    if row.checked_in_at is None:
        raise ValidationError({"checked_out_at": _("%(name)s尚未签到，不能签退。") % {"name": name}})
    if row.checked_out_at is not None:
        raise ValidationError({"checked_out_at": _("%(name)s已于 %(time)s 签退。") % {"name": name, "time": _fmt(row.checked_out_at)}})
    _in_window(at, starts_at, ends_at, "checked_out_at", _("签退"))
    if at <= row.checked_in_at:
        raise ValidationError({"checked_out_at": _("签退时间应晚于签到时间（%(time)s）。") % {"time": _fmt(row.checked_in_at)}})
    row.checked_out_at = at
    row._history_user = acting_user
    row.save(update_fields=["checked_out_at"])
