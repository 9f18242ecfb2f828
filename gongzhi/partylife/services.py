"""Recording meetings and attendance: scope-checked, validated, with history.

Who is due to attend (应到) a meeting of an organisation on a date: its members who had joined by
then (预备党员 included) and had not left (转出/去世 after the date, or still 在册), less those
with an exemption covering the date. Members who moved between branches are counted where they
were on the date (people.MemberTransfer keeps the dated transfers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import events
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.core.uploads import save_with_file
from gongzhi.people.models import MemberCategory, MemberStatus, MemberTransfer, PartyMember

from .models import AgendaItem, Attendance, AttendanceStatus, Exemption, Meeting, MeetingAttachment, MeetingType, Quorum, SignIn


def members_due(organization, on: dt.date) -> QuerySet[PartyMember]:
    """应到: the organisation's members on `on`, exemptions left out. A member transferred between
    branches (MemberTransfer) belongs on `on` to the organisation they were in then: the
    `from_organization` of their earliest transfer dated after `on`, or else their current one."""
    exempt = Exemption.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).values("member_id")
    later = MemberTransfer.objects.filter(member=OuterRef("pk"), transferred_on__gt=on).order_by("transferred_on", "id")
    moved_away = MemberTransfer.objects.filter(from_organization=organization, transferred_on__gt=on).values("member_id")
    return (
        PartyMember.objects.filter(Q(organization=organization) | Q(pk__in=moved_away), joined_on__lte=on)
        .filter(Q(status=MemberStatus.ACTIVE) | Q(status_changed_on__gt=on))
        .exclude(pk__in=exempt)
        .annotate(org_then=Coalesce(Subquery(later.values("from_organization_id")[:1]), F("organization_id"), output_field=IntegerField()))
        .filter(org_then=organization.pk)
        .select_related("person")
        .order_by("person__name", "id")
    )


@transaction.atomic
def meeting_create(*, scope: Scope, acting_user, organization, meeting_type: MeetingType, held_on: dt.date, topic: str,
                   agenda: list[dict] | tuple = (), today: dt.date | None = None, **details) -> Meeting:
    """A meeting held (or being held today), with its agenda (the first item may be 第一议题) and
    one attendance row per member due: 出席 by default (the recorder changes the exceptions), or
    缺席 until each member signs in when `signin` is 扫码签到 (only for a meeting held today)."""
    scope.require(organization)
    today = today or timezone.localdate()
    errors = {}
    if held_on > today:
        errors["held_on"] = _("会议日期不能晚于今天：这里记录已召开的会议。")
    elif details.get("signin") == SignIn.QR and held_on != today:
        errors["signin"] = _("扫码签到只能用于今天召开的会议；往日的会议请逐一登记。")
    if not meeting_type.is_lecture and (details.get("lecturer") or details.get("lecturer_name") or details.get("lecturer_role")):
        errors["lecturer"] = _("只有党课需要填写授课人。")
    votes = [details.get(k) for k in ("votes_for", "votes_against", "votes_abstain")]
    if details.get("vote_subject") and None in votes:
        errors["votes_for"] = _("请填写表决的赞成、反对、弃权票数（没有填 0）。")
    elif not details.get("vote_subject") and any(v is not None for v in votes):
        errors["vote_subject"] = _("填写了票数，请同时填写表决事项。")
    for person in (details.get("host"), details.get("lecturer")):
        if person is not None and not scope.contains(person):
            raise ValidationError({"host": _("所选党员不在您的管辖范围内。")})
    if errors:
        raise ValidationError(errors)
    if details.get("vote_subject"):
        voting = members_due(organization, held_on).filter(category=MemberCategory.FULL).count()
        if sum(votes) > voting:
            raise ValidationError({"votes_for": _("赞成、反对、弃权共 %(n)s 票，超过有表决权的应到党员 %(due)s 人。") % {"n": sum(votes), "due": voting}})
    meeting = Meeting(organization=organization, meeting_type=meeting_type, held_on=held_on, topic=topic, recorded_by=acting_user, **details)
    meeting.full_clean()
    meeting._history_user = acting_user
    meeting.save()
    items = [AgendaItem(meeting=meeting, order=i, title=item["title"], material=item.get("material", ""),
                        is_first_topic=bool(item.get("is_first_topic")) and i == 1) for i, item in enumerate(agenda, start=1)]
    AgendaItem.objects.bulk_create(items)
    status = AttendanceStatus.ABSENT if meeting.signin == SignIn.QR else AttendanceStatus.PRESENT
    due = list(members_due(organization, held_on))
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m, status=status) for m in due])
    records_changed(meeting, [m.pk for m in due] + ([meeting.lecturer_id] if meeting.lecturer_id else []))
    return meeting


def records_changed(meeting: Meeting, member_ids) -> None:
    """Tell the ledgers fed by attendance (member points) which members and day changed."""
    events.emit("records.changed", kinds=["attendance", "lecture"], members=sorted(set(member_ids)), start=meeting.held_on, end=meeting.held_on)


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
    if changed:
        records_changed(meeting, [row.member_id for row in changed])


@dataclass(frozen=True)
class QuorumCheck:
    due: int  # voting members due (正式党员: 预备党员 have no vote)
    present: int
    required: int  # more than half of `due`

    votes_for: int | None = None  # where the meeting voted

    @property
    def reached(self) -> bool:
        return self.present >= self.required

    @property
    def vote_passed(self) -> bool | None:
        """《支部工作条例》: a resolution passes with more than half of the voting members due in favour."""
        return None if self.votes_for is None else self.votes_for > self.due / 2


def quorum(meeting: Meeting) -> QuorumCheck | None:
    """支部党员大会: more than half of the voting members due must be present. None for types
    without a quorum rule."""
    if meeting.meeting_type.quorum != Quorum.MEMBERS:
        return None
    voting = meeting.attendance.filter(member__category=MemberCategory.FULL)
    due = voting.count()
    present = voting.filter(status=AttendanceStatus.PRESENT).count()
    return QuorumCheck(due=due, present=present, required=due // 2 + 1, votes_for=meeting.votes_for if meeting.vote_subject else None)


def attachment_add(*, scope: Scope, acting_user, meeting: Meeting, kind: str, file) -> MeetingAttachment:
    """A photo, scanned sign-in sheet or material, stored under a random name (the form checks
    type and size)."""
    scope.require(meeting)
    attachment = MeetingAttachment(meeting=meeting, kind=kind, name=file.name[:200], size=file.size, uploaded_by=acting_user)
    return save_with_file(attachment, "file", file, file.name)


def attachment_delete(*, scope: Scope, attachment: MeetingAttachment) -> None:
    scope.require(attachment)
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.delete(save=False))


@transaction.atomic
def exemption_create(*, scope: Scope, acting_user, member: PartyMember, starts_on: dt.date, ends_on: dt.date | None, reason: str) -> Exemption:
    """免于参加组织生活 for a period (重病, 出国半年以上 …), approved by the recording user: the member
    is left out of 应到 of meetings held in it. Meetings already recorded keep their lists."""
    scope.require(member)
    reason = clean_text(reason)
    errors = {}
    if not reason:
        errors["reason"] = _("请填写原因。")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    if starts_on < member.joined_on:
        errors["starts_on"] = _("开始日期不能早于入党日期。")
    if not errors:
        far = dt.date.max
        for other in member.exemptions.all():
            if starts_on <= (other.ends_on or far) and other.starts_on <= (ends_on or far):
                until = f"{other.ends_on:%Y-%m-%d}" if other.ends_on else _("至今")
                errors["starts_on"] = _("与已有的免于参加期间（%(start)s 至 %(end)s，%(reason)s）重叠。") % {
                    "start": f"{other.starts_on:%Y-%m-%d}", "end": until, "reason": other.reason}
                break
    if errors:
        raise ValidationError(errors)
    exemption = Exemption(member=member, starts_on=starts_on, ends_on=ends_on, reason=reason, approved_by=acting_user)
    exemption._history_user = acting_user
    exemption.save()
    return exemption


@transaction.atomic
def exemption_end(*, scope: Scope, acting_user, exemption: Exemption, on: dt.date) -> Exemption:
    """End an open exemption on `on` (its last day)."""
    scope.require(exemption.member)
    if exemption.ends_on is not None:
        raise ValidationError(_("该免于参加期间已有结束日期。"))
    if on < exemption.starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    exemption.ends_on = on
    exemption._history_user = acting_user
    exemption.save(update_fields=["ends_on", "updated_at"])
    return exemption
