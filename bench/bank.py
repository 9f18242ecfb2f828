"""Time the 道德银行 ledger: redemptions per second from 16 concurrent clients, and the statement of
an account with 10,000 postings, against hand-written SQL doing the same writes and the same read.

Usage (an empty, migrated database; bench/bank.sh makes one):
    DATABASE_URL=... .venv/bin/python bench/bank.py [--runs 5] [--per-client 150] [--json FILE]

Redemptions: 16 threads (each its own database connection), each redeeming `--per-client` times,
1 point each, from its own 20 residents at one of 8 stations (and, as a second case, all at one
station: every redemption locks that station's row). Each redemption is `services.redeem` with
an idempotency key. After every run the invariants are checked: every transaction sums to zero,
every kept balance equals its postings, none is negative; violations are counted (target 0).
The baseline does each redemption as hand-written SQL on a raw cursor in the same 16 threads:
lock the two accounts, insert the transaction and its two postings, update the two balances.

Statement: the newest 50 lines of an account with 10,000 postings with the balance after each
(`selectors.account_statement`); the baseline is the same window query by hand.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import _timing  # noqa: E402  (bench/ is the script's folder)

from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongzhi.bank import selectors, services  # noqa: E402
from gongzhi.bank.models import Account, AccountKind, Posting, Transaction, TransactionKind  # noqa: E402
from gongzhi.org.models import Place, PlaceLevel  # noqa: E402
from gongzhi.org.tests import factories as org_factories  # noqa: E402

CLIENTS = 16
RESIDENTS_PER_CLIENT = 20
STATIONS = 8
STATEMENT_POSTINGS = int(os.environ.get("STATEMENT_POSTINGS", 10_000))


def setup() -> tuple[Place, list[list[Account]], list[Account]]:
    district = org_factories.place(None, PlaceLevel.DISTRICT, "基准区")
    community = org_factories.place(district, PlaceLevel.COMMUNITY, "基准社区")
    residents = [[Account.objects.create(kind=AccountKind.RESIDENT, community=community, name=f"居民{c}-{r}") for r in range(RESIDENTS_PER_CLIENT)]
                 for c in range(CLIENTS)]
    stations = [Account.objects.create(kind=AccountKind.STATION, community=community, name=f"驿站{s}") for s in range(STATIONS)]
    return community, residents, stations


def top_up(residents, points: int) -> None:
    for accounts in residents:
        for account in accounts:
            services.earn(account=account, points=points)


def in_threads(work) -> float:
    """Seconds for `work(client)` in CLIENTS threads started together."""
    barrier = threading.Barrier(CLIENTS + 1)
    errors = []

    def run(client):
        try:
            barrier.wait()
            work(client)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in range(CLIENTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    t = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t
    if errors:
        raise errors[0]
    return elapsed


def redeem_with_services(residents, stations, per_client: int, one_station: bool):
    def work(client):
        accounts = residents[client]
        for n in range(per_client):
            at = stations[0] if one_station else stations[(client + n) % len(stations)]
            services.redeem(account=accounts[n % len(accounts)], at=at, points=1, key=uuid.uuid4().hex)

    return work


def redeem_with_sql(community, residents, stations, per_client: int, one_station: bool):
    lock = "SELECT id, balance FROM bank_account WHERE id IN (%s, %s) ORDER BY id" + (" FOR UPDATE" if connection.vendor == "postgresql" else "")
    txn_sql = "INSERT INTO bank_transaction (kind, community_id, memo, key, created_at) VALUES (%s, %s, '', %s, %s)"
    posting_sql = "INSERT INTO bank_posting (transaction_id, account_id, amount) VALUES (%s, %s, %s), (%s, %s, %s)"
    update_sql = "UPDATE bank_account SET balance = balance + %s WHERE id = %s"

    def work(client):
        accounts = residents[client]
        for n in range(per_client):
            resident = accounts[n % len(accounts)]
            at = stations[0] if one_station else stations[(client + n) % len(stations)]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(lock, [resident.pk, at.pk])
                balances = dict(cursor.fetchall())
                if balances[resident.pk] < 1:
                    continue
                cursor.execute(txn_sql + (" RETURNING id" if connection.vendor == "postgresql" else ""),
                               [TransactionKind.REDEEM, community.pk, uuid.uuid4().hex, timezone.now()])
                txn_id = cursor.fetchone()[0] if connection.vendor == "postgresql" else cursor.lastrowid
                cursor.execute(posting_sql, [txn_id, resident.pk, -1, txn_id, at.pk, 1])
                cursor.execute(update_sql, [-1, resident.pk])
                cursor.execute(update_sql, [1, at.pk])

    return work


def violations() -> int:
    negative = Account.objects.exclude(kind=AccountKind.ISSUER).filter(balance__lt=0).count()
    return len(services.unbalanced_transactions()) + len(services.ledger_check()) + negative


def statement_account(community, stations) -> Account:
    account = Account.objects.create(kind=AccountKind.RESIDENT, community=community, name="万条流水")
    for n in range(STATEMENT_POSTINGS // 2):
        services.earn(account=account, points=2)
        services.redeem(account=account, at=stations[n % len(stations)], points=1)
    return account


STATEMENT_SQL = """
SELECT p.id, p.transaction_id, t.created_at, t.kind, t.memo, p.amount,
       SUM(p.amount) OVER (ORDER BY p.transaction_id) AS balance
FROM bank_posting p JOIN bank_transaction t ON t.id = p.transaction_id
WHERE p.account_id = %s ORDER BY p.transaction_id DESC LIMIT 50
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-client", type=int, default=150)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    community, residents, stations = setup()
    total = CLIENTS * args.per_client
    rows = []
    for one_station in (False, True):
        label = "one station" if one_station else f"{STATIONS} stations"
        rates, base_rates, broken = [], [], 0
        for _run in range(args.runs):
            top_up(residents, args.per_client)
            rates.append(total / in_threads(redeem_with_services(residents, stations, args.per_client, one_station)))
            broken += violations()
            top_up(residents, args.per_client)
            base_rates.append(total / in_threads(redeem_with_sql(community, residents, stations, args.per_client, one_station)))
            broken += violations()
        rate, base = statistics.median(rates), statistics.median(base_rates)
        row = {"case": f"redemptions · 16 clients · {label}", "per_second": round(rate), "baseline_per_second": round(base),
               "ratio": round(base / rate, 2), "violations": broken, "redemptions_per_run": total}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    account = statement_account(community, stations)
    page = _timing.median_ms(lambda: selectors.account_statement(account=account), args.runs)

    def by_hand():
        with connection.cursor() as cursor:
            cursor.execute(STATEMENT_SQL, [account.pk])
            return cursor.fetchall()

    base = _timing.median_ms(by_hand, args.runs)
    row = {"case": f"statement · newest 50 of {account.postings.count():,} postings", "median_ms": round(page, 2),
           "baseline_ms": round(base, 2), "ratio": round(page / base, 1)}
    rows.append(row)
    print(json.dumps(row, ensure_ascii=False), flush=True)
    _timing.report({
        "runs": args.runs, "transactions": Transaction.objects.count(), "postings": Posting.objects.count(), "rows": rows,
    }, args.json)


if __name__ == "__main__":
    main()
