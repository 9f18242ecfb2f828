"""Sorted garbage weighed at a station (垃圾分类积分): kilograms by kind → points at the community's
rates, cut to what the daily cap leaves, credited to the person or their household."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.scope import Scope
from gongzhi.core.text import record_text
from gongzhi.people.models import Person

from ..models import BankPolicy, Counter, CounterKind, GarbageDrop, GarbageKind, GarbageRate
from .accounts import holder_account, require_counter
from .ledger import earn

MAX_KG = Decimal("100")  # one person's sorted garbage at one weighing; more is a typing error


def garbage_points(weights: dict[str, Decimal], rates: dict[str, Decimal]) -> int:
    """Whole points for the weights at the rates (half up)."""
    total = sum((weights.get(kind, Decimal(0)) * rates.get(kind, Decimal(0)) for kind in GarbageKind.values), Decimal(0))
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _checked_weights(weights: dict[str, object]) -> dict[str, Decimal]:
    checked, errors = {}, {}
    for kind, label in GarbageKind.choices:
        raw = weights.get(kind) or 0
        try:
            kg = Decimal(str(raw)).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors[f"{kind}_kg"] = _("“%(kind)s”的重量须为数字（公斤）。") % {"kind": label}
            continue
        if kg < 0 or kg > MAX_KG:
            errors[f"{kind}_kg"] = _("“%(kind)s”的重量应在 0-%(max)s 公斤之间。") % {"kind": label, "max": MAX_KG}
        checked[kind] = kg
    if not errors and not any(checked.values()):
        errors["__all__"] = _("请至少填写一类垃圾的重量。")
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def garbage_record(*, scope: Scope, acting_user, counter: Counter, person: Person, weights: dict[str, object], key: str,
                   day: dt.date | None = None) -> GarbageDrop:
    """Record one weighing at `counter` (a station) for `person`. `key`: the terminal's request id —
    a retry returns the first record and credits nothing twice."""
    require_counter(scope=scope, user=acting_user, counter=counter)
    done = GarbageDrop.objects.filter(key=key).first()
    if done is not None:
        return done
    if counter.kind != CounterKind.STATION or not counter.active:
        raise ValidationError(_("垃圾分类只能在营业中的积分驿站称重记分。"))
    weights = _checked_weights(weights)
    day = day or timezone.localdate()
    account = holder_account(person=person)
    if account.community_id != counter.community_id:
        raise ValidationError({"person": _("%(person)s不是本社区居民，请到所在社区的驿站称重。") % {"person": person}})
    account = type(account).objects.select_for_update().get(pk=account.pk)  # one weighing at a time per account: the cap holds
    policy = BankPolicy.for_community(counter.community)
    earned = garbage_points(weights, GarbageRate.for_community(counter.community))
    credited = earned
    if policy.garbage_daily_cap:
        so_far = GarbageDrop.objects.filter(account=account, day=day).aggregate(n=Sum("credited"))["n"] or 0
        credited = max(0, min(earned, policy.garbage_daily_cap - so_far))
    txn = None
    if credited:
        memo = record_text(gettext_noop("垃圾分类积分（%(counter)s）"), {"counter": counter.name})
        txn = earn(account=account, points=credited, acting_user=acting_user, memo=memo, key=f"garbage:{key}")
    return GarbageDrop.objects.create(
        counter=counter, account=account, person=person, day=day, earned=earned, credited=credited, transaction=txn, key=key,
        operator=acting_user, **{f"{kind}_kg": kg for kind, kg in weights.items()})
