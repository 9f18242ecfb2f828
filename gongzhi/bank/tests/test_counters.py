"""At the counter: garbage weighed into points under the daily cap, a short-lived code redeemed
for goods once (retries included), stock and receipts, refunds, bars after a violation, and the
monthly settlement of a merchant."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.bank import services
from gongzhi.bank.models import (Account, AccountKind, BankPolicy, CounterKind, GarbageRate, Goods, Redemption, RedemptionCode, Settlement,
                                 Transaction)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world, scope_of):
    """幸福社区's station (rice 10 points, 3 in stock; soap 2 points, unlimited) and a barber of the 道德联盟."""
    scope = scope_of(world.shequ1)
    station = services.counter_open(scope=scope, acting_user=world.shequ1, community=world.C1, kind=CounterKind.STATION, name="幸福驿站爱心超市")
    barber = services.counter_open(scope=scope, acting_user=world.shequ1, community=world.C1, kind=CounterKind.MERCHANT, name="老街理发店",
                                   offer="理发八折")
    operator = User.objects.create_user(username="station_op", password="x")  # no role anywhere: the counter's operator only
    station.operators.add(operator)
    rice = services.goods_save(scope=scope, acting_user=world.shequ1, counter=station, name="大米5kg", points=10, stock=3)
    soap = services.goods_save(scope=scope, acting_user=world.shequ1, counter=station, name="肥皂", points=2, stock=None)
    haircut = services.goods_save(scope=scope, acting_user=world.shequ1, counter=barber, name="理发", points=8, stock=None, kind="discount")
    zhang = services.holder_account(person=world.wangwu)
    services.earn(account=zhang, points=30)
    return station, barber, operator, rice, soap, haircut, zhang


def _balance(account):
    return Account.objects.get(pk=account.pk).balance


def test_garbage_points_by_rate_and_the_daily_cap(world, scope_of, shop):
    station, _barber, operator, *_rest, zhang = shop
    # district rates: 厨余 1/kg, 可回收 2/kg, 有害 5/kg, 其他 0.5/kg; cap 5 a day
    assert services.garbage_points({"kitchen": Decimal("1.2"), "recyclable": Decimal("0.8")}, GarbageRate.for_community(world.C1)) == 3
    scope = scope_of(operator)
    first = services.garbage_record(scope=scope, acting_user=operator, counter=station, person=world.wangwu,
                                    weights={"kitchen": "1.2", "recyclable": "0.8"}, key="t1-0001")
    assert (first.earned, first.credited, _balance(zhang)) == (3, 3, 33)
    second = services.garbage_record(scope=scope, acting_user=operator, counter=station, person=world.wangwu, weights={"hazardous": "0.5"}, key="t1-0002")
    assert (second.earned, second.credited, _balance(zhang)) == (3, 2, 35)  # 2.5 → 3, cut to the 2 the cap leaves
    third = services.garbage_record(scope=scope, acting_user=operator, counter=station, person=world.wangwu, weights={"other": "2"}, key="t1-0003")
    assert (third.earned, third.credited, third.transaction) == (1, 0, None)  # recorded, nothing credited
    tomorrow = services.garbage_record(scope=scope, acting_user=operator, counter=station, person=world.wangwu, weights={"kitchen": "2"},
                                       key="t1-0004", day=timezone.localdate() + dt.timedelta(days=1))
    assert tomorrow.credited == 2 and _balance(zhang) == 37


def test_a_retried_weighing_credits_once(world, scope_of, shop):
    station, _barber, operator, *_rest, zhang = shop
    for _attempt in range(3):
        drop = services.garbage_record(scope=scope_of(operator), acting_user=operator, counter=station, person=world.wangwu,
                                       weights={"kitchen": "3"}, key="t1-0009")
    assert drop.credited == 3 and _balance(zhang) == 33 and drop.account.garbage_drops.count() == 1


def test_bad_weights_are_named(world, scope_of, shop):
    station, *_rest = shop
    with pytest.raises(ValidationError) as refused:
        services.garbage_record(scope=scope_of(world.shequ1), acting_user=world.shequ1, counter=station, person=world.wangwu,
                                weights={"kitchen": "abc", "hazardous": "120"}, key="k")
    assert refused.value.message_dict == {"kitchen_kg": ["“厨余垃圾”的重量须为数字（公斤）。"], "hazardous_kg": ["“有害垃圾”的重量应在 0-100 公斤之间。"]}
    with pytest.raises(ValidationError, match="至少填写一类"):
        services.garbage_record(scope=scope_of(world.shequ1), acting_user=world.shequ1, counter=station, person=world.wangwu, weights={}, key="k")


def test_garbage_only_for_the_stations_own_community(world, scope_of, shop):
    station, barber, operator, *_rest = shop
    with pytest.raises(ValidationError, match="不是本社区居民"):
        services.garbage_record(scope=scope_of(operator), acting_user=operator, counter=station, person=world.zhaoliu, weights={"kitchen": "1"}, key="a")
    with pytest.raises(ValidationError, match="积分驿站"):
        services.garbage_record(scope=scope_of(world.shequ1), acting_user=world.shequ1, counter=barber, person=world.wangwu, weights={"kitchen": "1"}, key="b")
    with pytest.raises(Http404):  # an operator of the station is nobody at the barber
        services.garbage_record(scope=scope_of(operator), acting_user=operator, counter=barber, person=world.wangwu, weights={"kitchen": "1"}, key="c")


def test_redeem_by_code_once_with_stock_and_receipt(world, scope_of, shop):
    station, _barber, operator, rice, soap, _haircut, zhang = shop
    code = services.code_issue(account=zhang)
    receipt = services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=code.code,
                                          items=[(rice.pk, 2), (soap.pk, 3)], key="req-1")
    assert (receipt.points, _balance(zhang), _balance(station.account)) == (26, 4, 26)
    assert [(line.name, line.quantity, line.points) for line in receipt.lines.order_by("id")] == [("大米5kg", 2, 20), ("肥皂", 3, 6)]
    assert Goods.objects.get(pk=rice.pk).stock == 1 and Goods.objects.get(pk=soap.pk).stock is None
    again = services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=code.code,
                                        items=[(rice.pk, 2), (soap.pk, 3)], key="req-1")  # the terminal's retry
    assert again == receipt and _balance(zhang) == 4 and Redemption.objects.count() == 1
    with pytest.raises(ValidationError, match="兑换码无效或已过期"):  # a used code: a new request is refused
        services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=code.code, items=[(soap.pk, 1)], key="req-2")


def test_an_expired_code_and_a_replaced_code_are_refused(world, scope_of, shop):
    station, _barber, operator, _rice, soap, _haircut, zhang = shop
    now = timezone.now()
    old = services.code_issue(account=zhang, now=now - dt.timedelta(seconds=181))  # the default lives 180 s
    with pytest.raises(ValidationError, match="兑换码无效或已过期"):
        services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=old.code, items=[(soap.pk, 1)], key="x1")
    first = services.code_issue(account=zhang, now=now)
    services.code_issue(account=zhang, now=now)  # asking again retires the first
    with pytest.raises(ValidationError, match="兑换码无效或已过期"):
        services.code_find(code=first.code, now=now + dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="6位数字"):
        services.code_find(code="12ab")


def test_too_little_stock_or_too_few_points_writes_nothing(world, scope_of, shop):
    station, _barber, operator, rice, soap, _haircut, zhang = shop
    code = services.code_issue(account=zhang)
    with pytest.raises(ValidationError, match="“大米5kg”库存不足：还剩 3 件"):
        services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=code.code, items=[(rice.pk, 4)], key="y1")
    with pytest.raises(ValidationError, match="积分不足：现有 30 分，本次需要 32 分"):
        services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=code.code,
                                    items=[(rice.pk, 3), (soap.pk, 1)], key="y2")
    assert (_balance(zhang), Goods.objects.get(pk=rice.pk).stock, Redemption.objects.count()) == (30, 3, 0)
    assert RedemptionCode.objects.get(pk=code.pk).used_at is None  # the code still works


def test_points_are_spent_only_in_their_own_community(world, scope_of, shop):
    station, _barber, operator, _rice, soap, *_rest = shop
    theirs = services.holder_account(person=world.zhaoliu)
    services.earn(account=theirs, points=10)
    code = services.code_issue(account=theirs)
    with pytest.raises(ValidationError, match="积分属于和平社区"):
        services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station, code=code.code, items=[(soap.pk, 1)], key="z1")


def test_a_refund_returns_points_and_stock(world, scope_of, shop):
    station, _barber, operator, rice, *_rest, zhang = shop
    receipt = services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station,
                                          code=services.code_issue(account=zhang).code, items=[(rice.pk, 1)], key="r1")
    services.redemption_refund(scope=scope_of(operator), acting_user=operator, redemption=receipt, reason="米袋破损，居民退回")
    assert (_balance(zhang), _balance(station.account), Goods.objects.get(pk=rice.pk).stock) == (30, 0, 3)
    with pytest.raises(ValidationError, match="已冲正"):
        services.redemption_refund(scope=scope_of(operator), acting_user=operator, redemption=receipt, reason="再退一次")


def test_a_violation_clears_the_balance_and_bars_redemption(world, scope_of, shop):
    station, _barber, operator, _rice, soap, _haircut, zhang = shop
    violation = services.violation_record(scope=scope_of(world.shequ1), acting_user=world.shequ1, account=zhang, description="虚报善行骗取积分",
                                          recorded_on=timezone.localdate())
    assert _balance(zhang) == 0 and violation.transaction.kind == "penalty"
    assert violation.barred_until == timezone.localdate() + dt.timedelta(days=365)
    assert _balance(services.community_account(community=world.C1, kind=AccountKind.LAPSED)) == 30
    services.earn(account=zhang, points=5)  # earning goes on
    with pytest.raises(ValidationError, match="因违规停止兑换至"):
        services.redemption_confirm(scope=scope_of(operator), acting_user=operator, counter=station,
                                    code=services.code_issue(account=zhang).code, items=[(soap.pk, 1)], key="v1")
    with pytest.raises(Http404):
        services.violation_record(scope=scope_of(world.shequ2), acting_user=world.shequ2, account=zhang, description="越权")


def test_the_monthly_settlement_retires_a_merchants_points_once(world, scope_of, shop):
    _station, barber, _operator, *_rest, haircut, zhang = shop
    scope = scope_of(world.shequ1)
    for key in ("s1", "s2"):
        services.redemption_confirm(scope=scope, acting_user=world.shequ1, counter=barber, code=services.code_issue(account=zhang).code,
                                    items=[(haircut.pk, 1)], key=key)
    Transaction.objects.filter(kind="redeem").update(created_at=timezone.now() - dt.timedelta(days=40))  # as if redeemed last month
    Redemption.objects.update(at=timezone.now() - dt.timedelta(days=40))
    month = (timezone.now() - dt.timedelta(days=40)).date().replace(day=1)
    assert services.settlement_preview(counter=barber, month=month) == (2, 16)
    settlement = services.settlement_close(scope=scope, acting_user=world.shequ1, counter=barber, month=month)
    assert (settlement.redemptions, settlement.points, _balance(barber.account)) == (2, 16, 0)
    issuer = services.community_account(community=world.C1, kind=AccountKind.ISSUER)
    assert _balance(issuer) == -30 + 16  # 30 issued, 16 came back from the merchant
    with pytest.raises(ValidationError, match="已结算"):
        services.settlement_close(scope=scope, acting_user=world.shequ1, counter=barber, month=month)
    with pytest.raises(ValidationError, match="只能结算已经结束的月份"):
        services.settlement_close(scope=scope, acting_user=world.shequ1, counter=barber, month=timezone.localdate())
    assert Settlement.objects.count() == 1
    assert services.ledger_check() == [] and services.unbalanced_transactions() == []


def test_the_code_lives_the_communitys_seconds(world, shop):
    *_rest, zhang = shop
    BankPolicy.objects.create(community=world.C1, code_ttl_seconds=60)
    code = services.code_issue(account=zhang)
    assert 59 <= (code.expires_at - code.created_at).total_seconds() <= 61
