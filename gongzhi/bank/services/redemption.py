"""Redeeming points at a counter: the resident's phone shows a short-lived code (as a QR code and
as digits); the operator scans or types it, picks the goods and confirms. Points buy goods or
discounts, never cash; stock goes down; the receipt is the Redemption. A terminal's retry carries
the request's key and gets the first receipt back."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.scope import Scope
from gongzhi.core.text import record_text

from ..models import Account, AccountKind, BankPolicy, Counter, Goods, Redemption, RedemptionCode, RedemptionLine, Transaction, Violation
from .accounts import require_counter
from .counters import month_settled
from .ledger import redeem, reverse

CODE_DIGITS = 6


def code_issue(*, account: Account, now: dt.datetime | None = None) -> RedemptionCode:
    """A fresh code for `account` (the resident's phone asks for one when it shows the QR code);
    earlier unused codes of the account stop working."""
    if account.kind not in (AccountKind.RESIDENT, AccountKind.HOUSEHOLD):
        raise ValidationError(_("只有居民或家庭账户可以出示兑换码。"))
    now = now or timezone.now()
    ttl = dt.timedelta(seconds=BankPolicy.for_community(account.community).code_ttl_seconds)
    with transaction.atomic():
        RedemptionCode.objects.filter(account=account, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        for _attempt in range(20):
            code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
            if not RedemptionCode.objects.filter(code=code, used_at__isnull=True, expires_at__gt=now).exists():
                return RedemptionCode.objects.create(account=account, code=code, expires_at=now + ttl)
    raise ValidationError(_("暂时无法生成兑换码，请稍后再试。"))


def code_find(*, code: str, now: dt.datetime | None = None) -> RedemptionCode:
    """The live code typed or scanned at the counter, or a refusal saying what to do."""
    found = _live_codes(code, now).select_related("account__person", "account__household", "account__community").first()
    if found is None:
        raise ValidationError({"code": _("兑换码无效或已过期，请居民在手机上刷新后重新出示。")})
    return found


def _live_codes(code: str, now: dt.datetime | None):
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == CODE_DIGITS):
        raise ValidationError({"code": _("兑换码为%(n)s位数字。") % {"n": CODE_DIGITS}})
    return RedemptionCode.objects.filter(code=code, used_at__isnull=True, expires_at__gt=now or timezone.now())


def _live_code_pk(code: str, now: dt.datetime) -> int:
    """`code_find` for the counter's confirmation: the same refusals, only the row's id read (the
    resident's person and household rows are not needed there)."""
    pk = _live_codes(code, now).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationError({"code": _("兑换码无效或已过期，请居民在手机上刷新后重新出示。")})
    return pk


def barred_until(account: Account, today: dt.date) -> dt.date | None:
    return Violation.objects.filter(account=account, barred_until__gte=today).order_by("-barred_until").values_list("barred_until", flat=True).first()


def _lines(counter: Counter, items: list[tuple[int, int]]) -> list[tuple[Goods, int]]:
    wanted: dict[int, int] = {}
    for goods_id, quantity in items:
        if quantity:
            wanted[int(goods_id)] = wanted.get(int(goods_id), 0) + int(quantity)
    if not wanted or min(wanted.values()) < 0:
        raise ValidationError({"items": _("请选择要兑换的物品和数量。")})
    goods = {g.pk: g for g in Goods.objects.select_for_update().filter(pk__in=wanted, counter=counter).order_by("pk")}
    lines = []
    for goods_id, quantity in wanted.items():
        item = goods.get(goods_id)
        if item is None or not item.active:
            raise ValidationError({"items": _("所选物品不在本兑换点上架。")})
        if item.stock is not None and item.stock < quantity:
            raise ValidationError({"items": _("“%(name)s”库存不足：还剩 %(stock)s 件。") % {"name": item.name, "stock": item.stock}})
        lines.append((item, quantity))
    return lines


@transaction.atomic
def redemption_confirm(*, scope: Scope, acting_user, counter: Counter, code: str, items: list[tuple[int, int]], key: str,
                       now: dt.datetime | None = None) -> Redemption:
    """Redeem `items` ((goods id, quantity) pairs) at `counter` for the resident showing `code`."""
    require_counter(scope=scope, user=acting_user, counter=counter)
    now = now or timezone.now()
    try:
        pk = _live_code_pk(code, now)
    except ValidationError:
        # A retry of a confirmed request: its code was used by the first. (Looked for only here, not
        # before every redemption: a retry always finds its code used, or waits on its lock below.)
        done = Transaction.objects.filter(key=key).select_related("redemption").first() if key else None
        if done is not None:
            return _retried(done, counter)
        raise
    found = RedemptionCode.objects.select_for_update().select_related("account").get(pk=pk)  # the code's row and its account's
    if key and Transaction.objects.filter(key=key).exists():  # a retry that waited on the first request's lock
        return _retried(Transaction.objects.select_related("redemption").get(key=key), counter)
    if found.used_at is not None:
        raise ValidationError({"code": _("兑换码已使用，请居民刷新后重新出示。")})
    account = found.account
    if not counter.active:
        raise ValidationError(_("该兑换点已停业。"))
    if account.community_id != counter.community_id:
        raise ValidationError({"code": _("该居民的积分属于%(theirs)s，不能在%(ours)s的兑换点使用。") % {"theirs": account.community, "ours": counter.community}})
    account.community = counter.community  # the same row (checked above), as the counter page has it already
    bar = barred_until(account, timezone.localdate(now))
    if bar:
        raise ValidationError({"code": _("该账户因违规停止兑换至 %(day)s。") % {"day": bar}})
    lines = _lines(counter, items)
    total = sum(item.points * quantity for item, quantity in lines)
    memo = "、".join(f"{item.name}×{quantity}" for item, quantity in lines)[:200]
    # No savepoint of its own: `transfer` answers a key committed by a racing request itself.
    txn = redeem(account=account, at=counter.account, points=total, acting_user=acting_user, memo=memo, key=key)
    stocked = [(item, quantity) for item, quantity in lines if item.stock is not None]
    if len(stocked) == 1:
        Goods.objects.filter(pk=stocked[0][0].pk).update(stock=F("stock") - stocked[0][1])
    elif stocked:  # every stock in one UPDATE (the rows are locked already)
        Goods.objects.filter(pk__in=[item.pk for item, _quantity in stocked]).update(
            stock=F("stock") - Case(*[When(pk=item.pk, then=Value(quantity)) for item, quantity in stocked], output_field=PositiveIntegerField()))
    RedemptionCode.objects.filter(pk=found.pk).update(used_at=now)
    receipt = Redemption.objects.create(transaction=txn, counter=counter, account=account, points=total, operator=acting_user)
    RedemptionLine.objects.bulk_create([RedemptionLine(redemption=receipt, goods=item, name=item.name, quantity=quantity, points=item.points * quantity)
                                        for item, quantity in lines])
    return receipt


def _retried(txn: Transaction, counter: Counter) -> Redemption:
    receipt = getattr(txn, "redemption", None)
    if receipt is None or receipt.counter_id != counter.pk:
        raise ValidationError(_("该请求编号已用于另一笔交易，未重复兑换。"))
    return receipt


@transaction.atomic
def redemption_refund(*, scope: Scope, acting_user, redemption: Redemption, reason: str) -> Transaction:
    """退兑 (goods returned, or confirmed by mistake): the points go back, the stock too."""
    require_counter(scope=scope, user=acting_user, counter=redemption.counter)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退兑须填写原因。")})
    if month_settled(counter=redemption.counter, at=redemption.at):
        raise ValidationError(_("该兑换所在月份已结算，不能退兑。"))
    txn = reverse(txn=redemption.transaction, acting_user=acting_user, memo=record_text(gettext_noop("退兑：%(reason)s"), {"reason": reason.strip()[:150]}))
    for line in redemption.lines.select_related("goods"):
        if line.goods.stock is not None:
            Goods.objects.filter(pk=line.goods_id).update(stock=F("stock") + line.quantity)
    return txn
