"""The 道德银行 ledger on hand-worked cases: double entry, balances kept with the postings, no
overdraft, idempotent retries, reversals, immutability."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongzhi.bank import selectors, services
from gongzhi.bank.models import Account, AccountKind, Posting, Transaction, TransactionKind
from gongzhi.org.models import PlaceLevel
from gongzhi.org.tests import factories as of
from gongzhi.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    community = of.place(district, PlaceLevel.COMMUNITY, "幸福社区")
    zhang = Account.objects.create(kind=AccountKind.RESIDENT, community=community, person=PersonFactory(place=community, name="张三"))
    li = Account.objects.create(kind=AccountKind.RESIDENT, community=community, person=PersonFactory(place=community, name="李四"))
    station = Account.objects.create(kind=AccountKind.STATION, community=community, name="幸福驿站爱心超市")
    return community, zhang, li, station


def _balances(*accounts):
    return [Account.objects.get(pk=a.pk).balance for a in accounts]


def test_earning_and_redeeming_move_points_between_accounts(bank):
    community, zhang, li, station = bank
    services.earn(account=zhang, points=20, memo="助老服务")
    services.earn(account=li, points=5)
    services.redeem(account=zhang, at=station, points=12, memo="大米一袋")
    issuer = services.community_account(community=community, kind=AccountKind.ISSUER)
    assert _balances(zhang, li, station, issuer) == [8, 5, 12, -25]  # the issuer: minus what is out
    assert services.ledger_check() == [] and services.unbalanced_transactions() == []
    assert [p.amount for p in Transaction.objects.get(memo="大米一袋").postings.order_by("amount")] == [-12, 12]


def test_an_overdraft_is_refused_and_writes_nothing(bank):
    _community, zhang, _li, station = bank
    services.earn(account=zhang, points=10)
    before = (Transaction.objects.count(), Posting.objects.count())
    with pytest.raises(ValidationError, match="积分不足：现有 10 分，本次需要 11 分"):
        services.redeem(account=zhang, at=station, points=11)
    assert (Transaction.objects.count(), Posting.objects.count()) == before and _balances(zhang) == [10]


def test_the_database_refuses_a_negative_balance_whatever_the_code_does(bank):
    _community, zhang, _li, _station = bank
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=zhang.pk).update(balance=-1)


@pytest.mark.parametrize("legs, message", [
    ([(0, 5)], "至少涉及两个账户"),
    ([(0, 5), (1, -4)], "借贷不平"),
    ([(0, 5), (0, -5)], "同一账户只能出现一次"),
    ([(0, 0), (1, 0)], "非零整数"),
    ([(0, 2.5), (1, -2.5)], "非零整数"),
])
def test_malformed_legs_are_refused(bank, legs, message):
    community, zhang, li, _station = bank
    accounts = [zhang, li]
    with pytest.raises(ValidationError, match=message):
        services.transfer(kind=TransactionKind.EARN, community=community, legs=[(accounts[i], n) for i, n in legs])


def test_a_retry_with_the_same_key_gets_the_first_transaction_back(bank):
    _community, zhang, _li, station = bank
    services.earn(account=zhang, points=30)
    first = services.redeem(account=zhang, at=station, points=10, key="terminal-7:0001")
    again = services.redeem(account=zhang, at=station, points=10, key="terminal-7:0001")
    assert again.pk == first.pk and _balances(zhang, station) == [20, 10]
    with pytest.raises(ValidationError, match="已用于另一笔交易"):
        services.redeem(account=zhang, at=station, points=5, key="terminal-7:0001")
    assert _balances(zhang, station) == [20, 10]


def test_a_reversal_undoes_once(bank):
    _community, zhang, _li, station = bank
    earned = services.earn(account=zhang, points=15)
    reversal = services.reverse(txn=earned, memo="误录")
    assert reversal.reverses == earned and _balances(zhang) == [0]
    with pytest.raises(ValidationError, match="已冲正"):
        services.reverse(txn=earned)
    with pytest.raises(ValidationError, match="冲正记录不能再冲正"):
        services.reverse(txn=reversal)
    assert services.ledger_check() == []


def test_points_spent_cannot_be_reversed_away(bank):
    _community, zhang, _li, station = bank
    earned = services.earn(account=zhang, points=15)
    services.redeem(account=zhang, at=station, points=10)
    with pytest.raises(ValidationError, match="积分不足"):
        services.reverse(txn=earned)


def test_lapse_and_penalty_go_to_the_lapsed_account(bank):
    community, zhang, li, _station = bank
    services.earn(account=zhang, points=15)
    services.earn(account=li, points=9)
    services.lapse(account=zhang, points=5)
    services.lapse(account=li, points=9, kind=TransactionKind.PENALTY, memo="违规清零")
    lapsed = services.community_account(community=community, kind=AccountKind.LAPSED)
    assert _balances(zhang, li, lapsed) == [10, 0, 14]


def test_redemption_only_at_a_station_or_a_merchant(bank):
    _community, zhang, li, _station = bank
    services.earn(account=zhang, points=5)
    with pytest.raises(ValidationError, match="驿站、道德联盟商户或公益集市摊位"):
        services.redeem(account=zhang, at=li, points=5)


def test_transactions_and_postings_are_never_changed(bank):
    _community, zhang, _li, _station = bank
    txn = services.earn(account=zhang, points=5)
    posting = txn.postings.first()
    for row in (txn, posting):
        with pytest.raises(TypeError):
            row.save()
        with pytest.raises(TypeError):
            row.delete()


def test_a_kept_balance_that_drifted_is_found(bank):
    _community, zhang, _li, _station = bank
    services.earn(account=zhang, points=5)
    Account.objects.filter(pk=zhang.pk).update(balance=7)
    assert [(a.pk, total) for a, total in services.ledger_check()] == [(zhang.pk, 5)]


def test_a_statement_shows_each_line_with_the_balance_after_it(bank):
    _community, zhang, _li, station = bank
    for points in (10, 20, 5):
        services.earn(account=zhang, points=points)
    services.redeem(account=zhang, at=station, points=12, memo="食用油")
    lines = selectors.account_statement(account=zhang, limit=3)
    assert [(line.amount, line.balance) for line in lines] == [(-12, 23), (5, 35), (20, 30)]
    assert lines[0].memo == "食用油" and lines[0].kind == TransactionKind.REDEEM
    older = selectors.account_statement(account=zhang, limit=3, before=lines[-1].transaction_id)
    assert [(line.amount, line.balance) for line in older] == [(10, 10)]
