"""Duty posts (党员先锋岗, 值守点), shifts, rosters and the entries logged on a shift."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text

from ..models import Post, PostKind, Shift, ShiftAssignment, ShiftLog, Volunteer, VolunteerStatus
from .common import check_window, mark_check_in, mark_check_out, require_community


def _post_values(*, community, name: str, kind: str, place, description: str) -> dict:
    """The fields of a post, cleaned and checked (a name, a known kind, a place inside its community)."""
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("请填写岗位名称。")})
    if kind not in PostKind.values:
        raise ValidationError({"kind": _("请选择岗位类别。")})
    if place is not None and not place.path.startswith(community.path):
        raise ValidationError({"place": _("岗位地点应在本社区内。")})
    return {"name": name, "kind": kind, "place": place, "description": description or ""}


@transaction.atomic
def post_create(*, scope: Scope, acting_user, community, name: str, kind: str = PostKind.DUTY, place=None, description: str = "") -> Post:
    require_community(scope, community)
    post = Post(community=community, **_post_values(community=community, name=name, kind=kind, place=place, description=description))
    post.full_clean()
    post._history_user = acting_user
    post.save()
    return post


@transaction.atomic
def post_update(*, scope: Scope, acting_user, post: Post, name: str, kind: str, place=None, description: str = "",
                is_active: bool = True) -> Post:
    """Correct a post's name, kind, place or description, or 停用 it (off the list of posts); its
    community and its shifts stay."""
    scope.require(post)
    post = Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)
    values = _post_values(community=post.community, name=name, kind=kind, place=place, description=description)
    for field, value in {**values, "is_active": bool(is_active)}.items():
        setattr(post, field, value)
    post.full_clean()
    post._history_user = acting_user
    post.save()
    return post


@transaction.atomic
def shift_create(*, scope: Scope, acting_user, post: Post, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int = 1, note: str = "") -> Shift:
    scope.require(post)
    errors = check_window(starts_at, ends_at, capacity)
    if errors:
        raise ValidationError(errors)
    shift = Shift(post=post, starts_at=starts_at, ends_at=ends_at, capacity=capacity, note=clean_text(note))
    shift._history_user = acting_user
    shift.save()
    return shift


@transaction.atomic
def shift_assign(*, scope: Scope, acting_user, shift: Shift, volunteer: Volunteer) -> ShiftAssignment:
    """Put a volunteer of the post's community on the roster, within the shift's capacity."""
    scope.require(shift)
    scope.require(volunteer)
    shift = Shift.objects.select_for_update().select_related("post").get(pk=shift.pk)  # one roster change at a time
    name = volunteer.person.name
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("%(name)s已退出志愿者队伍。") % {"name": name}})
    if volunteer.community_id != shift.post.community_id:
        raise ValidationError({"volunteer": _("%(name)s不是本社区的志愿者。") % {"name": name}})
    if shift.assignments.filter(volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("%(name)s已在本班次中。") % {"name": name}})
    if shift.assignments.count() >= shift.capacity:
        raise ValidationError({"volunteer": _("本班次已排满（%(n)s人）。") % {"n": shift.capacity}})
    assignment = ShiftAssignment(shift=shift, volunteer=volunteer, assigned_by=acting_user)
    assignment._history_user = acting_user
    assignment.save()
    return assignment


@transaction.atomic
def shift_unassign(*, scope: Scope, acting_user, assignment: ShiftAssignment) -> None:
    scope.require(assignment)
    if assignment.checked_in_at is not None:
        raise ValidationError({"volunteer": _("%(name)s已签到，不能移出班次。") % {"name": assignment.volunteer.person.name}})
    assignment._history_user = acting_user
    assignment.delete()


@transaction.atomic
def assignment_check_in(*, scope: Scope, acting_user, assignment: ShiftAssignment, at: dt.datetime | None = None) -> ShiftAssignment:
    scope.require(assignment)
    shift = assignment.shift
    mark_check_in(assignment, at or timezone.now(), shift.starts_at, shift.ends_at, acting_user)
    return assignment


@transaction.atomic
def assignment_check_out(*, scope: Scope, acting_user, assignment: ShiftAssignment, at: dt.datetime | None = None) -> ShiftAssignment:
    scope.require(assignment)
    shift = assignment.shift
    mark_check_out(assignment, at or timezone.now(), shift.starts_at, shift.ends_at, acting_user)
    return assignment


@transaction.atomic
def shift_log_add(*, scope: Scope, acting_user, shift: Shift, text: str, at: dt.datetime | None = None) -> ShiftLog:
    """值守记录: an entry of what happened on the shift, with who wrote it and when."""
    scope.require(shift)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写记录内容。")})
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError({"logged_at": _("记录时间不能晚于当前时间。")})
    return ShiftLog.objects.create(shift=shift, logged_at=at, text=text, logged_by=acting_user)
