"""Writes of the notice board: publishing (from any module) and withdrawing. Nothing is deleted."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel

from .models import Notice, NoticeKind

TITLE_MAX = Notice._meta.get_field("title").max_length


def _check_places(community: Place, compound: Place | None) -> None:
    if community.level != PlaceLevel.COMMUNITY:
        raise ValidationError({"community": _("公开栏属于社区：请选择一个社区。")})
    if compound is not None and (compound.level != PlaceLevel.COMPOUND or not compound.path.startswith(community.path)):
        raise ValidationError({"compound": _("所选小区不在该社区内。")})


def _check_text(kind: str, title: str, body: str, starts_on: dt.date, ends_on: dt.date | None) -> None:
    errors = {}
    if kind not in NoticeKind.values:
        errors["kind"] = _("请选择公开类别。")
    if not title.strip():
        errors["title"] = _("请填写标题。")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("标题不能超过 %(n)d 个字。") % {"n": TITLE_MAX}
    if not body.strip():
        errors["body"] = _("请填写公开内容。")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("公开截止日期不能早于公开日期。")
    if errors:
        raise ValidationError(errors)


def notice_publish(
    *, community: Place, kind: str, title: str, body: str, starts_on: dt.date | None = None, ends_on: dt.date | None = None,
    compound: Place | None = None, source: Model | None = None, acting_user=None, scope: Scope | None = None,
) -> Notice:
    """Put a notice on `community`'s board from `starts_on` (today) to `ends_on` (none: until
    withdrawn). With a `source` record, publishing the same kind again returns the notice already
    there (a retried or repeated publication is one notice). `scope` (a staff page's) is checked."""
    starts_on = starts_on or timezone.localdate()
    title, body = title.strip(), body.strip()
    _check_places(community, compound)
    _check_text(kind, title, body, starts_on, ends_on)
    if scope is not None:
        scope.require(community)
    source_fields = {}
    if source is not None:
        source_fields = {"source_type": ContentType.objects.get_for_model(source, for_concrete_model=False), "source_id": source.pk}
        existing = Notice.objects.filter(kind=kind, **source_fields).first()
        if existing is not None:
            return existing
    notice = Notice(community=community, compound=compound, kind=kind, title=title, body=body, starts_on=starts_on,
                    ends_on=ends_on, published_by=acting_user, **source_fields)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        if not source_fields:
            raise
        return Notice.objects.get(kind=kind, **source_fields)  # published at the same moment by another request
    return notice


@transaction.atomic
def notice_withdraw(*, notice: Notice, reason: str, acting_user, scope: Scope | None) -> Notice:
    """Take a notice down before its end; it stays on record (and in the staff board) as withdrawn.
    `scope` None: a module's service withdrawing its own record's notice (it checked the scope)."""
    notice = Notice.objects.select_for_update().filter(pk=notice.pk).first()
    if scope is not None:
        scope.require(notice)
    if notice.withdrawn_at:
        raise ValidationError(_("该公开事项已于 %(t)s 撤下。") % {"t": timezone.localtime(notice.withdrawn_at).strftime("%Y-%m-%d %H:%M")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤下原因：撤下的事项仍留档，原因随档保存。")})
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_by = acting_user
    notice.withdraw_reason = reason.strip()[:200]
    notice.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
    return notice



def _source_notice(source: Model, kind: str) -> Notice | None:
    ct = ContentType.objects.get_for_model(source, for_concrete_model=False)
    return Notice.objects.select_for_update().filter(source_type=ct, source_id=source.pk, kind=kind).first()


@transaction.atomic
def source_notice_extend(*, source: Model, kind: str, ends_on: dt.date) -> Notice | None:
    """The notice of `source` stays up until `ends_on` (a 公示 halted by an objection runs on)."""
    notice = _source_notice(source, kind)
    if notice is not None and not notice.withdrawn_at and notice.ends_on and ends_on > notice.ends_on:
        notice.ends_on = ends_on
        notice.save(update_fields=["ends_on", "updated_at"])
    return notice


def source_notice_withdraw(*, source: Model, kind: str, reason: str, acting_user=None) -> Notice | None:
    """Withdraw the notice of `source` (its record was rejected meanwhile), if it is up."""
    with transaction.atomic():
        notice = _source_notice(source, kind)
        if notice is None or notice.withdrawn_at:
            return notice
        return notice_withdraw(notice=notice, reason=reason, acting_user=acting_user, scope=None)
