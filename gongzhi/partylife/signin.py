"""QR sign-in (扫码签到) for a meeting: members have no logins, so the secretary shows a QR code of
a signed per-meeting link; a member opens it on the phone and gives their name and the last four
digits of their phone or ID number. The rows start as 缺席; signing in makes one 出席 with its time.

The link is valid only on the meeting's day and until the secretary closes sign-in. Failed tries
are counted per meeting and address (a guessing limit), in the cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import pii
from gongzhi.core.ratelimit import Limit
from gongzhi.core.scope import Scope
from gongzhi.core.text import squeeze, to_halfwidth

from .models import Attendance, AttendanceStatus, Meeting, SignIn
from .services import records_changed

SALT = "gongzhi.partylife.signin"
FAILURES = Limit("partylife:signin-failures", limit=10, window=600)  # per meeting and address


def token_for(meeting: Meeting) -> str:
    """The same token every time for a meeting (no timestamp: the meeting's day limits it)."""
    return signing.Signer(salt=SALT).sign_object(meeting.pk)


def meeting_for_token(token: str) -> Meeting | None:
    """The meeting of a sign-in link (open or not), or None for a link that was not made here."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return Meeting.objects.select_related("organization", "meeting_type").filter(pk=pk, signin=SignIn.QR).first()


def is_open(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    """Sign-in is open on the meeting's day (local time) until the secretary closes it."""
    now = now or timezone.now()
    return meeting.signin == SignIn.QR and meeting.signin_closed_at is None and timezone.localdate(now) == meeting.held_on


@dataclass(frozen=True)
class SignedIn:
    name: str
    at: dt.datetime
    already: bool  # had signed in before


def _last4(value: str) -> str:
    return value[-4:].upper() if value else ""


@transaction.atomic
def sign_in(*, meeting: Meeting, name: str, digits: str, address: str = "", now: dt.datetime | None = None) -> SignedIn:
    """Mark the member due at the meeting whose name is `name` and whose phone or ID number ends
    in `digits` as 出席, now. Raises ValidationError (Chinese, for the member) otherwise."""
    now = now or timezone.now()
    if not is_open(meeting, now):
        raise ValidationError(_("本次会议的签到已结束。"))
    if FAILURES.exceeded(meeting.pk, address):
        raise ValidationError(_("尝试次数过多，请10分钟后再试，或请书记为您登记。"))
    name = squeeze(name)
    digits = to_halfwidth(digits or "").strip().upper()
    if not name:
        raise ValidationError({"name": _("请填写姓名。")})
    if len(digits) != 4 or not all(c.isdigit() or c == "X" for c in digits):
        raise ValidationError({"digits": _("请填写手机号或身份证号的后四位。")})
    rows = list(
        Attendance.objects.select_for_update().filter(meeting=meeting, member__person__name=name)
        .select_related("member__person")
    )
    matches = [r for r in rows if digits in (_last4(pii.decrypt(r.member.person.phone_enc)), _last4(pii.decrypt(r.member.person.id_number_enc)))]
    if len(matches) != 1:
        FAILURES.hit(meeting.pk, address)
        raise ValidationError(_("姓名或号码后四位不符，或您不在本次会议的应到名单中。如有疑问请联系支部书记。"))
    row = matches[0]
    if row.status == AttendanceStatus.PRESENT and row.signed_in_at:
        return SignedIn(name, row.signed_in_at, True)
    row.status, row.leave_reason, row.signed_in_at = AttendanceStatus.PRESENT, "", now
    row._change_reason = "扫码签到"
    row.save(update_fields=["status", "leave_reason", "signed_in_at"])
    records_changed(meeting, [row.member_id])
    return SignedIn(name, now, False)


@transaction.atomic
def signin_close(*, scope: Scope, acting_user, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """End sign-in: the link stops working; whoever did not sign in stays 缺席 (or as the
    secretary marks them)."""
    scope.require(meeting)
    if meeting.signin != SignIn.QR:
        raise ValidationError(_("本次会议未使用扫码签到。"))
    if meeting.signin_closed_at is None:
        meeting.signin_closed_at = now or timezone.now()
        meeting._history_user = acting_user
        meeting.save(update_fields=["signin_closed_at", "updated_at"])
    return meeting


def signin_counts(meeting: Meeting) -> tuple[int, int]:
    """(signed in, due)."""
    rows = meeting.attendance.all()
    return rows.filter(signed_in_at__isnull=False).count(), rows.count()
