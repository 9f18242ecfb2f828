"""The status flow of a need: which moves are allowed, and the one function that makes a move
(stamp, step row, history). Shared by the need and the project services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.text import clean_text
from gongzhi.org.models import PlaceLevel

from .models import Need, NeedStatus, NeedStep

S = NeedStatus
TRANSITIONS = {
    S.REGISTERED: (S.ACCEPTED, S.MERGED),
    S.ACCEPTED: (S.IN_PROGRESS, S.MERGED),
    S.IN_PROGRESS: (S.CLOSED, S.MERGED),
    S.CLOSED: (S.VISITED,),
}
STAMPS = {S.ACCEPTED: "accepted_at", S.IN_PROGRESS: "started_at", S.CLOSED: "closed_at", S.VISITED: "visited_at"}
NEED_LEVELS = (PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND, PlaceLevel.BUILDING, PlaceLevel.UNIT)


def locked(need: Need) -> Need:
    return Need.objects.select_for_update().select_related("category").get(pk=need.pk)


def _last_step_at(need: Need) -> dt.datetime | None:
    return need.steps.order_by("-at", "-id").values_list("at", flat=True).first()


def need_move(need: Need, to: str, *, acting_user, at: dt.datetime, note: str = "", fields: tuple[str, ...] = ()) -> Need:
    """Move a (locked) need to `to`, stamping the time and writing its step; refuses what the
    flow does not allow, naming both statuses. Used by the need and project services only."""
    if to not in TRANSITIONS.get(need.status, ()):
        raise ValidationError({"status": _("需求“%(title)s”不能从“%(from)s”变为“%(to)s”。") % {
            "title": need.title, "from": S(need.status).label, "to": S(to).label}})
    last = _last_step_at(need)
    if at > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError({"status": _("办理时间不能晚于现在。")})
    if last is not None and at < last:
        raise ValidationError({"status": _("办理时间不能早于上一步（%(last)s）。") % {"last": f"{timezone.localtime(last):%Y-%m-%d %H:%M}"}})
    step = NeedStep(need=need, from_status=need.status, to_status=to, by=acting_user, at=at, note=clean_text(note))
    need.status = to
    changed = ["status", "updated_at", *fields]
    if to in STAMPS:
        setattr(need, STAMPS[to], at)
        changed.append(STAMPS[to])
    need._history_user = acting_user
    need.save(update_fields=changed)
    step.save()
    return need
