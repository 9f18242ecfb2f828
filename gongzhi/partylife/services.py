"""Recording meetings and attendance: scope-checked, validated, with history.

Who is due to attend (应到) a meeting of an organisation on a date: its members who had joined by
then (预备党员 included) and had not left (转出/去世 after the date, or still 在册), less those
with an exemption covering the date. Members who moved between branches are counted where they
are now: PartyMember keeps one organisation (issue 4 leaves dated postings for later).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.people.models import MemberCategory, MemberStatus, PartyMember

from .models import AgendaItem, Attendance, AttendanceStatus, Exemption, Meeting, MeetingType, Quorum


def members_due(organization, on: dt.date) -> QuerySet[PartyMember]:
    """应到: the organisation's members on `on`, exemptions left out."""
    exempt = Exemption.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).values("member_id")
    return (
        PartyMember.objects.filter(organization=organization, joined_on__lte=on)
        .filter(Q(status=MemberStatus.ACTIVE) | Q(status_changed_on__gt=on))
        .exclude(pk__in=exempt)
        .select_related("person")
        .order_by("person__name", "id")
    )


@transaction.atomic
def meeting_create(*, scope: Scope, acting_user, organization, meeting_type: MeetingType, held_on: dt.date, topic: str,
                   agenda: list[dict] | tuple = (), today: dt.date | None = None, **details) -> Meeting:
    """A meeting that was held, with its agenda (the first item may be 第一议题) and one
    attendance row per member due, 出席 by default (the recorder changes the exceptions)."""
    scope.require(organization)
    today = today or dt.date.today()
    errors = {}
    if held_on > today:
        errors["held_on"] = _("会议日期不能晚于今天：这里记录已召开的会议。")
    if not meeting_type.is_lecture and (details.get("lecturer") or details.get("lecturer_name") or details.get("lecturer_role")):
        errors["lecturer"] = _("只有党课需要填写授课人。")
    for person in (details.get("host"), details.get("lecturer")):
        if person is not None and not scope.contains(person):
            raise ValidationError({"host": _("所选党员不在您的管辖范围内。")})
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(organization=organization, meeting_type=meeting_type, held_on=held_on, topic=topic, recorded_by=acting_user, **details)
    meeting.full_clean()
    meeting._history_user = acting_user
    meeting.save()
    items = [AgendaItem(meeting=meeting, order=i, title=item["title"], material=item.get("material", ""),
                        is_first_topic=bool(item.get("is_first_topic")) and i == 1) for i, item in enumerate(agenda, start=1)]
    AgendaItem.objects.bulk_create(items)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m) for m in members_due(organization, held_on)])
    return meeting


@transaction.atomic
def attendance_record(*, scope: Scope, acting_user, meeting: Meeting, statuses: dict[int, tuple[str, str]]) -> None:
    """Set 出席 / 请假 (with its reason) / 缺席 for members due at the meeting; others unchanged."""
    scope.require(meeting)
    rows = {a.member_id: a for a in meeting.attendance.select_related("member__person")}
    errors = []
    changed = []
    for member_id, (status, reason) in statuses.items():
        row = rows.get(member_id)
        if row is None:
            errors.append(_("编号%(id)s的党员不在本次会议的应到名单中。") % {"id": member_id})
            continue
        if status not in AttendanceStatus.values:
            errors.append(_("%(name)s：出席情况应为出席、请假或缺席。") % {"name": row.member.person.name})
            continue
        reason = (reason or "").strip()
        if status == AttendanceStatus.LEAVE and not reason:
            errors.append(_("%(name)s：请假须填写原因。") % {"name": row.member.person.name})
            continue
        if (row.status, row.leave_reason) != (status, reason if status == AttendanceStatus.LEAVE else ""):
            row.status, row.leave_reason = status, reason if status == AttendanceStatus.LEAVE else ""
            row._history_user = acting_user
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    for row in changed:
        row.save(update_fields=["status", "leave_reason"])


@dataclass(frozen=True)
class QuorumCheck:
    due: int  # voting members due (正式党员: 预备党员 have no vote)
    present: int
    required: int  # more than half of `due`

    @property
    def reached(self) -> bool:
        return self.present >= self.required


def quorum(meeting: Meeting) -> QuorumCheck | None:
    """支部党员大会: more than half of the voting members due must be present. None for types
    without a quorum rule."""
    if meeting.meeting_type.quorum != Quorum.MEMBERS:
        return None
    voting = meeting.attendance.filter(member__category=MemberCategory.FULL)
    due = voting.count()
    present = voting.filter(status=AttendanceStatus.PRESENT).count()
    return QuorumCheck(due=due, present=present, required=due // 2 + 1)
