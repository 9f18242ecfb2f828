"""善行义举 from report to credit: 道德评议会 review, 公示 with objections, then the points."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.pii import mask_name
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish, source_notice_extend, source_notice_withdraw
from gongzhi.people.models import Person

from ..models import BankPolicy, Deed, DeedCategory, DeedObjection, DeedStatus
from .accounts import community_of, holder_account
from .ledger import earn


@transaction.atomic
def deed_report(*, scope: Scope, acting_user, person: Person, category: DeedCategory, description: str, occurred_on: dt.date,
                reported_by: str) -> Deed:
    """登记 a good deed of `person` (by the community, or as a resident reported it)."""
    scope.require(person)
    community = community_of(person.place)
    description, reported_by = clean_text(description), clean_text(reported_by)
    errors = {}
    if not description:
        errors["description"] = _("请填写事迹。")
    if not reported_by:
        errors["reported_by"] = _("请填写报送人。")
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("发生日期不能晚于今天。")
    if not DeedCategory.for_community(community).filter(pk=category.pk).exists():
        errors["category"] = _("该善行类别不适用于本社区或已停用。")
    if errors:
        raise ValidationError(errors)
    return Deed.objects.create(community=community, person=person, household_id=person.household_id, category=category,
                               description=description, occurred_on=occurred_on, reported_by=reported_by, recorded_by=acting_user)


@transaction.atomic
def deed_review(*, scope: Scope, acting_user, deed: Deed, approve: bool, points: int | None, reviewers: str, note: str = "",
                today: dt.date | None = None) -> Deed:
    """The 道德评议会's decision: approved with points in the category's range, the 公示 starts
    (it ends after the community's number of days); or rejected, with the reason."""
    scope.require(deed)
    deed = Deed.objects.select_for_update().select_related("category").get(pk=deed.pk)
    today = today or timezone.localdate()
    reviewers, note = clean_text(reviewers), clean_text(note)
    if deed.status != DeedStatus.REPORTED:
        raise ValidationError(_("该善行已评议（%(status)s），不能重复评议。") % {"status": deed.get_status_display()})
    if not reviewers:
        raise ValidationError({"reviewers": _("请填写参加评议的评议会成员。")})
    if approve:
        low, high = deed.category.min_points, deed.category.max_points
        if points is None or not low <= points <= high:
            raise ValidationError({"points": _("“%(category)s”的分值应在 %(low)s-%(high)s 分之间。") % {"category": deed.category.name, "low": low, "high": high}})
        deed.status, deed.points = DeedStatus.PUBLICISED, points
        deed.publicity_ends_on = today + dt.timedelta(days=BankPolicy.for_community(deed.community).publicity_days)
    else:
        if not note:
            raise ValidationError({"review_note": _("不予通过须填写评议意见。")})
        deed.status, deed.points = DeedStatus.REJECTED, None
    deed.reviewed_on, deed.reviewers, deed.review_note = today, reviewers, note
    deed._history_user = acting_user
    deed.save()
    if approve:
        _deed_notice(deed, today, acting_user)
    return deed


def _deed_notice(deed: Deed, today: dt.date, acting_user) -> None:
    """The 公示 on the 社区's 公开栏 too, for as long as it runs (the name masked, as on the bank's own page)."""
    values = {"name": mask_name(deed.person.name), "category": deed.category.name, "points": deed.points,
              "description": deed.description, "day": deed.occurred_on.isoformat()}
    notice_publish(community=deed.community, kind=NoticeKind.PUBLICITY, source=deed, acting_user=acting_user,
                   starts_on=today, ends_on=deed.publicity_ends_on,
                   title=record_text(gettext_noop("道德银行善行公示：%(name)s · %(category)s"), values),
                   body=record_text(gettext_noop("%(day)s，%(description)s\n经道德评议会评议，拟记 %(points)s 分。公示期内如有异议，"
                                                 "请向社区提出或在道德银行公示页面提交。"), values))


@transaction.atomic
def deed_object(*, deed: Deed, raised_by: str, reason: str, acting_user=None, today: dt.date | None = None) -> DeedObjection:
    """An objection to a deed on 公示 (anyone may raise one, at the public list or to a worker): the
    公示 halts until the council decides it."""
    deed = Deed.objects.select_for_update().get(pk=deed.pk)
    raised_by, reason = clean_text(raised_by), clean_text(reason)
    today = today or timezone.localdate()
    if deed.status not in (DeedStatus.PUBLICISED, DeedStatus.OBJECTED) or deed.publicity_ends_on < today:
        raise ValidationError(_("该善行不在公示期内，不能提出异议。"))
    errors = {}
    if not raised_by:
        errors["raised_by"] = _("请填写异议人姓名。")
    if not reason:
        errors["reason"] = _("请填写异议内容。")
    if errors:
        raise ValidationError(errors)
    objection = DeedObjection.objects.create(deed=deed, raised_by=raised_by, reason=reason, recorded_by=acting_user)
    if deed.status != DeedStatus.OBJECTED:
        deed.status = DeedStatus.OBJECTED
        deed._history_user = acting_user
        deed.save(update_fields=["status", "updated_at"])
    return objection


@transaction.atomic
def objection_resolve(*, scope: Scope, acting_user, objection: DeedObjection, upheld: bool, resolution: str,
                      today: dt.date | None = None) -> DeedObjection:
    """The council decides an objection: upheld, the deed is rejected; dismissed, and no other
    objection open, its 公示 runs on (to its end date, or at least one more day)."""
    scope.require(objection)
    objection = DeedObjection.objects.select_for_update().get(pk=objection.pk)
    deed = Deed.objects.select_for_update().get(pk=objection.deed_id)
    resolution, today = clean_text(resolution), today or timezone.localdate()
    if objection.upheld is not None:
        raise ValidationError(_("该异议已处理。"))
    if not resolution:
        raise ValidationError({"resolution": _("请填写处理意见。")})
    objection.upheld, objection.resolution, objection.resolved_on = upheld, resolution, today
    objection.save(update_fields=["upheld", "resolution", "resolved_on", "updated_at"])
    if upheld:
        deed.status, deed.review_note = DeedStatus.REJECTED, record_text(gettext_noop("异议成立：%(resolution)s"), {"resolution": resolution})[:300]
        source_notice_withdraw(source=deed, kind=NoticeKind.PUBLICITY, reason=deed.review_note[:200], acting_user=acting_user)
    elif not deed.objections.filter(upheld__isnull=True).exists():
        deed.status = DeedStatus.PUBLICISED
        deed.publicity_ends_on = max(deed.publicity_ends_on, today + dt.timedelta(days=1))
        source_notice_extend(source=deed, kind=NoticeKind.PUBLICITY, ends_on=deed.publicity_ends_on)
    deed._history_user = acting_user
    deed.save()
    return objection


def deeds_credit_due(*, today: dt.date | None = None, community=None, acting_user=None) -> list[Deed]:
    """Credit every deed whose 公示 ended before `today` with no objection standing: each its own
    transaction (key deed:<id>), so one refusal never holds back the rest. Returns those credited."""
    today = today or timezone.localdate()
    due = Deed.objects.filter(status=DeedStatus.PUBLICISED, publicity_ends_on__lt=today).select_related("person", "community")
    if community is not None:
        due = due.filter(community=community)
    credited = (_credit(deed, acting_user) for deed in due.order_by("id"))
    return [deed for deed in credited if deed is not None]


@transaction.atomic
def _credit(deed: Deed, acting_user) -> Deed | None:
    deed = Deed.objects.select_for_update().select_related("person", "community", "category").get(pk=deed.pk)
    if deed.status != DeedStatus.PUBLICISED:
        return None
    account = holder_account(person=deed.person, community=deed.community)
    memo = record_text(gettext_noop("善行积分：%(category)s（%(day)s）"), {"category": deed.category.name, "day": deed.occurred_on})
    deed.transaction = earn(account=account, points=deed.points, acting_user=acting_user, memo=memo, key=f"deed:{deed.pk}")
    deed.account, deed.status = account, DeedStatus.CREDITED
    deed._history_user = acting_user
    deed.save()
    return deed
