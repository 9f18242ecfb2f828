"""Activities: publishing, sign-up (capacity and deadline enforced), cancelling, check-in/out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text

from ..models import Activity, ActivityStatus, Signup, Volunteer, VolunteerStatus
from .common import check_window, mark_check_in, mark_check_out, require_community


@transaction.atomic
def activity_create(*, scope: Scope, acting_user, community, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                    capacity: int, signup_deadline: dt.datetime, organiser=None, location: str = "", description: str = "") -> Activity:
    require_community(scope, community)
    if organiser is not None:
        scope.require(organiser)
    title = clean_text(title)
    errors = check_window(starts_at, ends_at, capacity)
    if not title:
        errors["title"] = _("请填写活动名称。")
    if signup_deadline > ends_at:
        errors["signup_deadline"] = _("报名截止时间不能晚于活动结束时间。")
    if errors:
        raise ValidationError(errors)
    activity = Activity(community=community, title=title, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                        signup_deadline=signup_deadline, organiser=organiser, location=clean_text(location),
                        description=description, created_by=acting_user)
    activity._history_user = acting_user
    activity.save()
    return activity


@transaction.atomic
def activity_cancel(*, scope: Scope, acting_user, activity: Activity) -> Activity:
    scope.require(activity)
    if activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError({"status": _("只能取消已发布的活动。")})
    if activity.signups.filter(checked_in_at__isnull=False).exists():
        raise ValidationError({"status": _("已有志愿者签到，不能取消活动。")})
    activity.status = ActivityStatus.CANCELLED
    activity._history_user = acting_user
    activity.save(update_fields=["status", "updated_at"])
    return activity


@transaction.atomic
def signup_create(*, scope: Scope, acting_user, activity: Activity, volunteer: Volunteer, at: dt.datetime | None = None) -> Signup:
    """Sign a volunteer up: before the deadline, within capacity, once (a cancelled sign-up frees
    its place). The activity row is locked so two sign-ups cannot take the last place."""
    scope.require(activity)
    scope.require(volunteer)
    at = at or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    name = volunteer.person.name
    if activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError({"activity": _("活动“%(title)s”不在报名中。") % {"title": activity.title}})
    if at > activity.signup_deadline:
        raise ValidationError({"activity": _("活动“%(title)s”已截止报名。") % {"title": activity.title}})
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("%(name)s已退出志愿者队伍。") % {"name": name}})
    active = activity.signups.filter(cancelled_at__isnull=True)
    if active.filter(volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("%(name)s已报名该活动。") % {"name": name}})
    if active.count() >= activity.capacity:
        raise ValidationError({"activity": _("活动“%(title)s”已报满（%(n)s人）。") % {"title": activity.title, "n": activity.capacity}})
    signup = Signup(activity=activity, volunteer=volunteer, signed_up_at=at, recorded_by=acting_user)
    signup._history_user = acting_user
    signup.save()
    return signup


@transaction.atomic
def signup_cancel(*, scope: Scope, acting_user, signup: Signup, at: dt.datetime | None = None) -> Signup:
    scope.require(signup)
    if signup.cancelled_at is not None:
        raise ValidationError({"signup": _("该报名已取消。")})
    if signup.checked_in_at is not None:
        raise ValidationError({"signup": _("%(name)s已签到，不能取消报名。") % {"name": signup.volunteer.person.name}})
    signup.cancelled_at = at or timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["cancelled_at"])
    return signup


def _active(signup: Signup) -> Activity:
    if signup.cancelled_at is not None:
        raise ValidationError({"signup": _("该报名已取消。")})
    if signup.activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"signup": _("活动已取消。")})
    return signup.activity


@transaction.atomic
def signup_check_in(*, scope: Scope, acting_user, signup: Signup, at: dt.datetime | None = None) -> Signup:
    scope.require(signup)
    activity = _active(signup)
    mark_check_in(signup, at or timezone.now(), activity.starts_at, activity.ends_at, acting_user)
    return signup


@transaction.atomic
def signup_check_out(*, scope: Scope, acting_user, signup: Signup, at: dt.datetime | None = None) -> Signup:
    scope.require(signup)
    activity = _active(signup)
    mark_check_out(signup, at or timezone.now(), activity.starts_at, activity.ends_at, acting_user)
    return signup
