"""Property-based tests of the ledger (hypothesis): over any sequence of earn, redeem, lapse and
reverse, with terminals' retries of earlier requests mixed in, every transaction sums to zero, every kept balance equals the sum of its postings, no
account but the issuer goes below zero — and each operation succeeds exactly when a plain model of
the balances says it may, with the balances that model predicts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.bank import services
from gongzhi.bank.models import Account, AccountKind, Transaction, TransactionKind
from gongzhi.org.models import PlaceLevel
from gongzhi.org.tests import factories as of

pytestmark = pytest.mark.django_db

HOLDERS = 3  # residents 0..2; then the station (3) and the merchant (4)
POINTS = st.integers(min_value=1, max_value=40)
OPERATION = st.one_of(
    st.tuples(st.just("earn"), st.integers(0, HOLDERS - 1), POINTS),
    st.tuples(st.just("redeem"), st.integers(0, HOLDERS - 1), POINTS, st.integers(HOLDERS, HOLDERS + 1)),
    st.tuples(st.just("lapse"), st.integers(0, HOLDERS - 1), POINTS),
    st.tuples(st.just("reverse"), st.integers(0, 30)),
    st.tuples(st.just("retry"), st.integers(0, 30)),  # a request sent again with its key: the first transaction, nothing new
)


@pytest.fixture
def community():
    return of.place(of.place(None, PlaceLevel.DISTRICT, "示范区"), PlaceLevel.COMMUNITY, "幸福社区")


def _open(community) -> list[Account]:
    accounts = [Account.objects.create(kind=AccountKind.RESIDENT, community=community, name=f"居民{i}") for i in range(HOLDERS)]
    accounts.append(Account.objects.create(kind=AccountKind.STATION, community=community, name="驿站"))
    accounts.append(Account.objects.create(kind=AccountKind.MERCHANT, community=community, name="商户"))
    return accounts


def _to_reverse(op, done: list[Transaction]) -> Transaction | None:
    """The transaction a "reverse" picks: one of those neither a reversal nor reversed yet."""
    reversible = [t for t in done if t.kind != TransactionKind.REVERSAL and not Transaction.objects.filter(reverses=t).exists()]
    return reversible[op[1] % len(reversible)] if reversible else None


def _allowed(op, accounts, model: dict[int, int], done: list[Transaction], issuer: Account) -> bool:
    """Whether the model of the balances lets `op` through (worked out before it runs)."""
    if op[0] == "earn":
        return True
    if op[0] in ("redeem", "lapse"):
        return model[accounts[op[1]].pk] >= op[2]
    txn = _to_reverse(op, done)
    legs = txn.postings.values_list("account_id", "amount") if txn else []
    return all(pk == issuer.pk or model.get(pk, 0) - amount >= 0 for pk, amount in legs)


def _run(op, accounts, done: list[Transaction], key: str | None = None) -> Transaction | None:
    if op[0] == "earn":
        return services.earn(account=accounts[op[1]], points=op[2], key=key)
    if op[0] == "redeem":
        return services.redeem(account=accounts[op[1]], at=accounts[op[3]], points=op[2], key=key)
    if op[0] == "lapse":
        return services.lapse(account=accounts[op[1]], points=op[2], key=key)
    txn = _to_reverse(op, done)
    return services.reverse(txn=txn) if txn else None


def _check(model: dict[int, int]) -> None:
    assert services.unbalanced_transactions() == []
    assert services.ledger_check() == []
    kept = {pk: (kind, balance) for pk, kind, balance in Account.objects.values_list("pk", "kind", "balance")}
    assert all(balance >= 0 for kind, balance in kept.values() if kind != AccountKind.ISSUER)
    assert {pk: kept[pk][1] for pk in model} == model


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPERATION, max_size=25))
def test_any_sequence_keeps_the_ledger_sound(community, ops):
    with transaction.atomic():
        accounts = _open(community)
        issuer = services.community_account(community=community, kind=AccountKind.ISSUER)
        model = {a.pk: 0 for a in accounts + [issuer]}
        done: list[Transaction] = []
        sent: list[tuple[tuple, str, Transaction]] = []  # keyed requests that went through
        for n, op in enumerate(ops):
            if op[0] == "retry":
                if sent:
                    first_op, key, first = sent[op[1] % len(sent)]
                    assert _run(first_op, accounts, done, key=key).pk == first.pk
                _check(model)
                continue
            allowed = _allowed(op, accounts, model, done, issuer)
            try:
                with transaction.atomic():
                    txn = _run(op, accounts, done, key=f"req-{n}")
            except ValidationError:
                assert not allowed, f"{op} was refused though the balances allowed it"
            else:
                assert allowed, f"{op} went through though the balances did not allow it"
                if txn is not None:
                    for pk, amount in txn.postings.values_list("account_id", "amount"):
                        model[pk] = model.get(pk, 0) + amount
                    done.append(txn)
                    if op[0] != "reverse":
                        sent.append((op, f"req-{n}", txn))
            _check(model)
        transaction.set_rollback(True)
