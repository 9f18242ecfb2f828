"""Verifying hours (工时认定) into ServiceRecords, and reversing them.

民政部令第67号 asks for records that are true, complete and timely: a record is made only from a
check-in and a check-out, by a named staff member at a recorded time, capped at the length of
the activity or shift; verifying later than RecordRules.verify_within_days after the end needs
a reason, kept on the record. Records never change: a wrong one is reversed (a negative record
pointing at it), after which the check-in/out may be corrected and verified again.

After each change the ledgers fed by hours (member points now, the morality bank later) are told
through the one hook, after commit: events.emit("records.changed", kinds=["volunteer"], ...).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import events
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.people.models import PartyMember

from ..models import Activity, ActivityStatus, RecordRules, ServiceRecord, ServiceSource, Shift

ONE_DECIMAL = Decimal("0.1")


def served_hours(checked_in_at: dt.datetime, checked_out_at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    """Hours between check-in and check-out, at most the length of the activity or shift, to one
    decimal (half up)."""
    seconds = min((checked_out_at - checked_in_at).total_seconds(), (ends_at - starts_at).total_seconds())
    return (Decimal(max(seconds, 0)) / 3600).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _target(activity: Activity | None, shift: Shift | None):
    if (activity is None) == (shift is None):
        raise ValidationError(_("请选择一项活动或一个班次认定工时。"))
    if activity is not None:
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status == ActivityStatus.CANCELLED:
            raise ValidationError({"activity": _("活动已取消，不能认定工时。")})
        rows = activity.signups.filter(cancelled_at__isnull=True)
        return activity, ServiceSource.ACTIVITY, activity.title, activity.community, rows
    shift = Shift.objects.select_for_update().select_related("post__community").get(pk=shift.pk)
    return shift, ServiceSource.SHIFT, str(shift.post), shift.post.community, shift.assignments.all()


def _check_timely(target, now: dt.datetime, reason: str) -> None:
    limit = RecordRules.current().verify_within_days
    late = (timezone.localdate(now) - timezone.localdate(target.ends_at)).days
    if late > limit and not reason:
        raise ValidationError({"reason": _("结束已超过%(limit)s天（%(late)s天），补录认定工时须填写原因。") % {"limit": limit, "late": late}})


@transaction.atomic
def hours_verify(*, scope: Scope, acting_user, activity: Activity | None = None, shift: Shift | None = None,
                 reason: str = "", now: dt.datetime | None = None) -> list[ServiceRecord]:
    """Verify the hours of everyone who checked in and out of `activity` (or `shift`) and has no
    standing record for it yet; returns the new records."""
    scope.require(activity if activity is not None else shift)
    now, reason = now or timezone.now(), clean_text(reason)
    target, source, description, community, rows = _target(activity, shift)
    _check_timely(target, now, reason)
    standing = set(ServiceRecord.objects.filter(source=source, source_id=target.pk, reverses__isnull=True, reversed_by__isnull=True)
                   .values_list("volunteer_id", flat=True))
    records = []
    for row in rows.filter(checked_in_at__isnull=False, checked_out_at__isnull=False).exclude(volunteer_id__in=standing).order_by("id"):
        hours = served_hours(row.checked_in_at, row.checked_out_at, target.starts_at, target.ends_at)
        if hours > 0:
            records.append(ServiceRecord(
                volunteer_id=row.volunteer_id, community=community, served_on=timezone.localdate(target.starts_at), hours=hours,
                source=source, source_id=target.pk, description=description[:200], checked_in_at=row.checked_in_at,
                checked_out_at=row.checked_out_at, reason=reason, verified_by=acting_user, verified_at=now))
    if not records:
        raise ValidationError(_("没有待认定的工时：志愿者须先签到并签退，已认定的不再重复认定。"))
    ServiceRecord.objects.bulk_create(records)
    if source == ServiceSource.ACTIVITY and target.status == ActivityStatus.PUBLISHED and now >= target.ends_at:
        target.status = ActivityStatus.COMPLETED
        target._history_user = acting_user
        target.save(update_fields=["status", "updated_at"])
    records_changed(records)
    return records


@transaction.atomic
def service_record_reverse(*, scope: Scope, acting_user, record: ServiceRecord, reason: str, now: dt.datetime | None = None) -> ServiceRecord:
    """冲正: a record of the opposite hours pointing at `record`, with the reason."""
    scope.require(record)
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("冲正须填写原因。")})
    if record.reverses_id is not None:
        raise ValidationError({"record": _("冲正记录不能再冲正。")})
    if ServiceRecord.objects.filter(reverses=record).exists():
        raise ValidationError({"record": _("该记录已冲正。")})
    reversal = ServiceRecord(
        volunteer_id=record.volunteer_id, community_id=record.community_id, served_on=record.served_on, hours=-record.hours,
        source=record.source, source_id=record.source_id, description=(_("冲正：") + record.description)[:200],
        reason=reason[:200], verified_by=acting_user, verified_at=now or timezone.now(), reverses=record)
    reversal.save()
    records_changed([reversal])
    return reversal


def records_changed(records: list[ServiceRecord]) -> None:
    """Tell the ledgers fed by volunteer hours which members and days changed (after commit)."""
    volunteer_ids = {r.volunteer_id for r in records}
    members = sorted(PartyMember.objects.filter(person__volunteers__in=volunteer_ids).values_list("pk", flat=True).distinct())
    days = [r.served_on for r in records]
    events.emit("records.changed", kinds=["volunteer"], members=members, start=min(days), end=max(days))
