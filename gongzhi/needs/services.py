"""Writing the needs list (需求清单): register, accept, start, close, visit, merge.

Every write is atomic and scope-checked, and each change of status leaves one immutable
`NeedStep` (from, to, who, when, note). The allowed moves are the flow itself, not local
practice: 登记 → 受理 → 办理中 → 办结 → 回访, and an open need may be merged (已合并) into another
open need. Projects are written by `project_services` (re-exported here).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.org.models import Place
from gongzhi.people.models import Household, Person

from .flow import NEED_LEVELS, S, locked, need_move
from .models import Channel, Need, NeedCategory, NeedStep, Satisfaction, Urgency
from .project_services import (  # the project half of the writes: one import for callers
    project_add_need,
    project_close,
    project_open,
    spending_add,
    task_add,
    task_done,
    task_set_dependencies,
)
from gongzhi.core.validators import validate_contact_note


def _who(*, scope: Scope, place: Place | None, household: Household | None, requester: Person | None) -> Place:
    """The need's place: given, or the household's, or the requester's; people must be in scope."""
    for obj, field in ((household, "household"), (requester, "requester")):
        if obj is not None and not scope.contains(obj):
            raise ValidationError({field: _("所选居民或住户不在您的管辖范围内。")})
    if household is not None:
        if place is not None and place.pk != household.place_id:
            raise ValidationError({"place": _("地点与该户所在楼栋不一致：请只选住户，或选其所在楼栋。")})
        place = household.place
    if place is None and requester is not None:
        place = requester.place
    if place is None:
        raise ValidationError({"place": _("请选择需求所在的社区、小区或楼栋。")})
    scope.require(place)
    if place.level not in NEED_LEVELS:
        raise ValidationError({"place": _("需求地点应为社区、小区、楼栋或单元，不能是%(level)s。") % {"level": place.get_level_display()}})
    return place


@transaction.atomic
def need_register(*, scope: Scope, acting_user, title: str, category: NeedCategory, channel: str, place: Place | None = None,
                  household: Household | None = None, requester: Person | None = None, description: str = "",
                  urgency: str = Urgency.NORMAL, contact_note: str = "", source_ref: str = "",
                  registered_at: dt.datetime | None = None) -> Need:
    """登记: a need as it came in (a grid worker's visit, a phone call, a meeting, a hotline ticket).
    `registered_at` may be earlier than now (entered after the visit), never later."""
    place = _who(scope=scope, place=place, household=household, requester=requester)
    now = timezone.now()
    registered_at = registered_at or now
    errors = {}
    title = clean_text(title)
    if not title:
        errors["title"] = _("请填写需求标题。")
    if not category.is_active:
        errors["category"] = _("需求类别“%(name)s”已停用。") % {"name": category.name}
    if channel == Channel.HOTLINE and not clean_text(source_ref):
        errors["source_ref"] = _("12345热线转办的需求请填写工单编号。")
    if registered_at > now + dt.timedelta(minutes=1):
        errors["registered_at"] = _("登记时间不能晚于现在。")
    try:
        validate_contact_note(contact_note)
    except ValidationError as e:
        errors["contact_note"] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    need = Need(title=title, category=category, channel=channel, place=place, household=household, requester=requester,
                description=description.strip(), urgency=urgency, contact_note=clean_text(contact_note),
                source_ref=clean_text(source_ref), registered_at=registered_at, registered_by=acting_user)
    need.full_clean()
    need._history_user = acting_user
    need.save()
    NeedStep.objects.create(need=need, from_status="", to_status=S.REGISTERED, by=acting_user, at=registered_at)
    return need


@transaction.atomic
def need_accept(*, scope: Scope, acting_user, need: Need, note: str = "", at: dt.datetime | None = None) -> Need:
    """受理: the community takes the need on."""
    scope.require(need)
    return need_move(locked(need), S.ACCEPTED, acting_user=acting_user, at=at or timezone.now(), note=note)


@transaction.atomic
def need_start(*, scope: Scope, acting_user, need: Need, note: str = "", at: dt.datetime | None = None) -> Need:
    """办理中, handled directly (a need joins a project through `project_services.project_add_need`)."""
    scope.require(need)
    return need_move(locked(need), S.IN_PROGRESS, acting_user=acting_user, at=at or timezone.now(), note=note)


@transaction.atomic
def need_close(*, scope: Scope, acting_user, need: Need, result: str, at: dt.datetime | None = None) -> Need:
    """办结, with the result recorded."""
    scope.require(need)
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("办结须填写办理结果。")})
    need = locked(need)
    need.result = result
    return need_move(need, S.CLOSED, acting_user=acting_user, at=at or timezone.now(), note=result, fields=("result",))


@transaction.atomic
def need_visit(*, scope: Scope, acting_user, need: Need, satisfaction: str, note: str = "", at: dt.datetime | None = None) -> Need:
    """回访: the requester's satisfaction with a closed need."""
    scope.require(need)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("回访须选择满意度：满意、基本满意或不满意。")})
    need = locked(need)
    need.satisfaction, need.visit_note = satisfaction, note.strip()
    return need_move(need, S.VISITED, acting_user=acting_user, at=at or timezone.now(), note=note,
                     fields=("satisfaction", "visit_note"))


@transaction.atomic
def need_merge(*, scope: Scope, acting_user, need: Need, into: Need, note: str = "", at: dt.datetime | None = None) -> Need:
    """A duplicate merged into another open need in scope: it leaves the open ledger (已合并),
    keeps its steps, and whatever had been merged into it now points at `into` as well."""
    scope.require(need)
    scope.require(into)
    need, into = locked(need), locked(into)
    if into.pk == need.pk:
        raise ValidationError({"merged_into": _("不能把需求合并到它自己。")})
    if not into.is_open:
        raise ValidationError({"merged_into": _("只能合并到未办结的需求：“%(title)s”的状态是“%(status)s”。") % {
            "title": into.title, "status": into.get_status_display()}})
    need.merged_into = into
    note = clean_text(note) or _("与“%(title)s”（编号%(id)s）重复，合并") % {"title": into.title, "id": into.pk}
    need_move(need, S.MERGED, acting_user=acting_user, at=at or timezone.now(), note=note, fields=("merged_into",))
    Need.objects.filter(merged_into=need).update(merged_into=into)
    return need


__all__ = [
    "need_register", "need_accept", "need_start", "need_close", "need_visit", "need_merge", "need_move",
    "project_open", "project_add_need", "task_add", "task_set_dependencies", "task_done", "spending_add", "project_close",
]
