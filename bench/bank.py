"""Time the 道德银行 ledger: redemptions per second from 16 concurrent clients, and the statement of
an account with 10,000 postings, against hand-written SQL doing the same work.

Usage (an empty, migrated database; bench/bank.sh makes one):
    DATABASE_URL=... .venv/bin/python bench/bank.py [--runs 5] [--per-client 100] [--modes threads,processes]
                                                    [--flows ledger,counter] [--json FILE]

Two flows, each timed with 16 clients started together, each client its own database connection,
each doing `--per-client` redemptions one after another:

- ledger  — `services.redeem` (1 point from a resident to a station account) with an idempotency key;
- counter — the real counter flow `services.redemption_confirm`: the resident's 6-digit code (issued
  beforehand, one per redemption, not timed), two goods (1 point each, one with stock), the stock
  decremented, the code used, the receipt and its two lines written.

Each flow at 8 stations (client c's n-th redemption at station (c + n) % 8) and all at one station
(the hot station: every redemption locks that station's account — and, in the counter flow, its
goods rows). Each client owns 20 residents, so residents never contend. The baseline does the same
reads, locks and writes as hand-written SQL on a raw cursor in the same clients, in the same run.

Clients are threads (one process, so Python's GIL serialises their Python work) and processes
(16 `spawn`ed processes, django.setup() in each — like 16 web workers). The processes are started
once and kept (persistent connections), a run starts when all 16 wait at a barrier.

After every run the invariants are checked and violations counted (target 0): every transaction
sums to zero, every kept balance equals its postings, no balance below zero (issuers aside), every
stocked good's stock equals its initial stock less the quantities on receipt lines, receipts equal
the successful counter redemptions (and used codes equal receipts, every receipt's lines add up to
its points), every redemption asked for succeeded.

Retry storm (per flow and client kind): 16 clients in 4 groups; the 4 clients of a group send the
same 25 requests (same key — and same code — in the same order) at once: each request must redeem
once, every client of the group gets the same transaction/receipt back, no client gets an error.

Statement: the newest 50 lines of an account with 10,000 postings with the balance after each
(`selectors.account_statement`); the baseline is the same window query by hand.

Queries per redemption: the statements one redemption sends (BEGIN, SAVEPOINTs, COMMIT and the
figure-version bump after the commit included), counted on one connection before the runs.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter as Tally
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()  # in each spawned client process too: it imports this module

import _timing  # noqa: E402  (bench/ is the script's folder)

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Exists, OuterRef, Sum  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.accounts.scopes import scope_for_user  # noqa: E402
from gongzhi.bank import selectors, services  # noqa: E402
from gongzhi.core import figure_cache  # noqa: E402
from gongzhi.bank.models import (Account, AccountKind, Counter, CounterKind, Goods, Posting, Redemption, RedemptionCode,  # noqa: E402
                                 RedemptionLine, Transaction, TransactionKind)
from gongzhi.core.scope import EVERYTHING  # noqa: E402
from gongzhi.org.models import Place, PlaceLevel  # noqa: E402
from gongzhi.org.tests import factories as org_factories  # noqa: E402

CLIENTS = 16
RESIDENTS_PER_CLIENT = 20
STATIONS = 8
STOCK = 10_000_000
STORM_GROUPS, STORM_REQUESTS = 4, 25
STATEMENT_POSTINGS = int(os.environ.get("STATEMENT_POSTINGS", 10_000))
PG = connection.vendor == "postgresql"


# ---- the data -----------------------------------------------------------------------------------


def setup(top_up: int) -> dict:
    """One community, 16 × 20 residents (each credited `top_up` points once), 8 stations with an
    operator and two goods each (rice: 1 point, stock STOCK; soap: 1 point, no stock)."""
    district = org_factories.place(None, PlaceLevel.DISTRICT, "基准区")
    community = org_factories.place(district, PlaceLevel.COMMUNITY, "基准社区")
    operator = User.objects.create_user(username=f"bench_op_{uuid.uuid4().hex[:8]}", password="x")  # no role: the counters' operator only
    counters, goods = [], []
    for s in range(STATIONS):
        counter = services.counter_open(scope=EVERYTHING, acting_user=None, community=community, kind=CounterKind.STATION, name=f"驿站{s}",
                                        operators=[operator])
        rice = services.goods_save(scope=EVERYTHING, acting_user=None, counter=counter, name="大米5kg", points=1, stock=STOCK)
        soap = services.goods_save(scope=EVERYTHING, acting_user=None, counter=counter, name="肥皂", points=1, stock=None)
        counters.append(counter.pk)
        goods.append([rice.pk, soap.pk])
    residents = []
    with transaction.atomic():
        for c in range(CLIENTS):
            accounts = [Account.objects.create(kind=AccountKind.RESIDENT, community=community, name=f"居民{c}-{r}") for r in range(RESIDENTS_PER_CLIENT)]
            for account in accounts:
                services.earn(account=account, points=top_up)
            residents.append([a.pk for a in accounts])
    stations = [Counter.objects.get(pk=pk).account_id for pk in counters]
    return {"community": community.pk, "operator": operator.pk, "counters": counters, "stations": stations, "goods": goods,
            "residents": residents}


def issue_codes(accounts: list[int]) -> list[str]:
    """One live code for each entry of `accounts` (an account may get several), written as
    `code_issue` writes them; the codes of earlier runs left unused are retired first."""
    now = timezone.now()
    RedemptionCode.objects.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    codes = [f"{n:06d}" for n in random.sample(range(10 ** 6), len(accounts))]
    expires = now + dt.timedelta(hours=1)
    RedemptionCode.objects.bulk_create([RedemptionCode(account_id=a, code=code, expires_at=expires) for a, code in zip(accounts, codes)])
    return codes


def plan(data: dict, flow: str, per_client: int, one_station: bool) -> list[dict]:
    """Each client's requests: (resident, station index, key[, code])."""
    specs = []
    for client in range(CLIENTS):
        requests = []
        for n in range(per_client):
            resident = data["residents"][client][n % RESIDENTS_PER_CLIENT]
            station = 0 if one_station else (client + n) % STATIONS
            requests.append([resident, station, uuid.uuid4().hex])
        specs.append({"client": client, "requests": requests})
    if flow == "counter":
        codes = iter(issue_codes([r[0] for spec in specs for r in spec["requests"]]))
        for spec in specs:
            for request in spec["requests"]:
                request.append(next(codes))
    return specs


def storm_plan(data: dict, flow: str) -> list[dict]:
    """4 groups of 4 clients; a group's clients send the same STORM_REQUESTS requests in the same order."""
    groups = []
    for g in range(STORM_GROUPS):
        resident = data["residents"][g][0]
        groups.append([[resident, g % STATIONS, f"storm:{uuid.uuid4().hex}"] for _n in range(STORM_REQUESTS)])
    if flow == "counter":
        codes = iter(issue_codes([r[0] for group in groups for r in group]))
        for group in groups:
            for request in group:
                request.append(next(codes))
    return [{"client": c, "requests": groups[c % STORM_GROUPS], "storm": True} for c in range(CLIENTS)]


# ---- the clients ---------------------------------------------------------------------------------
# `client(job)` runs in a thread or a spawned process: it loads what a request would already hold
# (the accounts, the counter as the counter page loads it, the operator's scope) and opens its
# connection, waits at the barrier with the others, then sends its requests one after another.

_barrier = None


def _init_process(barrier) -> None:
    global _barrier
    _barrier = barrier


def client(job: dict) -> dict:
    error, run = None, None
    try:
        run = _prepare(job)
        connection.ensure_connection()
    except Exception as e:  # noqa: BLE001 — raised after the barrier, so the others are not left waiting
        error = e
    _barrier.wait(timeout=600)
    try:
        if error is not None:
            raise error
        return run()
    finally:
        if job.get("close"):
            connections.close_all()


def _prepare(job: dict):
    requests, one = job["requests"], _request_sender(job)
    refused, errors, results = 0, [], []

    def outcome():
        return {"done": len(requests) - refused - len(errors), "refused": refused, "errors": [repr(e) for e in errors[:3]],
                "error_count": len(errors), "results": results}

    def run():
        nonlocal refused
        for request in requests:
            try:
                results.append(one(*request))
            except ValidationError:
                refused += 1
                results.append(None)
            except Exception as e:  # noqa: BLE001 — counted, the run goes on
                errors.append(e)
                results.append(None)
        return outcome()

    return run


def _request_sender(job: dict):
    """`one(*request)`: sends one request of the job's flow and kind, returns the transaction's
    or the receipt's id."""
    flow, impl, data, requests = job["flow"], job["impl"], job["data"], job["requests"]
    if flow == "ledger":
        accounts = {a.pk: a for a in Account.objects.select_related("community").filter(pk__in={r[0] for r in requests} | set(data["stations"]))}
        stations = [accounts[pk] for pk in data["stations"]]
        if impl == "services":
            def one(resident, station, key):
                try:
                    return services.redeem(account=accounts[resident], at=stations[station], points=1, key=key).pk
                finally:
                    # As at the end of a web request: an autocommit write bumps the figures' version
                    # now (inside a transaction, as the baseline's, the bump runs at its commit).
                    figure_cache.flush()
        else:
            one = _ledger_sql(data)
    else:
        counters = {c.pk: c for c in Counter.objects.select_related("community", "account", "event").filter(pk__in=data["counters"])}
        counters = [counters[pk] for pk in data["counters"]]
        operator = User.objects.get(pk=data["operator"])
        scope = scope_for_user(operator)
        if impl == "services":
            def one(resident, station, key, code):
                counter = counters[station]
                items = [(g, 1) for g in data["goods"][station]]
                return services.redemption_confirm(scope=scope, acting_user=operator, counter=counter, code=code, items=items, key=key).pk
        else:
            one = _counter_sql(data, operator.pk)
    return one


def _ledger_sql(data: dict):
    """`redeem` by hand: lock both accounts, look for the key, check the balance, insert the
    transaction and its two postings, one UPDATE for both balances."""
    lock = "SELECT id, balance FROM bank_account WHERE id IN (%s, %s) ORDER BY id" + (" FOR UPDATE" if PG else "")
    key_sql = "SELECT id FROM bank_transaction WHERE key = %s"
    txn_sql = "INSERT INTO bank_transaction (kind, community_id, memo, key, created_at) VALUES (%s, %s, '', %s, %s) RETURNING id"
    posting_sql = "INSERT INTO bank_posting (transaction_id, account_id, amount) VALUES (%s, %s, %s), (%s, %s, %s)"
    update_sql = "UPDATE bank_account SET balance = balance + CASE id WHEN %s THEN %s ELSE %s END WHERE id IN (%s, %s)"
    community, stations = data["community"], data["stations"]

    def one(resident, station, key):
        at = stations[station]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(lock, [resident, at])
            balances = dict(cursor.fetchall())
            cursor.execute(key_sql, [key])
            done = cursor.fetchone()
            if done:
                return done[0]
            if balances[resident] < 1:
                raise ValidationError("积分不足")
            cursor.execute(txn_sql, [TransactionKind.REDEEM, community, key, timezone.now()])
            txn_id = cursor.fetchone()[0]
            cursor.execute(posting_sql, [txn_id, resident, -1, txn_id, at, 1])
            cursor.execute(update_sql, [resident, -1, 1, resident, at])
            return txn_id

    return one


def _counter_sql(data: dict, operator: int):
    """`redemption_confirm` by hand, the same checks, locks and writes: the operator's right to the
    counter; the live code and its account, locked; the key; a bar; the goods, locked; both
    accounts, locked; the transaction, its postings, one UPDATE for both balances; the stock; the
    code used; the receipt and its lines."""

    for_update = " FOR UPDATE" if PG else ""
    allowed_sql = "SELECT 1 FROM bank_counter_operators WHERE counter_id = %s AND user_id = %s LIMIT 1"
    code_sql = ("SELECT c.id, c.account_id, a.community_id FROM bank_redemptioncode c JOIN bank_account a ON a.id = c.account_id "
                "WHERE c.code = %s AND c.used_at IS NULL AND c.expires_at > %s ORDER BY c.id LIMIT 1" + (" FOR UPDATE OF c, a" if PG else ""))
    key_sql = "SELECT r.id FROM bank_transaction t JOIN bank_redemption r ON r.transaction_id = t.id WHERE t.key = %s"
    bar_sql = "SELECT 1 FROM bank_violation WHERE account_id = %s AND barred_until >= %s LIMIT 1"
    goods_sql = "SELECT id, name, points, stock, active FROM bank_goods WHERE id IN (%s, %s) AND counter_id = %s ORDER BY id" + for_update
    lock_sql = "SELECT id, balance FROM bank_account WHERE id IN (%s, %s) ORDER BY id" + for_update
    txn_sql = "INSERT INTO bank_transaction (kind, community_id, memo, key, created_by_id, created_at) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id"
    posting_sql = "INSERT INTO bank_posting (transaction_id, account_id, amount) VALUES (%s, %s, %s), (%s, %s, %s)"
    balance_sql = "UPDATE bank_account SET balance = balance + CASE id WHEN %s THEN %s ELSE %s END WHERE id IN (%s, %s)"
    stock_sql = "UPDATE bank_goods SET stock = stock - %s WHERE id = %s"
    used_sql = "UPDATE bank_redemptioncode SET used_at = %s WHERE id = %s"
    receipt_sql = "INSERT INTO bank_redemption (transaction_id, counter_id, account_id, points, at, operator_id) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id"
    lines_sql = "INSERT INTO bank_redemptionline (redemption_id, goods_id, name, quantity, points) VALUES (%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)"
    community, counters, stations, goods = data["community"], data["counters"], data["stations"], data["goods"]

    def one(resident, station, key, code):
        counter, at = counters[station], stations[station]
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(allowed_sql, [counter, operator])
            if cursor.fetchone() is None:
                raise ValidationError("无权")
            cursor.execute(code_sql, [code, now])
            found = cursor.fetchone()
            cursor.execute(key_sql, [key])
            done = cursor.fetchone()
            if done:
                return done[0]
            if found is None:
                raise ValidationError("兑换码无效")
            code_id, account, _community = found
            cursor.execute(bar_sql, [account, timezone.localdate(now)])
            if cursor.fetchone():
                raise ValidationError("停止兑换")
            cursor.execute(goods_sql, [*goods[station], counter])
            items = cursor.fetchall()
            total = sum(points for _id, _name, points, _stock, _active in items)
            memo = "、".join(f"{name}×1" for _id, name, _points, _stock, _active in items)
            cursor.execute(lock_sql, [account, at])
            if dict(cursor.fetchall())[account] < total:
                raise ValidationError("积分不足")
            cursor.execute(txn_sql, [TransactionKind.REDEEM, community, memo, key, operator, now])
            txn_id = cursor.fetchone()[0]
            cursor.execute(posting_sql, [txn_id, account, -total, txn_id, at, total])
            cursor.execute(balance_sql, [account, -total, total, account, at])
            for goods_id, _name, _points, stock, _active in items:
                if stock is not None:
                    cursor.execute(stock_sql, [1, goods_id])
            cursor.execute(used_sql, [now, code_id])
            cursor.execute(receipt_sql, [txn_id, counter, account, total, now, operator])
            receipt = cursor.fetchone()[0]
            (g1, n1, p1, *_), (g2, n2, p2, *_) = items
            cursor.execute(lines_sql, [receipt, g1, n1, 1, p1, receipt, g2, n2, 1, p2])
            return receipt

    return one


class Threads:
    kind = "threads"

    def run(self, jobs: list[dict]) -> tuple[float, list[dict]]:
        global _barrier
        _barrier = threading.Barrier(CLIENTS + 1)
        results, errors = [None] * CLIENTS, []

        def work(n):
            try:
                results[n] = client({**jobs[n], "close": True})
            except Exception as e:  # noqa: BLE001 — raised below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        _barrier.wait(timeout=600)
        t = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - t
        if errors:
            raise errors[0]
        return elapsed, results

    def close(self):
        pass


class Processes:
    kind = "processes"

    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(CLIENTS + 1)
        self.pool = ctx.Pool(CLIENTS, initializer=_init_process, initargs=(self.barrier,))

    def run(self, jobs: list[dict]) -> tuple[float, list[dict]]:
        pending = self.pool.map_async(client, jobs, chunksize=1)  # each worker blocks at the barrier: one job each
        self.barrier.wait(timeout=600)
        t = time.perf_counter()
        results = pending.get(timeout=3600)
        return time.perf_counter() - t, results

    def close(self):
        self.pool.close()
        self.pool.join()


# ---- the invariants ----------------------------------------------------------------------------


class Ledger:
    """What the runs so far should have left: receipts written, codes used."""

    def __init__(self):
        self.receipts = 0

    def violations(self, data: dict) -> dict:
        found = Tally()
        found["unbalanced transactions"] = len(services.unbalanced_transactions())
        found["balance ≠ postings"] = len(services.ledger_check())
        found["negative balances"] = Account.objects.exclude(kind=AccountKind.ISSUER).filter(balance__lt=0).count()
        sold = dict(RedemptionLine.objects.values_list("goods_id").annotate(n=Sum("quantity")).order_by())
        found["stock ≠ initial − sold"] = sum(1 for pk, stock in Goods.objects.filter(stock__isnull=False).values_list("pk", "stock")
                                              if stock != STOCK - sold.get(pk, 0))
        receipts = Redemption.objects.count()
        found["receipts ≠ redemptions"] = abs(receipts - self.receipts)
        found["used codes ≠ receipts"] = abs(RedemptionCode.objects.filter(used_at__isnull=False).count() - receipts)
        lines = dict(RedemptionLine.objects.values_list("redemption_id").annotate(n=Sum("points")).order_by())
        found["receipt ≠ its lines"] = sum(1 for pk, points in Redemption.objects.values_list("pk", "points") if lines.get(pk) != points)
        paid = Posting.objects.filter(transaction=OuterRef("transaction"), account=OuterRef("counter__account"), amount=OuterRef("points"))
        found["receipt ≠ its transaction"] = Redemption.objects.exclude(Exists(paid)).count()
        return {k: v for k, v in found.items() if v}


def outcome_violations(results: list[dict]) -> dict:
    found = Tally()
    found["refused"] = sum(r["refused"] for r in results)
    found["errors"] = sum(r["error_count"] for r in results)
    return {k: v for k, v in found.items() if v}


# ---- the cases -----------------------------------------------------------------------------------


def per_redemption_queries(data: dict) -> dict:
    """Statements one redemption sends, each flow, counted on this connection (after one warm-up)."""
    counts = {}
    for flow in ("ledger", "counter"):
        for impl in ("services", "sql"):
            requests = plan(data, flow, 2, False)[0]["requests"]
            one = _request_sender({"flow": flow, "impl": impl, "data": data, "requests": requests})
            one(*requests[0])
            with CaptureQueriesContext(connection) as queries:
                one(*requests[1])
            counts[f"{flow} · {impl}"] = len(queries)
            if os.environ.get("BENCH_SHOW_QUERIES"):
                print(f"-- {flow} · {impl}: {len(queries)}")
                for q in queries:
                    print("  ", q["sql"][:150])
    return counts


def timed_case(clients, data: dict, flow: str, per_client: int, one_station: bool, runs: int, ledger: Ledger) -> dict:
    label = "one station (hot)" if one_station else f"{STATIONS} stations"
    rates, base_rates, broken = [], [], Tally()
    total = CLIENTS * per_client
    for _run in range(runs):
        for impl, out in (("services", rates), ("sql", base_rates)):
            jobs = [{**spec, "flow": flow, "impl": impl, "data": data} for spec in plan(data, flow, per_client, one_station)]
            elapsed, results = clients.run(jobs)
            if flow == "counter":
                ledger.receipts += sum(r["done"] for r in results)
            out.append(total / elapsed)
            broken.update(outcome_violations(results))
            broken.update(ledger.violations(data))
            for r in results:
                if r["errors"]:
                    print("  error:", r["errors"][0], file=sys.stderr)
                    break
    rate, base = statistics.median(rates), statistics.median(base_rates)
    flow_label = "services.redeem" if flow == "ledger" else "redemption_confirm"
    return {"case": f"{flow_label} · 16 {clients.kind} · {label}", "per_second": round(rate), "baseline_per_second": round(base),
            "ratio": round(base / rate, 2), "violations": sum(broken.values()), "violation_kinds": dict(broken),
            "redemptions_per_run": total, "runs_per_second": [round(r) for r in rates], "baseline_runs_per_second": [round(r) for r in base_rates]}


def storm_case(clients, data: dict, flow: str, ledger: Ledger) -> dict:
    """Each request sent by 4 clients at once: it must redeem once, all 4 get the same answer."""
    jobs = [{**spec, "flow": flow, "impl": "services", "data": data} for spec in storm_plan(data, flow)]
    keys = {r[2] for job in jobs for r in job["requests"]}
    elapsed, results = clients.run(jobs)
    broken = Tally(outcome_violations(results))
    answers: dict[str, set] = {}
    for job, result in zip(jobs, results):
        for request, answer in zip(job["requests"], result["results"]):
            answers.setdefault(request[2], set()).add(answer)
    broken["a request answered differently"] = sum(1 for a in answers.values() if len(a) != 1 or None in a)
    written = Transaction.objects.filter(key__in=keys).count()
    broken["requests written ≠ 1"] = abs(written - len(keys))
    if flow == "counter":
        receipts = Redemption.objects.filter(transaction__key__in=keys).count()
        broken["receipts ≠ requests"] = abs(receipts - len(keys))
        ledger.receipts += receipts
    broken.update(ledger.violations(data))
    for r in results:
        if r["errors"]:
            print("  storm error:", r["errors"][0], file=sys.stderr)
            break
    flow_label = "services.redeem" if flow == "ledger" else "redemption_confirm"
    broken = {k: v for k, v in broken.items() if v}
    return {"case": f"retry storm · {flow_label} · 16 {clients.kind} · {len(keys)} requests, each sent by {CLIENTS // STORM_GROUPS} clients at once", "requests": len(keys),
            "sent": CLIENTS * STORM_REQUESTS, "written": written, "seconds": round(elapsed, 2), "violations": sum(broken.values()),
            "violation_kinds": broken}


# ---- the statement -------------------------------------------------------------------------------


def statement_account(community: Place, stations: list[Account]) -> Account:
    account = Account.objects.create(kind=AccountKind.RESIDENT, community=community, name="万条流水")
    with transaction.atomic():  # one commit: only the postings matter here, not their speed
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


def statement_row(data: dict, runs: int) -> dict:
    community = Place.objects.get(pk=data["community"])
    stations = list(Account.objects.filter(pk__in=data["stations"]).select_related("community"))
    account = statement_account(community, stations)
    page = _timing.median_ms(lambda: selectors.account_statement(account=account), runs)

    def by_hand():
        with connection.cursor() as cursor:
            cursor.execute(STATEMENT_SQL, [account.pk])
            return cursor.fetchall()

    base = _timing.median_ms(by_hand, runs)
    return {"case": f"statement · newest 50 of {account.postings.count():,} postings", "median_ms": round(page, 2),
            "baseline_ms": round(base, 2), "ratio": round(page / base, 1)}


def print_table(rows: list[dict], queries: dict) -> None:
    """The rows as the Markdown tables of docs/BENCHMARKS.md."""
    print(f"\n{connection.vendor}: statements per redemption " + ", ".join(f"{k} {v}" for k, v in queries.items()))
    print("\n| case | per second | hand SQL per second | SQL ÷ services | violations |\n|---|---:|---:|---:|---:|")
    for row in rows:
        if "per_second" in row:
            print(f"| {row['case']} | {row['per_second']} | {row['baseline_per_second']} | {row['ratio']} | {row['violations']} |")
    print("\n| retry storm | requests | sent | written once | violations |\n|---|---:|---:|---:|---:|")
    for row in rows:
        if "requests" in row:
            print(f"| {row['case']} | {row['requests']} | {row['sent']} | {row['written']} | {row['violations']} |")
    for row in rows:
        if "median_ms" in row:
            print(f"\n| {row['case']} | {row['median_ms']} ms | hand SQL {row['baseline_ms']} ms | ×{row['ratio']} |")
    print(flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-client", type=int, default=100)
    parser.add_argument("--modes", default="threads,processes", help="client kinds: threads, processes or both")
    parser.add_argument("--flows", default="ledger,counter")
    parser.add_argument("--no-statement", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    modes, flows = args.modes.split(","), args.flows.split(",")
    runs_total = 2 * 2 * len(modes) * args.runs * 2  # flows × layouts × kinds × runs × (services, sql): an upper bound per resident
    per_resident = 2 * (args.per_client // RESIDENTS_PER_CLIENT + 1) * runs_total + 2 * STORM_REQUESTS * len(modes) * 2
    data = setup(per_resident)
    queries = per_redemption_queries(data)
    ledger = Ledger()
    ledger.receipts = Redemption.objects.count()
    print(json.dumps({"queries per redemption": queries}, ensure_ascii=False), flush=True)
    rows = []
    for mode in modes:
        clients = Threads() if mode == "threads" else Processes()
        try:
            for flow in flows:
                for one_station in (False, True):
                    row = timed_case(clients, data, flow, args.per_client, one_station, args.runs, ledger)
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
                row = storm_case(clients, data, flow, ledger)
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
        finally:
            clients.close()
    if not args.no_statement:
        row = statement_row(data, args.runs)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print_table(rows, queries)
    _timing.report({
        "runs": args.runs, "clients": CLIENTS, "per_client": args.per_client, "queries_per_redemption": queries,
        "transactions": Transaction.objects.count(), "postings": Posting.objects.count(), "redemptions": Redemption.objects.count(),
        "rows": rows,
    }, args.json)


if __name__ == "__main__":
    main()
