"""Writing the demo's 道德银行 history (planned in `demo/bank.py`), event by event in time order.

`ServiceLedger` (the small district) goes through the bank's own services — deeds through
评议/公示/异议, garbage_record, volunteer_credit, code_issue + redemption_confirm, refunds,
settlement_close, violation_record, year_end_lapse — and then dates each row to when it
happened (the services stamp "now"). `BulkLedger` (the district) writes the same rows with
`core.bulk.insert_rows`: the same rules (garbage_points under the daily cap, volunteer_points under
the monthly cap, the keys the services use, so a later run of the services never credits twice),
a balance kept for every account as the transactions are written, each account's balance written
at the end and checked against its postings by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from gongzhi.bank import services
from gongzhi.bank.models import (Account, AccountKind, BankPolicy, Deed, DeedObjection, DeedStatus, GarbageDrop, Goods, Posting, Redemption, RedemptionCode,
                                 RedemptionLine, ScoredBy, Settlement, Transaction, TransactionKind, Violation)
from gongzhi.bank.services.policy import volunteer_points
from gongzhi.core.bulk import insert_history, insert_rows
from gongzhi.core.text import clean_text
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person
from gongzhi.accounts.models import User

from .bulk import KeySequence, sequences_reset

K = TransactionKind
FLUSH_ROWS = 50_000
UPHELD, DISMISSED = clean_text("经评议会核实，异议成立"), clean_text("经评议会核实，事迹属实，异议不成立")  # as the services store them
REFUND_REASON = "居民退回物品"
VIOLATION = "虚报善行事迹骗取积分"
MIN_TO_REDEEM = 10  # residents save up before they redeem


def holder_key(community, person_id: int, household_id: int | None) -> tuple[str, int]:
    """Whose account a person's points go to: their own, or their household's where the
    community scores by 户 (as services.holder_account)."""
    if community.policy.scored_by == ScoredBy.HOUSEHOLD and household_id:
        return (AccountKind.HOUSEHOLD, household_id)
    return (AccountKind.RESIDENT, person_id)


@dataclass
class DeedPlan:
    community: object
    person_id: int
    household_id: int | None
    category: object
    description: str
    occurred_on: dt.date
    reported_on: dt.date
    reported_by: str
    status: str = DeedStatus.REPORTED
    reviewed_on: dt.date | None = None
    reviewers: str = ""
    review_note: str = ""
    points: int | None = None
    objection: tuple | None = None  # (raised on, reason, resolved on or None, upheld)
    publicity_ends_on: dt.date | None = None
    credited_on: dt.date | None = None
    credited_at: dt.datetime | None = None

    @property
    def last_changed(self) -> dt.date:
        resolved = self.objection[2] if self.objection else None
        return self.credited_on or resolved or self.reviewed_on or self.reported_on


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class _Ledger:
    """What both writers share: the goods on each counter with their stock left, and the choice
    of what a resident takes home for the points they have."""

    def __init__(self, *, rng, admin, scope):
        self.rng, self.admin, self.scope = rng, admin, scope
        self.goods: dict[int, list[tuple[int, str, int]]] = {}  # counter → (goods pk, name, points)
        self.stock: dict[int, int | None] = {}
        self.serial = 0
        self.volunteer_month: dict[tuple, int] = defaultdict(int)

    def _key(self, prefix: str) -> str:
        self.serial += 1
        return f"demo-{prefix}-{self.serial}"

    def _pick(self, counter, balance: int) -> list[tuple[int, int]]:
        """One or two goods (one or two of each) that the balance pays for and are in stock."""
        if balance < MIN_TO_REDEEM:
            return []
        if counter.pk not in self.goods:
            rows = list(Goods.objects.filter(counter=counter, active=True).order_by("pk").values_list("pk", "name", "points", "stock"))
            self.goods[counter.pk] = [(pk, name, points) for pk, name, points, _stock in rows]
            self.stock.update({pk: stock for pk, _name, _points, stock in rows})
        lines, left = [], balance
        for pk, _name, points in self.rng.sample(self.goods[counter.pk], len(self.goods[counter.pk])):
            quantity = 2 if self.rng.random() < 0.2 else 1
            stock = self.stock[pk]
            if points * quantity <= left and (stock is None or stock >= quantity):
                lines.append((pk, quantity))
                left -= points * quantity
            if len(lines) == 2:
                break
        return lines

    def _volunteer_points(self, community, account, hours, verified_at) -> int:
        """Points for verified hours at the community's rate, cut to what the month's cap leaves
        (the month the hours were verified and credited in)."""
        points = volunteer_points(hours, community.policy.volunteer_points_per_hour)
        cap = community.policy.volunteer_monthly_cap
        if cap:
            month = (account, timezone.localdate(verified_at).strftime("%Y-%m"))
            points = max(0, min(points, cap - self.volunteer_month[month]))
            self.volunteer_month[month] += points
        return points

    def _take(self, lines, sign: int = -1) -> None:
        for pk, quantity in lines:
            if self.stock[pk] is not None:
                self.stock[pk] += sign * quantity


# ---- through the services ---------------------------------------------------------------------------


def _date(model, pk, **fields) -> None:
    """Date a row to when it happened (the services stamp "now"; transactions are never saved again,
    but their time may be set by an UPDATE)."""
    if pk is not None:
        model.objects.filter(pk=pk).update(**fields)


class ServiceLedger(_Ledger):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.accounts: dict[tuple, Account] = {}

    def _person(self, pk: int) -> Person:
        return Person.objects.select_related("place").get(pk=pk)

    def _account(self, community, person_id, household_id) -> Account:
        key = holder_key(community, person_id, household_id)
        if key not in self.accounts:
            self.accounts[key] = services.holder_account(person=self._person(person_id), community=community.place)
        return self.accounts[key]

    def deed(self, when, d: DeedPlan) -> None:
        s, user = self.scope, self.admin
        deed = services.deed_report(scope=s, acting_user=user, person=self._person(d.person_id), category=d.category,
                                    description=d.description, occurred_on=d.occurred_on, reported_by=d.reported_by)
        _date(Deed, deed.pk, created_at=_aware(d.reported_on), updated_at=_aware(d.reported_on))
        if d.reviewed_on is None:
            return
        deed = services.deed_review(scope=s, acting_user=user, deed=deed, approve=d.points is not None, points=d.points, reviewers=d.reviewers,
                                    note=d.review_note, today=d.reviewed_on)
        if d.objection:
            raised, reason, resolved, upheld = d.objection
            objection = services.deed_object(deed=deed, raised_by="居民", reason=reason, acting_user=user, today=raised)
            if resolved:
                services.objection_resolve(scope=s, acting_user=user, objection=objection, upheld=upheld, resolution=UPHELD if upheld else DISMISSED,
                                           today=resolved)
            _date(DeedObjection, objection.pk, created_at=_aware(raised), updated_at=_aware(resolved or raised))
        if d.credited_on:
            for credited in services.deeds_credit_due(today=d.credited_on, community=d.community.place, acting_user=user):
                _date(Transaction, Deed.objects.get(pk=credited.pk).transaction_id, created_at=d.credited_at)
        _date(Deed, deed.pk, updated_at=_aware(d.last_changed))

    def garbage(self, when, payload) -> None:
        c, person_id, _household_id, day, weights = payload
        drop = services.garbage_record(scope=self.scope, acting_user=self.admin, counter=c.station, person=self._person(person_id),
                                       weights=weights, key=self._key("g"), day=day)
        _date(GarbageDrop, drop.pk, at=when)
        _date(Transaction, drop.transaction_id, created_at=when)

    def volunteer(self, when, payload) -> None:
        """As services.volunteer_credit (key vol:<record>), the cap counted in the month the hours
        were verified (the service counts the month it runs in: all of them, for a history)."""
        c, record, person_id, household_id, hours, verified_at, verified_by, description = payload
        account = self._account(c, person_id, household_id)
        points = self._volunteer_points(c, account.pk, hours, verified_at)
        if points > 0:
            txn = services.earn(account=account, points=points, key=f"vol:{record}", acting_user=User(pk=verified_by),
                                memo=f"志愿服务 {hours} 小时：{description[:120]}")
            _date(Transaction, txn.pk, created_at=when)

    def redeem(self, when, payload) -> None:
        c, person_id, household_id, counter, refund = payload
        account = self._account(c, person_id, household_id)
        lines = self._pick(counter, Account.objects.filter(pk=account.pk).values_list("balance", flat=True).get())
        if not lines:
            return
        code = services.code_issue(account=account, now=when)
        receipt = services.redemption_confirm(scope=self.scope, acting_user=self.admin, counter=counter, code=code.code, items=lines,
                                              key=self._key("r"), now=when)
        self._take(lines)
        _date(RedemptionCode, code.pk, created_at=when - dt.timedelta(seconds=40))
        _date(Redemption, receipt.pk, at=when)
        _date(Transaction, receipt.transaction_id, created_at=when)
        if refund:
            txn = services.redemption_refund(scope=self.scope, acting_user=self.admin, redemption=receipt, reason=REFUND_REASON)
            self._take(lines, +1)
            _date(Transaction, txn.pk, created_at=when + dt.timedelta(minutes=45))

    def settle(self, when, payload) -> None:
        counter, month = payload
        settlement = services.settlement_close(scope=self.scope, acting_user=self.admin, counter=counter, month=month)
        _date(Settlement, settlement.pk, settled_at=when)
        _date(Transaction, settlement.transaction_id, created_at=when)

    def violation(self, key, community, when) -> None:
        account = self.accounts.get(key)
        if account is None:
            return
        violation = services.violation_record(scope=self.scope, acting_user=self.admin, account=account, description=VIOLATION,
                                              recorded_on=when.date())
        _date(Violation, violation.pk, created_at=when)
        _date(Transaction, violation.transaction_id, created_at=when)

    def finish(self) -> None:
        pass

    def lapse(self, *, year: int, at: dt.datetime) -> int:
        total = 0
        for community in Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"):
            total += services.year_end_lapse(community=community, year=year, acting_user=self.admin)
        Transaction.objects.filter(kind=K.LAPSE, key__startswith="lapse:", key__endswith=f":{year}", created_at__gt=at).update(created_at=at)
        return total


# ---- in bulk ------------------------------------------------------------------------------------------


class BulkLedger(_Ledger):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.community_accounts: dict[tuple[int, str], int] = {}
        for community in Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"):  # opened first: new keys follow theirs
            for kind in (AccountKind.ISSUER, AccountKind.LAPSED):
                self.community_accounts[(community.pk, kind)] = services.community_account(community=community, kind=kind).pk
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.keys = {model: KeySequence(model) for model in (Account, Transaction, Deed, Redemption)}
        self.balances: dict[int, int] = dict(Account.objects.values_list("pk", "balance"))
        self.kinds: dict[int, str] = dict(Account.objects.values_list("pk", "kind"))
        self.existing = set(self.balances)
        self.holders: dict[tuple, int] = dict(((kind, person or household), pk) for pk, kind, person, household in
                                              Account.objects.filter(kind__in=(AccountKind.RESIDENT, AccountKind.HOUSEHOLD))
                                              .values_list("pk", "kind", "person_id", "household_id"))
        self.new_accounts: dict[int, dict] = {}
        self.garbage_day: dict[tuple, int] = defaultdict(int)
        self.month: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # (counter, month) → [redemptions, points] to settle
        self.deeds: list[int] = []
        self.stock_changed: set[int] = set()
        self.admin_id = getattr(self.admin, "pk", None)

    # rows and transactions
    def _row(self, model, row: dict) -> None:
        rows = self.rows[model]
        rows.append(row)
        if len(rows) >= FLUSH_ROWS:
            self._flush(model)

    def _flush(self, model) -> None:
        rows = self.rows.pop(model, [])
        if rows:
            insert_rows(model, rows, with_pk=model in self.keys)

    def _community_account(self, community_id: int, kind: str) -> int:
        return self.community_accounts[(community_id, kind)]

    def _holder(self, community, person_id, household_id) -> int:
        key = holder_key(community, person_id, household_id)
        pk = self.holders.get(key)
        if pk is None:
            pk = self.holders[key] = self.keys[Account].take()
            kind, owner = key
            self.new_accounts[pk] = {"id": pk, "kind": kind, "community_id": community.place.pk, "person_id": owner if kind == AccountKind.RESIDENT else None,
                                     "household_id": owner if kind == AccountKind.HOUSEHOLD else None, "name": "", "card_token": None}
            self.balances[pk], self.kinds[pk] = 0, kind
        return pk

    def _txn(self, kind, community_id: int, legs, at, *, key=None, memo="", reverses=None, created_by=None) -> int:
        pk = self.keys[Transaction].take()
        self._row(Transaction, {"id": pk, "kind": kind, "community_id": community_id, "memo": memo[:200], "key": key, "reverses_id": reverses,
                                "created_by_id": created_by, "created_at": at})
        for account, amount in legs:
            self.balances[account] += amount
            if self.balances[account] < 0 and self.kinds[account] != AccountKind.ISSUER:
                raise AssertionError(f"demo bank: account {account} would fall below zero")
            self._row(Posting, {"transaction_id": pk, "account_id": account, "amount": amount})
        return pk

    def _earn(self, community, account: int, points: int, at, *, key, memo, created_by=None) -> int:
        issuer = self._community_account(community.place.pk, AccountKind.ISSUER)
        return self._txn(K.EARN, community.place.pk, [(issuer, -points), (account, points)], at, key=key, memo=memo, created_by=created_by)

    # events
    def deed(self, when, d: DeedPlan) -> None:
        pk = self.keys[Deed].take()
        account = txn = None
        if d.status == DeedStatus.CREDITED:
            account = self._holder(d.community, d.person_id, d.household_id)
            txn = self._earn(d.community, account, d.points, d.credited_at, key=f"deed:{pk}", created_by=self.admin_id,
                             memo=f"善行积分：{d.category.name}（{d.occurred_on}）")
        note = d.review_note
        if d.objection and d.objection[2] and d.objection[3]:
            note = ("异议成立：" + UPHELD)[:300]
        self._row(Deed, {"id": pk, "community_id": d.community.place.pk, "person_id": d.person_id, "household_id": d.household_id,
                         "category_id": d.category.pk, "description": d.description, "occurred_on": d.occurred_on, "reported_by": d.reported_by,
                         "status": d.status, "points": d.points, "reviewed_on": d.reviewed_on, "reviewers": d.reviewers, "review_note": note,
                         "publicity_ends_on": d.publicity_ends_on, "account_id": account, "transaction_id": txn, "recorded_by_id": self.admin_id,
                         "created_at": _aware(d.reported_on), "updated_at": _aware(d.last_changed)})
        self.deeds.append(pk)
        if d.objection:
            raised, reason, resolved, upheld = d.objection
            self._row(DeedObjection, {"deed_id": pk, "raised_by": "居民", "reason": reason, "upheld": upheld if resolved else None,
                                      "resolution": (UPHELD if upheld else DISMISSED) if resolved else "", "resolved_on": resolved,
                                      "recorded_by_id": self.admin_id, "created_at": _aware(raised), "updated_at": _aware(resolved or raised)})

    def garbage(self, when, payload) -> None:
        c, person_id, household_id, day, weights = payload
        account = self._holder(c, person_id, household_id)
        earned = credited = services.garbage_points(weights, c.rates)
        cap = c.policy.garbage_daily_cap
        if cap:
            credited = max(0, min(earned, cap - self.garbage_day[(account, day)]))
            self.garbage_day[(account, day)] += credited
        key = self._key("g")
        txn = self._earn(c, account, credited, when, key=f"garbage:{key}", memo=f"垃圾分类积分（{c.station.name}）", created_by=self.admin_id) if credited else None
        self._row(GarbageDrop, {"counter_id": c.station.pk, "account_id": account, "person_id": person_id, "day": day, "earned": earned, "credited": credited,
                                "transaction_id": txn, "key": key, "operator_id": self.admin_id, "at": when,
                                **{f"{kind}_kg": kg for kind, kg in weights.items()}})

    def volunteer(self, when, payload) -> None:
        c, record, person_id, household_id, hours, verified_at, verified_by, description = payload
        account = self._holder(c, person_id, household_id)
        points = self._volunteer_points(c, account, hours, verified_at)
        if points > 0:
            self._earn(c, account, points, when, key=f"vol:{record}", memo=f"志愿服务 {hours} 小时：{description[:120]}", created_by=verified_by)

    def redeem(self, when, payload) -> None:
        c, person_id, household_id, counter, refund = payload
        account = self._holder(c, person_id, household_id)
        lines = self._pick(counter, self.balances[account])
        if not lines:
            return
        names = {pk: (name, points) for pk, name, points in self.goods[counter.pk]}
        total = sum(names[pk][1] * quantity for pk, quantity in lines)
        memo = "、".join(f"{names[pk][0]}×{quantity}" for pk, quantity in lines)
        txn = self._txn(K.REDEEM, c.place.pk, [(account, -total), (counter.account_id, total)], when, key=self._key("r"), memo=memo,
                        created_by=self.admin_id)
        receipt = self.keys[Redemption].take()
        self._row(Redemption, {"id": receipt, "transaction_id": txn, "counter_id": counter.pk, "account_id": account, "points": total, "at": when,
                               "operator_id": self.admin_id})
        for pk, quantity in lines:
            self._row(RedemptionLine, {"redemption_id": receipt, "goods_id": pk, "name": names[pk][0], "quantity": quantity,
                                       "points": names[pk][1] * quantity})
        self._take(lines)
        self.stock_changed.update(pk for pk, _quantity in lines)
        tally = self.month[(counter.pk, timezone.localdate(when).replace(day=1))]
        tally[0] += 1
        tally[1] += total
        if refund:
            self._txn(K.REVERSAL, c.place.pk, [(account, total), (counter.account_id, -total)], when + dt.timedelta(minutes=45), reverses=txn,
                      memo=f"退兑：{REFUND_REASON}", created_by=self.admin_id)
            self._take(lines, +1)
            tally[0] -= 1
            tally[1] -= total

    def settle(self, when, payload) -> None:
        counter, month = payload
        count, points = self.month.pop((counter.pk, month), (0, 0))
        txn = None
        if points > 0:
            issuer = self._community_account(counter.community_id, AccountKind.ISSUER)
            txn = self._txn(K.SETTLE, counter.community_id, [(counter.account_id, -points), (issuer, points)], when,
                            key=f"settle:{counter.pk}:{month:%Y-%m}", memo=f"{month:%Y-%m} 月度结算：{counter.name}", created_by=self.admin_id)
        self._row(Settlement, {"counter_id": counter.pk, "month": month, "redemptions": count, "points": points, "transaction_id": txn,
                               "settled_by_id": self.admin_id, "settled_at": when})

    def violation(self, key, community, when) -> None:
        account = self.holders.get(key)
        if account is None:
            return
        balance, txn = self.balances[account], None
        if balance > 0:
            lapsed = self._community_account(community.place.pk, AccountKind.LAPSED)
            txn = self._txn(K.PENALTY, community.place.pk, [(account, -balance), (lapsed, balance)], when, memo=f"违规清零：{VIOLATION}",
                            created_by=self.admin_id)
        day = when.date()
        self._row(Violation, {"account_id": account, "description": VIOLATION, "recorded_on": day,
                              "barred_until": day + dt.timedelta(days=community.policy.penalty_bar_days), "transaction_id": txn,
                              "recorded_by_id": self.admin_id, "created_at": when, "updated_at": when})

    # the end
    def finish(self) -> None:
        insert_rows(Account, [row | {"balance": self.balances[pk]} for pk, row in self.new_accounts.items()], with_pk=True)
        self.existing.update(self.new_accounts)
        self.new_accounts = {}
        for model in list(self.rows):
            self._flush(model)
        self._balances_write(self.existing)
        Goods.objects.bulk_update([Goods(pk=pk, stock=self.stock[pk]) for pk in sorted(self.stock_changed)], ["stock"], batch_size=1000)
        for start in range(0, len(self.deeds), 10_000):
            insert_history(Deed, self.deeds[start:start + 10_000], user=self.admin)
        sequences_reset(list(self.keys))

    def _balances_write(self, accounts) -> None:
        known = dict(Account.objects.values_list("pk", "balance"))
        changed = [Account(pk=pk, balance=self.balances[pk]) for pk in sorted(accounts) if known.get(pk) != self.balances[pk]]
        Account.objects.bulk_update(changed, ["balance"], batch_size=1000)

    def lapse(self, *, year: int, at: dt.datetime) -> int:
        total, touched = 0, set()
        for community in Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"):
            due = services.expiring(community=community, year=year)
            if not due:
                continue
            months = BankPolicy.for_community(community).expiry_months
            lapsed = self._community_account(community.pk, AccountKind.LAPSED)
            for account, points in sorted(due.items()):
                self._txn(K.LAPSE, community.pk, [(account, -points), (lapsed, points)], at, key=f"lapse:{account}:{year}",
                          memo=f"{year}年底到期失效（获得满{months}个月未使用）", created_by=self.admin_id)
                touched.update((account, lapsed))
                total += points
        for model in list(self.rows):
            self._flush(model)
        self._balances_write(touched)
        sequences_reset([Transaction])
        return total
