"""The publicity register (宣传): banners, boards, leaflets, WeChat posts … a 社区 made."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.org.models import Place

from ..models import PublicityKind, PublicityRecord
from .common import require_community

MAX_COUNT = 100_000


@transaction.atomic
def publicity_record(*, scope: Scope, acting_user, community: Place, kind: PublicityKind, count: int, made_on: dt.date, topic: str,
                     note: str = "") -> PublicityRecord:
    """登记 what was made: `count` items of `kind` on `topic`, on `made_on`."""
    scope.require(require_community(community))
    topic, note = clean_text(topic), clean_text(note)
    errors = {}
    if not kind.active:
        errors["kind"] = _("该宣传形式已停用。")
    if count is None or not 1 <= count <= MAX_COUNT:
        errors["count"] = _("数量应在 1 至 %(n)s 之间。") % {"n": f"{MAX_COUNT:,}"}
    if made_on is None or made_on > timezone.localdate():
        errors["made_on"] = _("日期不能晚于今天。")
    if not topic:
        errors["topic"] = _("请填写宣传主题。")
    if errors:
        raise ValidationError(errors)
    record = PublicityRecord(community=community, kind=kind, count=count, made_on=made_on, topic=topic, note=note, recorded_by=acting_user)
    record._history_user = acting_user
    record.save()
    return record


@transaction.atomic
def publicity_delete(*, scope: Scope, acting_user, record: PublicityRecord) -> None:
    """Remove a record entered by mistake (its history keeps what it was and who removed it)."""
    scope.require(record)
    record._history_user = acting_user
    record.delete()
