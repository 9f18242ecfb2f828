"""Writes of 民主决策: matters opened, steps recorded strictly in their method's order with the
threshold computed (never chosen), 一肩挑 merges, withdrawals, the per-社区 一肩挑 setting, and
居民公约 with their versions.

The two 公开 steps and a filed 公约 publish to the notice board (`notices.notice_publish`, idempotent
by source and kind) inside the same transaction: the record and its notice are written together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.notices.services import notice_publish
from gongzhi.core.uploads import content_matches, head_of
from gongzhi.org.models import Place, PlaceLevel

from .models import (
    Basis, CommunitySetting, Convention, ConventionVersion, DecisionMethod, Matter, MatterStatus, MethodStep, OnFail, Outcome, StepRecord,
)

SIGNATURE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
SIGNATURE_MAX_BYTES = 20 * 1024 * 1024


# ---- thresholds ----------------------------------------------------------------------------------


def _meets(count: int, base: int, fraction: Fraction, strict: bool) -> bool:
    """count/base > fraction (strict) or ≥ fraction, in whole numbers (2/3 exactly)."""
    left, right = count * fraction.denominator, base * fraction.numerator
    return left > right if strict else left >= right


def needed(base: int, fraction: Fraction, strict: bool) -> int:
    """The smallest count that meets the threshold: 应到 30, ≥2/3 → 20; > 1/2 → 16."""
    exact = base * fraction
    whole = exact.numerator // exact.denominator
    return whole + 1 if strict or whole < exact else whole


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str = ""


def evaluate(step: MethodStep, *, due: int | None, present: int | None, votes_for: int | None) -> Verdict:
    """Whether a step's counts meet its threshold, with the reason when they do not."""
    if step.attendance_fraction is not None and not _meets(present, due, step.attendance_fraction, step.attendance_strict):
        return Verdict(False, _("到会人数不足：应到 %(due)s 人，实到 %(present)s 人，至少须到 %(need)s 人。")
                       % {"due": due, "present": present, "need": needed(due, step.attendance_fraction, step.attendance_strict)})
    if step.requires_vote and step.agreement_fraction is not None:
        base = present if step.agreement_basis == Basis.PRESENT else due
        if not _meets(votes_for, base, step.agreement_fraction, step.agreement_strict):
            return Verdict(False, _("同意票不足：赞成 %(yes)s 票，至少须 %(need)s 票（%(rule)s）。")
                           % {"yes": votes_for, "need": needed(base, step.agreement_fraction, step.agreement_strict), "rule": step.threshold_text()})
    return Verdict(True)


# ---- matters -------------------------------------------------------------------------------------


def _steps(method: DecisionMethod) -> list[MethodStep]:
    return list(method.steps.order_by("order"))


def _compound_of(community: Place, compound: Place | None) -> None:
    if compound is not None and (compound.level != PlaceLevel.COMPOUND or not compound.path.startswith(community.path)):
        raise ValidationError({"compound": _("所选小区不属于该社区。")})


@transaction.atomic
def matter_create(*, scope: Scope, acting_user, community: Place, title: str, method: DecisionMethod, description: str = "",
                  compound: Place | None = None) -> Matter:
    """Open a decision matter of a 社区 (or one of its 小区): it starts at the method's first step."""
    scope.require(community)
    title, description = clean_text(title), (description or "").strip()
    errors = {}
    if community.level != PlaceLevel.COMMUNITY:
        errors["community"] = _("请选择社区。")
    if not title:
        errors["title"] = _("请填写事项名称。")
    steps = _steps(method)
    if not method.active or not steps:
        errors["method"] = _("该决策方法未启用或没有步骤。")
    if errors:
        raise ValidationError(errors)
    _compound_of(community, compound)
    matter = Matter(community=community, compound=compound, title=title, description=description, method=method,
                    current_step=steps[0], created_by=acting_user)
    matter._history_user = acting_user
    matter.full_clean()
    matter.save()
    return matter


def one_post_allowed(community: Place) -> bool:
    """Whether the 社区's secretary is also the 居委会主任 (一肩挑)."""
    return CommunitySetting.objects.filter(community=community, secretary_is_director=True).exists()


def merge_candidate(matter: Matter) -> MethodStep | None:
    """The step that may be recorded together with the current one (一肩挑), if any."""
    if matter.status != MatterStatus.OPEN or matter.current_step is None:
        return None
    following = matter.method.steps.filter(order__gt=matter.current_step.order).order_by("order").first()
    if following is None or not following.may_merge_with_previous or not one_post_allowed(matter.community):
        return None
    return following


@dataclass
class StepData:
    held_on: dt.date
    due_count: int | None = None
    present_count: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    minutes: str = ""
    notice_text: str = ""
    signatures: object = None


FIELD_LABELS = {
    "due_count": "应到人数", "present_count": "实到人数", "votes_for": "赞成票数", "votes_against": "反对票数",
    "votes_abstain": "弃权票数", "minutes": "会议纪要", "signatures": "签字扫描件", "notice_text": "公开内容",
}


def _required_fields(steps: list[MethodStep]) -> dict[str, MethodStep]:
    """Each item the steps require → the (first) step that requires it."""
    fields = {}
    for step in steps:
        wanted = []
        if step.requires_attendance or step.requires_vote:
            wanted += ["due_count", "present_count"]
        if step.requires_vote:
            wanted += ["votes_for", "votes_against", "votes_abstain"]
        if step.requires_minutes:
            wanted.append("minutes")
        if step.requires_signatures:
            wanted.append("signatures")
        if step.requires_notice_text:
            wanted.append("notice_text")
        for field in wanted:
            fields.setdefault(field, step)
    return fields


def _check_data(steps: list[MethodStep], data: StepData, *, previous_on: dt.date | None, today: dt.date) -> None:
    errors = {}
    for field, step in _required_fields(steps).items():
        value = getattr(data, field)
        if value is None or value == "":
            errors[field] = _("“%(step)s”须填写%(label)s。") % {"step": step.name, "label": _(FIELD_LABELS[field])}
    if data.held_on > today:
        errors["held_on"] = _("日期不能晚于今天。")
    elif previous_on and data.held_on < previous_on:
        errors["held_on"] = _("日期不能早于上一步骤（%(day)s）。") % {"day": previous_on}
    if errors:
        raise ValidationError(errors)
    if data.due_count is not None and data.due_count < 1:
        raise ValidationError({"due_count": _("应到人数至少为 1。")})
    if data.present_count is not None and data.due_count is not None and data.present_count > data.due_count:
        raise ValidationError({"present_count": _("实到人数（%(p)s）不能多于应到人数（%(d)s）。") % {"p": data.present_count, "d": data.due_count}})
    votes = [v for v in (data.votes_for, data.votes_against, data.votes_abstain) if v is not None]
    if votes and data.present_count is not None and sum(votes) > data.present_count:
        raise ValidationError({"votes_for": _("赞成、反对、弃权票数之和（%(n)s）不能多于实到人数（%(p)s）。") % {"n": sum(votes), "p": data.present_count}})
    if data.signatures:
        _check_signatures(data.signatures)


def _check_signatures(file) -> None:
    name = (getattr(file, "name", "") or "").lower()
    suffix = next((s for s in SIGNATURE_SUFFIXES if name.endswith(s)), None)
    if suffix is None or not content_matches(suffix, head_of(file)):
        raise ValidationError({"signatures": _("签字扫描件须为 PDF、JPG 或 PNG 文件。")})
    if getattr(file, "size", 0) > SIGNATURE_MAX_BYTES:
        raise ValidationError({"signatures": _("签字扫描件不能超过 20 MB。")})


def _record(matter, step, data, *, verdict, merged, acting_user) -> StepRecord:
    record = StepRecord(
        matter=matter, step=step, held_on=data.held_on, merged_with_previous=merged, recorded_by=acting_user,
        due_count=data.due_count if step.requires_attendance or step.requires_vote else None,
        present_count=data.present_count if step.requires_attendance or step.requires_vote else None,
        votes_for=data.votes_for if step.requires_vote else None, votes_against=data.votes_against if step.requires_vote else None,
        votes_abstain=data.votes_abstain if step.requires_vote else None,
        minutes=data.minutes, notice_text=data.notice_text if step.requires_notice_text or step.publishes else "",
        threshold=step.threshold_text(), outcome=Outcome.PASSED if verdict.passed else Outcome.FAILED, fail_reason=verdict.reason,
    )
    if step.publication_days:
        record.published_from = data.held_on
        record.published_until = data.held_on + dt.timedelta(days=step.publication_days - 1)
    record._history_user = acting_user
    if data.signatures and step.requires_signatures:
        record.signatures.save(f"signatures{_suffix(data.signatures)}", data.signatures, save=False)
    record.save()
    return record


def _suffix(file) -> str:
    name = (file.name or "").lower()
    return next((s for s in SIGNATURE_SUFFIXES if name.endswith(s)), "")


def _publish(matter: Matter, record: StepRecord, acting_user) -> None:
    kind = record.step.publishes
    title = f"{matter.title} · {record.step.name}"
    notice_publish(community=matter.community, compound=matter.compound, kind=kind, title=title, body=record.notice_text,
                   starts_on=record.published_from, ends_on=record.published_until, source=record, acting_user=acting_user)


def advance(matter: Matter, last: MethodStep, verdict: Verdict) -> None:
    steps = _steps(matter.method)
    if not verdict.passed:
        target = next((s for s in steps if s.order == last.return_to_order and s.order < last.order), None)
        if last.on_fail == OnFail.RETURN and target is not None:
            matter.current_step = target
        else:
            matter.status, matter.current_step = MatterStatus.FAILED, None
        return
    later = [s for s in steps if s.order > last.order]
    matter.current_step = later[0] if later else None
    if not later:
        matter.status = MatterStatus.ENDED
    elif last.requires_vote and not any(s.requires_vote for s in later):
        matter.status = MatterStatus.PASSED


@transaction.atomic
def step_record(*, scope: Scope, acting_user, matter: Matter, step: MethodStep, data: StepData, merge_next: bool = False,
                today: dt.date | None = None) -> list[StepRecord]:
    """Record the matter's next step (and, under 一肩挑, the mergeable step after it in the same
    meeting): refused when it is not the next one, an item the step requires is missing, or the
    counts do not add up; the outcome is computed from the threshold. A failure ends the matter or
    returns it to the step the method names. Returns the records written."""
    scope.require(matter)
    matter = Matter.objects.select_for_update(of=("self",)).select_related("method", "community", "compound", "current_step").get(pk=matter.pk)
    today = today or timezone.localdate()
    if matter.status not in (MatterStatus.OPEN, MatterStatus.PASSED) or matter.current_step_id is None:
        raise ValidationError(_("该事项%(status)s，不能再记录步骤。") % {"status": matter.get_status_display()})
    if step.pk != matter.current_step_id:
        raise ValidationError({"step": _("下一步应为“%(next)s”，不能跳过或提前记录“%(step)s”。") % {"next": matter.current_step.name, "step": step.name}})
    steps = [matter.current_step]
    if merge_next:
        following = merge_candidate(matter) if matter.status == MatterStatus.OPEN else None
        if following is None:
            raise ValidationError({"merge_next": _("只有书记、主任一肩挑的社区，且下一步骤允许合并时，才能合并召开。")})
        steps.append(following)
    previous = matter.records.order_by("-held_on").values_list("held_on", flat=True).first()
    _check_data(steps, data, previous_on=previous, today=today)
    written = []
    for i, s in enumerate(steps):
        verdict = evaluate(s, due=data.due_count, present=data.present_count, votes_for=data.votes_for)
        written.append(_record(matter, s, data, verdict=verdict, merged=i > 0, acting_user=acting_user))
        if s.publishes:
            _publish(matter, written[-1], acting_user)
        advance(matter, s, verdict)
        if not verdict.passed:
            break
    matter._history_user = acting_user
    matter.save()
    return written


@transaction.atomic
def matter_withdraw(*, scope: Scope, acting_user, matter: Matter, reason: str) -> Matter:
    scope.require(matter)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    reason = clean_text(reason)
    if matter.status != MatterStatus.OPEN:
        raise ValidationError(_("只有进行中的事项可以撤回。"))
    if not reason:
        raise ValidationError({"withdraw_reason": _("请填写撤回原因。")})
    matter.status, matter.current_step, matter.withdraw_reason = MatterStatus.WITHDRAWN, None, reason
    matter._history_user = acting_user
    matter.save()
    return matter


@transaction.atomic
def setting_save(*, scope: Scope, acting_user, community: Place, secretary_is_director: bool) -> CommunitySetting:
    """Set whether the 社区's secretary is also the 居委会主任 (一肩挑)."""
    scope.require(community)
    if community.level != PlaceLevel.COMMUNITY:
        raise ValidationError({"community": _("请选择社区。")})
    setting, _created = CommunitySetting.objects.select_for_update().get_or_create(community=community)
    setting.secretary_is_director = secretary_is_director
    setting._history_user = acting_user
    setting.save()
    return setting


# ---- 居民公约 ---------------------------------------------------------------------------------------


@transaction.atomic
def convention_create(*, scope: Scope, acting_user, community: Place, title: str, compound: Place | None = None) -> Convention:
    scope.require(community)
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": _("请填写公约名称。")})
    _compound_of(community, compound)
    taken = Convention.objects.filter(community=community, compound=compound) if compound else Convention.objects.filter(community=community, compound__isnull=True)
    if taken.exists():
        raise ValidationError({"compound": _("该小区已有居民公约，请在原公约下通过新版本。") if compound else _("该社区已有居民公约，请在原公约下通过新版本。")})
    convention = Convention(community=community, compound=compound, title=title, created_by=acting_user)
    convention._history_user = acting_user
    convention.save()
    return convention


def adoption_day(matter: Matter) -> dt.date | None:
    """The day of the matter's last passed vote (the 居民会议 that adopted it)."""
    return (matter.records.filter(outcome=Outcome.PASSED, step__requires_vote=True).order_by("-held_on", "-id")
            .values_list("held_on", flat=True).first())


@transaction.atomic
def convention_version_adopt(*, scope: Scope, acting_user, convention: Convention, text: str, matter: Matter) -> ConventionVersion:
    """A new text of the 公约, adopted through `matter`, which must have passed (决议通过 or 已办结)
    in the same 社区 (and 小区, when the 公约 is a 小区's)."""
    scope.require(convention)
    scope.require(matter)
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写公约全文。")})
    if matter.community_id != convention.community_id or (convention.compound_id and matter.compound_id not in (None, convention.compound_id)):
        raise ValidationError({"matter": _("通过事项须属于本公约所在的社区或小区。")})
    if not matter.adopted:
        raise ValidationError({"matter": _("事项“%(title)s”%(status)s，公约须经决议通过的事项通过。") % {"title": matter.title, "status": matter.get_status_display()}})
    if convention.versions.filter(matter=matter).exists():
        raise ValidationError({"matter": _("该事项已通过本公约的一个版本。")})
    number = (convention.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ConventionVersion(convention=convention, number=number, text=text, matter=matter, adopted_on=adoption_day(matter),
                                recorded_by=acting_user)
    version._history_user = acting_user
    version.save()
    return version


@transaction.atomic
def convention_version_file(*, scope: Scope, acting_user, version: ConventionVersion, filed_on: dt.date,
                            today: dt.date | None = None) -> ConventionVersion:
    """备案 with the district: the version comes into force (the current one) and is published to
    the notice board (kind "convention") until withdrawn."""
    scope.require(version)
    version = ConventionVersion.objects.select_for_update(of=("self",)).select_related("convention__community", "convention__compound").get(pk=version.pk)
    today = today or timezone.localdate()
    if version.filed_on:
        raise ValidationError(_("该版本已于 %(day)s 备案。") % {"day": version.filed_on})
    if filed_on is None or filed_on > today or filed_on < version.adopted_on:
        raise ValidationError({"filed_on": _("备案日期应在通过日期（%(day)s）与今天之间。") % {"day": version.adopted_on}})
    version.filed_on = filed_on
    version._history_user = acting_user
    version.save()
    convention = version.convention
    notice_publish(community=convention.community, compound=convention.compound, kind="convention",
                   title=record_text(gettext_noop("%(title)s（第%(n)s版）"), {"title": convention.title, "n": version.number}), body=version.text,
                   starts_on=today, source=version, acting_user=acting_user)
    return version
