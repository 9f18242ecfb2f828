"""Sixteen terminals redeem from one account at once (PostgreSQL: real row locks between real
connections; SQLite serialises writers anyway and its test database is one connection's)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gongzhi.core.testing import at_once
from gongzhi.bank import services
from gongzhi.bank.models import Account, AccountKind
from gongzhi.org.models import PlaceLevel
from gongzhi.org.tests import factories as of

THREADS = 16

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"),
]


def _at_once(work) -> list:
    return at_once(work, THREADS)


def _accounts():
    community = of.place(of.place(None, PlaceLevel.DISTRICT, "示范区"), PlaceLevel.COMMUNITY, "幸福社区")
    resident = Account.objects.create(kind=AccountKind.RESIDENT, community=community, name="张三")
    station = Account.objects.create(kind=AccountKind.STATION, community=community, name="驿站")
    services.earn(account=resident, points=50)
    return resident, station


def test_sixteen_redemptions_at_once_spend_exactly_what_the_balance_allows():
    resident, station = _accounts()
    results = _at_once(lambda n: services.redeem(account=resident, at=station, points=7, key=f"t{n}"))
    done = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(done) == 7 and len(refused) == THREADS - 7  # 7 × 7 = 49 of 50
    assert [Account.objects.get(pk=a.pk).balance for a in (resident, station)] == [1, 49]
    assert services.ledger_check() == [] and services.unbalanced_transactions() == []


def test_sixteen_retries_of_one_request_redeem_once():
    resident, station = _accounts()
    results = _at_once(lambda n: services.redeem(account=resident, at=station, points=7, key="terminal-1:42"))
    assert all(not isinstance(r, Exception) for r in results)
    assert len({r.pk for r in results}) == 1
    assert [Account.objects.get(pk=a.pk).balance for a in (resident, station)] == [43, 7]
