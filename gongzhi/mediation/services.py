"""Writes of mediation: keyword-only, atomic, scope re-checked, Chinese errors naming the field.

Who may act on a case: whoever may read its details (`selectors.visible_q`: its handlers and
their supervisors); anyone else gets the same 404 as for a missing case. Mediators are kept by
the staff of the 社区 (scope).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.pii import encrypt, mask_phone
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.core.uploads import content_matches, head_of, save_with_file
from gongzhi.core.validators import validate_mobile
from gongzhi.org.models import Place, PlaceLevel

from .models import (
    OPEN_STATUSES, Assignment, AssignmentKind, Case, CaseParty, CaseStatus, Category, FollowUp, MediationRules, Mediator, PartyRole,
    Performance, Session, Source, Tier,
)
from .selectors import visible_q

def _line(value: str | None) -> str:
    """One line of prose as typed (Chinese punctuation kept), inner spaces squeezed."""
    return " ".join((value or "").split())


SESSION_FILE_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png"}
SESSION_FILE_MAX = 10 * 1024 * 1024


def _require_case(*, case: Case, user) -> Case:
    """The case locked for update, if `user` may handle it; else 404."""
    locked = Case.objects.select_for_update(of=("self",)).filter(visible_q(user=user), pk=case.pk).first()
    if locked is None:
        raise Http404(_("不存在或无权查看。"))
    return locked


def _require_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise ValidationError(_("案件已于 %(day)s 结案（%(status)s），不能再办理。") % {"day": case.closed_on, "status": case.get_status_display()})


def _phone(value: str, field: str, errors: dict) -> tuple[str, str]:
    value = (value or "").strip()
    if not value:
        return "", ""
    try:
        phone = validate_mobile(value)
    except ValidationError as e:
        errors[field] = e.messages
        return "", ""
    return encrypt(phone), mask_phone(phone)


# ---- mediators ----------------------------------------------------------------------------------


@transaction.atomic
def mediator_save(*, scope: Scope, acting_user, community: Place, name: str, tier: Tier, phone: str = "", organisation: str = "",
                  user=None, is_active: bool = True, mediator: Mediator | None = None) -> Mediator:
    """Register a mediator of a 社区 (or change one); an empty phone keeps the stored one."""
    scope.require(community)
    if mediator is not None:
        scope.require(mediator)
    name, errors = clean_text(name), {}
    if community.level != PlaceLevel.COMMUNITY:
        errors["community"] = _("调解员须属于一个社区。")
    if not name:
        errors["name"] = _("请填写姓名。")
    enc, mask = _phone(phone, "phone", errors)
    duplicate = Mediator.objects.filter(community=community, name=name, tier=tier).exclude(pk=getattr(mediator, "pk", None))
    if name and duplicate.exists():
        errors["name"] = _("本社区已有同名的%(tier)s。") % {"tier": tier.name}
    if errors:
        raise ValidationError(errors)
    mediator = mediator or Mediator()
    mediator.community, mediator.name, mediator.tier = community, name, tier
    mediator.organisation, mediator.user, mediator.is_active = clean_text(organisation), user, is_active
    if enc:
        mediator.phone_enc, mediator.phone_mask = enc, mask
    mediator._history_user = acting_user
    mediator.save()
    return mediator


# ---- intake -------------------------------------------------------------------------------------


def _clean_parties(parties: list[dict], errors: dict) -> list[dict]:
    cleaned = []
    for i, p in enumerate(parties):
        name = clean_text(p.get("name"))
        if not name:
            continue
        enc, mask = _phone(p.get("phone", ""), "parties", errors)
        cleaned.append({"role": p["role"], "name": name, "gender": p.get("gender") or "", "age": p.get("age"), "phone_enc": enc,
                        "phone_mask": mask, "address": _line(p.get("address")), "order": i})
    roles = {p["role"] for p in cleaned}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        errors.setdefault("parties", []).append(_("请至少填写一名申请人和一名被申请人。"))
    return cleaned


@transaction.atomic
def case_open(*, scope: Scope, acting_user, community: Place, category: Category, tier: Tier, source: str, description: str,
              received_on: dt.date, parties: list[dict], referred_by: str = "", address: str = "",
              today: dt.date | None = None) -> Case:
    """登记受理: a case of a 社区 in scope with at least one applicant and one respondent; its due
    date is the receiving day + the rules' due days."""
    scope.require(community)
    today = today or timezone.localdate()
    errors: dict = {}
    if community.level != PlaceLevel.COMMUNITY:
        errors["community"] = _("案件须属于一个社区。")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("请填写纠纷简要情况。")
    if source not in Source.values:
        errors["source"] = _("请选择案件来源。")
    referred_by = _line(referred_by)
    if source in (Source.REFERRAL, Source.GRID) and not referred_by:
        errors["referred_by"] = _("移交或排查发现的案件，请填写移交单位或发现的网格员。")
    if received_on > today:
        errors["received_on"] = _("受理日期不能晚于今天。")
    cleaned = _clean_parties(parties, errors)
    if errors:
        raise ValidationError(errors)
    Place.objects.select_for_update().filter(pk=community.pk).first()  # numbers are handed out one at a time per 社区
    seq = (Case.objects.filter(community=community, year=received_on.year).aggregate(m=Max("seq"))["m"] or 0) + 1
    rules = MediationRules.current()
    case = Case(community=community, year=received_on.year, seq=seq, category=category, tier=tier, source=source, referred_by=referred_by,
                description=description, address=_line(address), received_on=received_on,
                due_on=received_on + dt.timedelta(days=rules.due_days), intake_by=acting_user)
    case._history_user = acting_user
    case.save()
    for p in cleaned:
        party = CaseParty(case=case, **p)
        party._history_user = acting_user
        party.save()
    return case


def _check_mediator(case: Case, mediator: Mediator, tier: Tier) -> None:
    if mediator.community_id != case.community_id:
        raise ValidationError({"mediator": _("请选择本社区的调解员。")})
    if mediator.tier_id != tier.pk:
        raise ValidationError({"mediator": _("%(name)s不是%(tier)s，请选择该层级的调解员。") % {"name": mediator.name, "tier": tier.name}})
    if not mediator.is_active:
        raise ValidationError({"mediator": _("%(name)s已不在岗。") % {"name": mediator.name}})


def _save(case: Case, user) -> None:
    case._history_user = user
    case.save()


@transaction.atomic
def case_assign(*, acting_user, case: Case, mediator: Mediator, now: dt.datetime | None = None) -> Case:
    """分派 (or re-assign) the case to a mediator of its current tier."""
    case = _require_case(case=case, user=acting_user)
    _require_open(case)
    _check_mediator(case, mediator, case.tier)
    if case.mediator_id == mediator.pk:
        raise ValidationError({"mediator": _("案件已由%(name)s调解。") % {"name": mediator.name}})
    Assignment.objects.create(case=case, kind=AssignmentKind.ASSIGN, tier=case.tier, mediator=mediator, at=now or timezone.now(), by=acting_user)
    case.mediator, case.status = mediator, CaseStatus.MEDIATING
    _save(case, acting_user)
    return case


@transaction.atomic
def case_escalate(*, acting_user, case: Case, tier: Tier, reason: str, mediator: Mediator | None = None,
                  now: dt.datetime | None = None) -> Case:
    """升级 to a higher tier, with its reason; the mediator of the new tier may be named now or later."""
    case = _require_case(case=case, user=acting_user)
    _require_open(case)
    reason = _line(reason)
    errors = {}
    if tier.rank <= case.tier.rank:
        errors["tier"] = _("只能升级到比“%(tier)s”更高的层级。") % {"tier": case.tier.name}
    if not reason:
        errors["reason"] = _("请填写升级原因。")
    if errors:
        raise ValidationError(errors)
    if mediator is not None:
        _check_mediator(case, mediator, tier)
    Assignment.objects.create(case=case, kind=AssignmentKind.ESCALATE, from_tier=case.tier, tier=tier, mediator=mediator, reason=reason,
                              at=now or timezone.now(), by=acting_user)
    case.tier, case.mediator = tier, mediator
    case.status = CaseStatus.MEDIATING if mediator else CaseStatus.RECEIVED
    _save(case, acting_user)
    return case


# ---- sessions -----------------------------------------------------------------------------------


def _check_file(file) -> str:
    name = getattr(file, "name", "") or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in SESSION_FILE_SUFFIXES or not content_matches(suffix, head_of(file)):
        raise ValidationError({"file": _("笔录扫描件须为 PDF、JPG 或 PNG 文件。")})
    if file.size > SESSION_FILE_MAX:
        raise ValidationError({"file": _("笔录扫描件不能超过 10 MB。")})
    return suffix


@transaction.atomic
def session_record(*, acting_user, case: Case, held_on: dt.date, place: str, attendees: str, record: str, file=None,
                   today: dt.date | None = None) -> Session:
    """A mediation session and its 笔录 (with an optional scan), held by the current mediator."""
    case = _require_case(case=case, user=acting_user)
    _require_open(case)
    today = today or timezone.localdate()
    errors = {}
    if case.mediator_id is None:
        errors["held_on"] = _("请先分派调解员，再记录调解。")
    if held_on > today:
        errors["held_on"] = _("调解日期不能晚于今天。")
    elif held_on < case.received_on:
        errors["held_on"] = _("调解日期不能早于受理日期（%(day)s）。") % {"day": case.received_on}
    place, attendees, record = _line(place), _line(attendees), (record or "").strip()
    for field, value, message in (("place", place, _("请填写调解地点。")), ("attendees", attendees, _("请填写参加人员。")),
                                  ("record", record, _("请填写调解笔录。"))):
        if not value:
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    session = Session(case=case, held_on=held_on, place=place, attendees=attendees, record=record, mediator=case.mediator, recorded_by=acting_user)
    session._history_user = acting_user
    if file:
        suffix = _check_file(file)
        session.file_name = (file.name or "")[-120:]
        return save_with_file(session, "file", file, f"session{suffix}")
    session.save()
    return session


# ---- outcome ------------------------------------------------------------------------------------


def _closing_day(case: Case, day: dt.date, today: dt.date, field: str) -> None:
    if day > today:
        raise ValidationError({field: _("日期不能晚于今天。")})
    if day < case.received_on:
        raise ValidationError({field: _("日期不能早于受理日期（%(day)s）。") % {"day": case.received_on}})


@transaction.atomic
def case_agree(*, acting_user, case: Case, agreed_on: dt.date, facts: str, terms: str, performance: str, perform_by: dt.date | None,
               today: dt.date | None = None) -> Case:
    """调解成功: the agreement's facts, terms, how and by when it is performed; the 司法确认 window
    runs from the agreement day for the rules' confirm days."""
    case = _require_case(case=case, user=acting_user)
    _require_open(case)
    today = today or timezone.localdate()
    errors = {}
    if case.mediator_id is None:
        errors["terms"] = _("案件尚未分派调解员，不能制作调解协议。")
    if not case.sessions.exists():
        errors["terms"] = _("请先记录至少一次调解（笔录），再制作调解协议。")
    facts, terms, performance = (facts or "").strip(), (terms or "").strip(), (performance or "").strip()
    for field, value, message in (("facts", facts, _("请填写主要事实和争议事项。")), ("terms", terms, _("请填写达成协议的内容。")),
                                  ("performance", performance, _("请填写履行方式。"))):
        if not value:
            errors.setdefault(field, message)
    if perform_by is None:
        errors["perform_by"] = _("请填写履行期限。")
    elif perform_by < agreed_on:
        errors["perform_by"] = _("履行期限不能早于协议日期。")
    if errors:
        raise ValidationError(errors)
    _closing_day(case, agreed_on, today, "agreed_on")
    case.facts, case.terms, case.performance, case.perform_by = facts, terms, performance, perform_by
    case.status, case.closed_on = CaseStatus.AGREED, agreed_on
    case.confirm_until = agreed_on + dt.timedelta(days=MediationRules.current().confirm_days)
    _save(case, acting_user)
    return case


@transaction.atomic
def case_close(*, acting_user, case: Case, status: str, closed_on: dt.date, note: str, today: dt.date | None = None) -> Case:
    """调解不成 (the parties are told of arbitration, administrative or court routes) or 撤回."""
    case = _require_case(case=case, user=acting_user)
    _require_open(case)
    today = today or timezone.localdate()
    note = (note or "").strip()
    errors = {}
    if status not in (CaseStatus.FAILED, CaseStatus.WITHDRAWN):
        errors["status"] = _("请选择结案方式。")
    if not note:
        errors["note"] = _("请填写结案说明（调解不成的，写明已告知当事人可依法通过仲裁、行政、司法等途径维权）。")
    if errors:
        raise ValidationError(errors)
    _closing_day(case, closed_on, today, "closed_on")
    case.status, case.closed_on, case.outcome_note = status, closed_on, note
    _save(case, acting_user)
    return case


@transaction.atomic
def confirmation_record(*, acting_user, case: Case, applied_on: dt.date, today: dt.date | None = None) -> Case:
    """The parties applied jointly for 司法确认 on `applied_on` (inside the window)."""
    case = _require_case(case=case, user=acting_user)
    today = today or timezone.localdate()
    if case.status != CaseStatus.AGREED:
        raise ValidationError({"applied_on": _("只有达成调解协议的案件才能申请司法确认。")})
    if applied_on > today or applied_on < case.closed_on:
        raise ValidationError({"applied_on": _("申请日期应在协议日期（%(day)s）与今天之间。") % {"day": case.closed_on}})
    if applied_on > case.confirm_until:
        raise ValidationError({"applied_on": _("已超过司法确认申请期限（%(day)s）。") % {"day": case.confirm_until}})
    case.confirm_applied_on = applied_on
    _save(case, acting_user)
    return case


@transaction.atomic
def followup_record(*, acting_user, case: Case, visited_on: dt.date, performance: str, note: str = "",
                    today: dt.date | None = None) -> FollowUp:
    """回访 on how the agreement is performed."""
    case = _require_case(case=case, user=acting_user)
    today = today or timezone.localdate()
    if case.status != CaseStatus.AGREED:
        raise ValidationError({"performance": _("只有达成调解协议的案件才需回访履行情况。")})
    errors = {}
    if performance not in Performance.values:
        errors["performance"] = _("请选择履行情况。")
    if visited_on > today or visited_on < case.closed_on:
        errors["visited_on"] = _("回访日期应在协议日期（%(day)s）与今天之间。") % {"day": case.closed_on}
    note = _line(note)
    if performance in (Performance.PARTLY, Performance.NOT) and not note:
        errors["note"] = _("未完全履行的，请写明情况。")
    if errors:
        raise ValidationError(errors)
    followup = FollowUp(case=case, visited_on=visited_on, performance=performance, note=note, recorded_by=acting_user)
    followup._history_user = acting_user
    followup.save()
    return followup
