"""The 道德银行's headline figures from a hand-made ledger: two sibling 社区 under 东风街道 (and one
under 西山街道), every kind of transaction in and out of the first quarter of 2026, the quarter's
edges in Beijing time.

    幸福社区 C1 (驿站, 商户甲)                      和平社区 C2 (商户乙; 商户丙 closed)
    张三  2025-12-20 10:00 earn 30            out  赵六  2026-01-15 earn 50               in
          2025-12-20 11:00 redeem 5 @驿站     out        2026-01-20 redeem 30 @商户乙     in
          2025-12-31 23:59:59 earn 7          out        2026-03-15 deed credited 10      in
          2026-01-01 00:00:00 earn 20         in         2026-04-02 deed credited 12      out
          2026-01-02 lapse 10 (year end)      in         2026-04-01 redeem 10 @商户乙     out
          2026-01-05 refund of the 12-20 redeem in  南山社区 C3 (西山街道)
          2026-02-01 redeem 12 @驿站          in   孙七  2026-02-01 earn 100              in
          2026-02-02 redeem 8 @商户甲         in
          2026-02-03 refund of it             in
          2026-03-01 settle 驿站 (12)         in
          2026-03-05 earn 4, 03-06 reversed   in
          2026-03-31 23:59:59 earn 6          in, its reversal 2026-04-01 00:00 out
          2026-04-01 00:00 lapse 3            out
    王五  2026-02-10 earn 15                  in
          2026-03-10 violation: cleared 15    in

In the quarter — C1: issued 20 + 4 − 4 + 6 + 15 = 41; redeemed −5 + 12 + 8 − 8 = 7; lapsed 10
(expiry) + 15 (penalty) = 25; settled 12. C2: issued 50 + 10 = 60; redeemed 30; lapsed 0.
东风街道: 101 / 37 / 25. The whole tree (with C3): 201 / 37 / 25.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongzhi.bank import figures, services
from gongzhi.bank.models import AccountKind, CounterKind, DeedCategory, Transaction, TransactionKind
from gongzhi.core.indicators import Period, compute, get
from gongzhi.core.scope import Scope
from gongzhi.reports import units

pytestmark = pytest.mark.django_db

Q1 = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
BEIJING = timezone.get_default_timezone()


def _at(txn: Transaction, when: dt.datetime) -> Transaction:
    Transaction.objects.filter(pk=txn.pk).update(created_at=when)
    return txn


def _day(year, month, day, hour=10, minute=0, second=0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


@pytest.fixture
def ledger(world, scope_of):
    if not DeedCategory.objects.exists():  # a browser test run before may have flushed the migration's defaults
        importlib.import_module("gongzhi.bank.migrations.0003_default_rules").load(apps, None)
    w = world
    s1, s2 = scope_of(w.shequ1), scope_of(w.shequ2)
    station = services.counter_open(scope=s1, acting_user=w.shequ1, community=w.C1, kind=CounterKind.STATION, name="幸福驿站")
    merchant_a = services.counter_open(scope=s1, acting_user=w.shequ1, community=w.C1, kind=CounterKind.MERCHANT, name="商户甲")
    merchant_b = services.counter_open(scope=s2, acting_user=w.shequ2, community=w.C2, kind=CounterKind.MERCHANT, name="商户乙")
    closed = services.counter_open(scope=s2, acting_user=w.shequ2, community=w.C2, kind=CounterKind.MERCHANT, name="商户丙")
    closed.active = False
    closed.save()
    zhangsan, wangwu = services.holder_account(person=w.zhangsan), services.holder_account(person=w.wangwu)
    zhaoliu, sunqi = services.holder_account(person=w.zhaoliu), services.holder_account(person=w.sunqi)

    _at(services.earn(account=zhangsan, points=30), _day(2025, 12, 20))
    early = _at(services.redeem(account=zhangsan, at=station.account, points=5), _day(2025, 12, 20, 11))
    _at(services.earn(account=zhangsan, points=7), _day(2025, 12, 31, 23, 59, 59))
    _at(services.earn(account=zhangsan, points=20), _day(2026, 1, 1, 0))
    _at(services.lapse(account=zhangsan, points=10), _day(2026, 1, 2))
    _at(services.reverse(txn=early), _day(2026, 1, 5))
    _at(services.redeem(account=zhangsan, at=station.account, points=12), _day(2026, 2, 1))
    refunded = _at(services.redeem(account=zhangsan, at=merchant_a.account, points=8), _day(2026, 2, 2))
    _at(services.reverse(txn=refunded), _day(2026, 2, 3))
    issuer = services.community_account(community=w.C1, kind=AccountKind.ISSUER)
    _at(services.transfer(kind=TransactionKind.SETTLE, community=w.C1, legs=[(station.account, -12), (issuer, 12)]), _day(2026, 3, 1))
    _at(services.reverse(txn=_at(services.earn(account=zhangsan, points=4), _day(2026, 3, 5))), _day(2026, 3, 6))
    _at(services.reverse(txn=_at(services.earn(account=zhangsan, points=6), _day(2026, 3, 31, 23, 59, 59))), _day(2026, 4, 1, 0))
    _at(services.lapse(account=zhangsan, points=3), _day(2026, 4, 1, 0))
    _at(services.earn(account=wangwu, points=15), _day(2026, 2, 10))
    violation = services.violation_record(scope=s1, acting_user=w.shequ1, account=wangwu, description="虚报善行", recorded_on=dt.date(2026, 3, 10))
    _at(violation.transaction, _day(2026, 3, 10))

    _at(services.earn(account=zhaoliu, points=50), _day(2026, 1, 15))
    _at(services.redeem(account=zhaoliu, at=merchant_b.account, points=30), _day(2026, 1, 20))
    _credited_deed(w, s2, points=10, when=_day(2026, 3, 15))
    _credited_deed(w, s2, points=12, when=_day(2026, 4, 2))
    _at(services.redeem(account=zhaoliu, at=merchant_b.account, points=10), _day(2026, 4, 1))

    _at(services.earn(account=sunqi, points=100), _day(2026, 2, 1))
    assert services.ledger_check() == [] and services.unbalanced_transactions() == []
    return w


def _credited_deed(w, scope, *, points, when):
    category = DeedCategory.objects.get(community=None, name="助人为乐")  # 5-15
    deed = services.deed_report(scope=scope, acting_user=w.shequ2, person=w.zhaoliu, category=category, description="帮邻居修水管",
                                occurred_on=dt.date(2026, 1, 10), reported_by="社区")
    services.deed_review(scope=scope, acting_user=w.shequ2, deed=deed, approve=True, points=points, reviewers="评议会", today=dt.date(2026, 1, 11))
    [credited] = services.deeds_credit_due(today=dt.date(2026, 1, 30), community=w.C2)
    credited.refresh_from_db()  # the list holds the deeds as read before crediting
    _at(credited.transaction, when)


def _place(place):
    return units.place_unit(place).scope


def test_the_quarters_points_for_each_community_street_and_the_district(ledger):
    w = ledger
    flow = figures.points_flow(scope=_place(w.C1), start=Q1.start, end=Q1.end)
    assert flow.as_dict() == {"issued": 41, "redeemed": 7, "lapsed": 25, "expired": 10, "penalised": 15, "settled": 12}
    flow = figures.points_flow(scope=_place(w.C2), start=Q1.start, end=Q1.end)
    assert (flow.issued, flow.redeemed, flow.lapsed, flow.settled) == (60, 30, 0, 0)
    flow = figures.points_flow(scope=_place(w.S1), start=Q1.start, end=Q1.end)
    assert (flow.issued, flow.redeemed, flow.expired, flow.penalised) == (101, 37, 10, 15)
    flow = figures.points_flow(scope=Scope.of(whole_tree=True), start=Q1.start, end=Q1.end)
    assert (flow.issued, flow.redeemed, flow.lapsed) == (201, 37, 25)


def test_the_period_is_cut_at_midnight_beijing_time(ledger):
    w, c1 = ledger, _place(ledger.C1)
    # 2025-12-31 23:59:59 and 2026-01-01 00:00 Beijing are both 31 December in UTC
    assert figures.points_flow(scope=c1, start=dt.date(2025, 12, 31), end=dt.date(2025, 12, 31)).issued == 7
    assert figures.points_flow(scope=c1, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 1)).issued == 20
    # the earn of 2026-03-31 23:59:59 is in March, its reversal at 2026-04-01 00:00 in April, with the lapse and 商户乙's redeem
    assert figures.points_flow(scope=c1, start=dt.date(2026, 3, 31), end=dt.date(2026, 3, 31)).issued == 6
    april = figures.points_flow(scope=_place(w.S1), start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert (april.issued, april.redeemed, april.expired) == (-6 + 12, 10, 3)  # the reversed 6, the deed of 2 April


def test_the_indicators_share_one_read_and_break_down_by_community(ledger):
    street = _place(ledger.S1)
    codes = ["bank.points_issued", "bank.points_redeemed", "bank.points_lapsed", "bank.redemption_rate"]
    with CaptureQueriesContext(connection) as queries:
        got = compute(codes, street, Q1)
    assert [got[c].value for c in codes[:3]] == [101, 37, 25]
    assert (got["bank.redemption_rate"].numerator, got["bank.redemption_rate"].denominator) == (37, 101)
    assert len([q for q in queries.captured_queries if "bank_posting" in q["sql"]]) == 1
    rows = get("bank.points_redeemed").breakdown(street, Q1)
    assert [(r.name, r.figure.value, r.parent) for r in rows] == [("幸福社区", 7, "东风街道"), ("和平社区", 30, "东风街道")]


def test_deeds_credited_and_counters(ledger):
    w = ledger
    assert compute(["bank.deeds_credited"], _place(w.C2), Q1)["bank.deeds_credited"].value == 1  # the one credited in April is not
    assert compute(["bank.deeds_credited"], _place(w.C1), Q1)["bank.deeds_credited"].value == 0
    for place, stations, merchants in ((w.C1, 1, 1), (w.C2, 0, 1), (w.S1, 1, 2), (w.C3, 0, 0)):
        got = compute(["bank.stations", "bank.merchants"], _place(place), Q1)
        assert (got["bank.stations"].value, got["bank.merchants"].value) == (stations, merchants), place.name


def test_a_scope_of_a_party_organisation_or_a_compound_holds_no_points(ledger):
    w = ledger
    for scope in (units.org_unit(w.O_C1).scope, _place(w.K1)):
        assert figures.points_flow(scope=scope, start=Q1.start, end=Q1.end).as_dict() == dict.fromkeys(
            ("issued", "redeemed", "lapsed", "expired", "penalised", "settled"), 0)
    assert compute(["bank.redemption_rate"], _place(w.C3), Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31)))["bank.redemption_rate"].value is None


def test_the_records_behind_the_figures(ledger):
    w = ledger
    assert get("bank.merchants").records(_place(w.C1), Q1) == f"/bank/counters/?kind=merchant&community={w.C1.pk}"
    assert get("bank.deeds_credited").records(Scope.of(whole_tree=True), Q1) == "/bank/deeds/?status=credited"
    assert get("bank.merchants").records(_place(w.S1), Q1) == ""
