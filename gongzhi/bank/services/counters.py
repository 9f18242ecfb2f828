"""Counters (驿站 爱心超市, 道德联盟 merchants, event stalls), their goods, 公益集市/公益日 events and
the monthly settlement of what was redeemed at a counter."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.org.models import Place, PlaceLevel

from ..models import Account, AccountKind, CharityEvent, Counter, CounterKind, Goods, Redemption, Settlement, TransactionKind
from .accounts import require_counter
from .ledger import community_account, transfer

ACCOUNT_KIND = {CounterKind.STATION: AccountKind.STATION, CounterKind.MERCHANT: AccountKind.MERCHANT, CounterKind.STALL: AccountKind.STALL}


@transaction.atomic
def counter_open(*, scope: Scope, acting_user, community: Place, kind: str, name: str, address: str = "", contact_name: str = "",
                 business_phone: str = "", offer: str = "", joined_on: dt.date | None = None, event: CharityEvent | None = None,
                 operators=()) -> Counter:
    """A station, a merchant joining the 道德联盟, or a stall at an event, with its own account."""
    scope.require(community)
    name = clean_text(name)
    errors = {}
    if community.level != PlaceLevel.COMMUNITY:
        errors["community"] = _("兑换点须属于一个社区。")
    if not name:
        errors["name"] = _("请填写名称。")
    if kind == CounterKind.STALL and (event is None or event.community_id != community.pk):
        errors["event"] = _("集市摊位须属于本社区的一场公益活动。")
    if kind != CounterKind.STALL and event is not None:
        errors["event"] = _("只有集市摊位属于公益活动。")
    if errors:
        raise ValidationError(errors)
    account = Account.objects.create(kind=ACCOUNT_KIND[kind], community=community, name=name)
    counter = Counter.objects.create(
        community=community, kind=kind, name=name, address=clean_text(address), contact_name=clean_text(contact_name),
        business_phone=clean_text(business_phone), offer=clean_text(offer),
        joined_on=joined_on or (timezone.localdate() if kind == CounterKind.MERCHANT else None), event=event, account=account)
    counter.operators.set(operators)
    return counter


@transaction.atomic
def goods_save(*, scope: Scope, acting_user, counter: Counter, name: str, points: int, stock: int | None, kind: str = "goods",
               goods: Goods | None = None, active: bool = True) -> Goods:
    """Put goods on a counter's shelf, or change them (price, stock, on or off the shelf)."""
    require_counter(scope=scope, user=acting_user, counter=counter)
    name = clean_text(name)
    errors = {}
    if not name:
        errors["name"] = _("请填写物品名称。")
    if not isinstance(points, int) or points < 1:
        errors["points"] = _("所需积分须为正整数。")
    if stock is not None and stock < 0:
        errors["stock"] = _("库存不能为负数。")
    if errors:
        raise ValidationError(errors)
    goods = goods or Goods(counter=counter)
    if goods.counter_id != counter.pk:
        raise ValidationError(_("物品不属于该兑换点。"))
    goods.name, goods.points, goods.stock, goods.kind, goods.active = name, points, stock, kind, active
    goods.save()
    return goods


@transaction.atomic
def event_create(*, scope: Scope, acting_user, community: Place, kind: str, title: str, held_on: dt.date, venue: str, note: str = "") -> CharityEvent:
    scope.require(community)
    title, venue = clean_text(title), clean_text(venue)
    errors = {}
    if not title:
        errors["title"] = _("请填写活动名称。")
    if not venue:
        errors["venue"] = _("请填写活动地点。")
    if community.level != PlaceLevel.COMMUNITY:
        errors["community"] = _("公益活动须属于一个社区。")
    if errors:
        raise ValidationError(errors)
    return CharityEvent.objects.create(community=community, kind=kind, title=title, held_on=held_on, venue=venue, note=clean_text(note))


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(first, dt.time.min, tzinfo=tz), dt.datetime.combine(following, dt.time.min, tzinfo=tz)


def settlement_preview(*, counter: Counter, month: dt.date) -> tuple[int, int]:
    """(redemptions, points) at `counter` in `month` that stand (not refunded): what its settlement
    statement retires. A redemption is refunded only until its month is settled, so what a
    settlement retired never comes back."""
    start, end = _month_bounds(month)
    row = (Redemption.objects.filter(counter=counter, at__gte=start, at__lt=end, transaction__reversed_by__isnull=True)
           .aggregate(n=Count("id"), points=Sum("points")))
    return row["n"], row["points"] or 0


def month_settled(*, counter: Counter, at: dt.datetime) -> bool:
    return Settlement.objects.filter(counter=counter, month=timezone.localtime(at).date().replace(day=1)).exists()


@transaction.atomic
def settlement_close(*, scope: Scope, acting_user, counter: Counter, month: dt.date) -> Settlement:
    """The monthly settlement statement of `counter`: its points of the month go back to the
    community's issuing account (the community pays the merchant as agreed; points are never
    cash for residents). Once per counter and month, only after the month has ended."""
    scope.require(counter)
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("只能结算已经结束的月份。")})
    if Settlement.objects.filter(counter=counter, month=month).exists():
        raise ValidationError({"month": _("%(counter)s %(month)s 已结算。") % {"counter": counter.name, "month": month.strftime("%Y-%m")}})
    count, points = settlement_preview(counter=counter, month=month)
    txn = None
    if points > 0:
        issuer = community_account(community=counter.community, kind=AccountKind.ISSUER)
        txn = transfer(kind=TransactionKind.SETTLE, community=counter.community, legs=[(counter.account, -points), (issuer, points)],
                       acting_user=acting_user, key=f"settle:{counter.pk}:{month:%Y-%m}",
                       memo=record_text(gettext_noop("%(month)s 月度结算：%(counter)s"), {"month": month.strftime("%Y-%m"), "counter": counter.name}))
    return Settlement.objects.create(counter=counter, month=month, redemptions=count, points=points, transaction=txn, settled_by=acting_user)


def counter_summary(counter: Counter) -> dict:
    """Redemptions and points at a counter, all time (for its page)."""
    row = Redemption.objects.filter(counter=counter, transaction__reversed_by__isnull=True).aggregate(n=Count("id"), points=Sum("points"))
    return {"redemptions": row["n"], "points": row["points"] or 0}


