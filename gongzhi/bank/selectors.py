"""Reads of the 道德银行 ledger: an account's statement with the balance after each line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongzhi.accounts.models import RoleGrant
from gongzhi.core.scope import Scope

from gongzhi.people.models import Person, PersonStatus
from gongzhi.people.selectors import person_search

from .models import (HOLDER_KINDS, Account, CharityEvent, Counter, CounterKind, Deed, DeedCategory, DeedObjection, DeedStatus, GarbageDrop,
                     Goods, Posting, Redemption, RedemptionLine, Settlement, TransactionKind, Violation)
from .services.accounts import require_counter
from .services.counters import _month_bounds


@dataclass(frozen=True)
class StatementLine:
    posting_id: int
    transaction_id: int
    at: dt.datetime
    kind: str
    memo: str
    amount: int
    balance: int  # the account's balance after this line


def account_get(*, scope: Scope, pk: int) -> Account:
    return scope.get(Account.objects.select_related("community", "person__place", "household__place", "household__head"), pk=pk)


def account_statement(*, account: Account, limit: int = 50, before: int | None = None) -> list[StatementLine]:
    """The account's latest `limit` lines, newest first, each with the balance after it: a running
    sum over the account's postings in the database (one query, on the (account, transaction)
    index). `before`: a transaction id, for the next page — the lines older than it, whose running
    sums need nothing newer (an account has one posting per transaction)."""
    postings = Posting.objects.filter(account=account)
    if before is not None:
        postings = postings.filter(transaction_id__lt=before)
    rows = (
        postings.annotate(balance=Window(Sum("amount"), order_by=F("transaction_id").asc()))
        .values_list("id", "transaction_id", "transaction__created_at", "transaction__kind", "transaction__memo", "amount", "balance")
        .order_by("-transaction_id")
    )
    return [StatementLine(*row) for row in rows[:limit]]


# ---- the management pages ------------------------------------------------------------------------
# Every read below starts from `scope.filter(...)`: what lies outside the user's subtree is never
# read, and a detail lookup outside it is the same 404 as a missing row.


def deed_counts(*, scope: Scope) -> dict[str, int]:
    """Deeds by status in scope and the objections still open (two queries)."""
    counts = dict(scope.filter(Deed.objects.all()).order_by().values_list("status").annotate(n=Count("id")))
    counts["objections_open"] = scope.filter(DeedObjection.objects.filter(upheld__isnull=True)).count()
    return counts


def deed_list(*, scope: Scope, status: str = "", community=None, category=None, q: str = ""):
    """Deeds in scope, newest first, shaped for the list (person, category, 社区 in the same query)."""
    deeds = scope.filter(Deed.objects.select_related("person", "category", "community"))
    if status:
        deeds = deeds.filter(status=status)
    if community is not None:
        deeds = deeds.filter(community=community)
    if category is not None:
        deeds = deeds.filter(category=category)
    if q:
        deeds = deeds.filter(person__name__contains=q)
    return deeds.order_by("-occurred_on", "-id")


def deed_get(*, scope: Scope, pk):
    return scope.get(Deed.objects.select_related("person__place", "category", "community", "account", "transaction", "recorded_by"), pk=pk)


def deed_categories(*, scope: Scope):
    """The active categories a deed in scope may take: the district-wide ones and those of the
    user's communities."""
    return DeedCategory.objects.filter(Q(community__isnull=True) | scope.q(place="community__path"), active=True).select_related("community")


def deeds_due(*, scope: Scope, today: dt.date):
    """The 社区 (ids) in scope with a deed whose 公示 has ended and waits to be credited."""
    due = scope.filter(Deed.objects.filter(status=DeedStatus.PUBLICISED, publicity_ends_on__lt=today))
    return list(due.order_by().values_list("community_id", flat=True).distinct())


def public_deeds(*, community, today: dt.date):
    """A 社区's 公示 for residents: the deeds on 公示 now (objected ones too, the 公示 halted),
    and those credited in the last 30 days. Only what the public list shows is read."""
    fields = ("person__name", "category__name", "description", "occurred_on", "points", "publicity_ends_on", "status")
    base = Deed.objects.filter(community=community).select_related("person", "category").only(*fields)
    showing = base.filter(status__in=(DeedStatus.PUBLICISED, DeedStatus.OBJECTED), publicity_ends_on__gte=today).order_by("publicity_ends_on", "id")
    since = timezone.now() - dt.timedelta(days=30)
    credited = (base.filter(status=DeedStatus.CREDITED, transaction__created_at__gte=since).annotate(credited_at=F("transaction__created_at"))
                .order_by("-transaction__created_at", "-id"))
    return showing, credited


def holder_accounts(*, scope: Scope, community=None, q: str = ""):
    """Residents' and households' accounts in scope with their holders, the largest balance first."""
    accounts = scope.filter(Account.objects.filter(kind__in=HOLDER_KINDS)
                            .select_related("community", "person__place", "household__place", "household__head"))
    if community is not None:
        accounts = accounts.filter(community=community)
    if q:
        accounts = accounts.filter(Q(person__name__contains=q) | Q(household__head__name__contains=q))
    return accounts.order_by("-balance", "id")


def account_violations(*, scope: Scope, account: Account):
    return scope.filter(Violation.objects.filter(account=account).select_related("recorded_by"))


def counter_list(*, scope: Scope, kind: str = "", community=None, q: str = ""):
    """Counters in scope with their account (unsettled points) and the goods on their shelves."""
    counters = scope.filter(Counter.objects.select_related("community", "account", "event")
                            .annotate(goods_count=Count("goods", filter=Q(goods__active=True))))
    if kind:
        counters = counters.filter(kind=kind)
    if community is not None:
        counters = counters.filter(community=community)
    if q:
        counters = counters.filter(Q(name__contains=q) | Q(address__contains=q) | Q(contact_name__contains=q))
    return counters.order_by("community__path", "kind", "name", "id")


def counter_get(*, scope: Scope, pk):
    return scope.get(Counter.objects.select_related("community", "account", "event"), pk=pk)


def counter_goods(*, scope: Scope, counter):
    return scope.filter(Goods.objects.filter(counter=counter)).order_by("-active", "points", "name", "id")


def counter_settlements(*, scope: Scope, counter):
    return scope.filter(Settlement.objects.filter(counter=counter).select_related("settled_by")).order_by("-month")


@dataclass(frozen=True)
class StatementRow:
    at: dt.datetime
    number: int  # the receipt's No. (its transaction)
    lines: str
    points: int
    refund: bool


def settlement_rows(*, counter, month: dt.date) -> list[StatementRow]:
    """The lines of `counter`'s 月度结算单 for `month`: each redemption of the month (+) and each
    refund made in it (−), from the counter account's postings, so they add up to what
    `settlement_preview` would retire. Three queries."""
    start, end = _month_bounds(month)
    lines = RedemptionLine.objects.order_by("id")
    postings = (Posting.objects.filter(account=counter.account, transaction__created_at__gte=start, transaction__created_at__lt=end)
                .exclude(transaction__kind=TransactionKind.SETTLE)
                .select_related("transaction__redemption", "transaction__reverses__redemption")
                .prefetch_related(Prefetch("transaction__redemption__lines", queryset=lines),
                                  Prefetch("transaction__reverses__redemption__lines", queryset=lines))
                .order_by("transaction__created_at", "transaction_id"))
    rows = []
    for p in postings:
        txn = p.transaction
        receipt = getattr(txn.reverses, "redemption", None) if txn.reverses_id else getattr(txn, "redemption", None)
        text = "、".join(f"{line.name}×{line.quantity}" for line in receipt.lines.all()) if receipt else txn.memo
        rows.append(StatementRow(at=txn.created_at, number=receipt.transaction_id if receipt else txn.pk, lines=text, points=p.amount,
                                 refund=txn.kind == TransactionKind.REVERSAL))
    return rows


def event_list(*, scope: Scope, community=None):
    events = scope.filter(CharityEvent.objects.select_related("community").annotate(stall_count=Count("stalls")))
    if community is not None:
        events = events.filter(community=community)
    return events.order_by("-held_on", "-id")


def event_get(*, scope: Scope, pk):
    return scope.get(CharityEvent.objects.select_related("community"), pk=pk)


def event_stalls(*, scope: Scope, event):
    """The stalls of `event` with their goods and their redemptions (receipts not refunded, points)."""
    points = (Redemption.objects.filter(counter=OuterRef("pk"), transaction__reversed_by__isnull=True).order_by()
              .values("counter").annotate(n=Sum("points")).values("n"))
    return (scope.filter(Counter.objects.filter(event=event)).select_related("account")
            .annotate(receipts=Count("redemptions", filter=Q(redemptions__transaction__reversed_by__isnull=True)),
                      redeemed=Coalesce(Subquery(points, output_field=IntegerField()), 0))
            .prefetch_related(Prefetch("goods", queryset=Goods.objects.order_by("points", "name")), "operators")
            .order_by("name", "id"))


def operator_choices(*, scope: Scope):
    """Users a counter in scope may get as operators: staff granted a place in scope, and accounts
    with no role that operate no counter outside the scope (the counters' own operators)."""
    User = get_user_model()
    in_scope = RoleGrant.objects.filter(scope.q(place="place__path"), place__isnull=False).values("user")
    elsewhere = (Counter.objects.exclude(pk__in=scope.filter(Counter.objects.all()).values("pk"))
                 .filter(operators__isnull=False).values("operators"))
    users = User.objects.filter(Q(pk__in=in_scope) | (Q(grants__isnull=True) & ~Q(pk__in=elsewhere)), is_active=True, is_superuser=False)
    return users.distinct().order_by("username")


# ---- the counter: reads for its operators (each answers 404 for missing and not allowed alike) --------


def counter_operate_get(*, scope: Scope, user, pk) -> Counter:
    """The counter, for staff whose scope holds its 社区 or for its operators (else 404)."""
    counter = get_object_or_404(Counter.objects.select_related("community", "account", "event"), pk=pk)
    return require_counter(scope=scope, user=user, counter=counter)


def receipt_get(*, scope: Scope, user, pk) -> Redemption:
    receipt = get_object_or_404(
        Redemption.objects.select_related("counter__community", "counter__account", "account__person", "account__household__head",
                                          "transaction__reversed_by", "operator"), pk=pk)
    require_counter(scope=scope, user=user, counter=receipt.counter)
    return receipt


def community_scope(counter: Counter) -> Scope:
    """What an operator may look up while weighing: the residents of the counter's 社区, no more."""
    return Scope.of(place_paths=[counter.community.path], labels=[counter.community.name])


def counter_residents(*, counter: Counter, q: str, limit: int) -> list[Person]:
    """Residents of the counter's 社区 matching `q` (an operator weighing finds no one else)."""
    if not q.strip():
        return []
    return list(person_search(scope=community_scope(counter), q=q, place=counter.community, status=PersonStatus.RESIDENT)[:limit])


def counter_resident_get(counter: Counter, pk) -> Person:
    return community_scope(counter).get(Person.objects.select_related("place", "household"), pk=pk, status=PersonStatus.RESIDENT)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    return start, start + dt.timedelta(days=1)


def counter_today(counter: Counter) -> dict:
    """Today's weighings and redemptions at the counter (refunded ones left out): two aggregates."""
    today = timezone.localdate()
    start, end = day_bounds(today)
    sales = (Redemption.objects.filter(counter=counter, at__gte=start, at__lt=end, transaction__reversed_by__isnull=True)
             .aggregate(n=Count("id"), points=Sum("points")))
    totals = {"redemptions": sales["n"], "redeemed": sales["points"] or 0}
    if counter.kind == CounterKind.STATION:
        kg = F("kitchen_kg") + F("recyclable_kg") + F("hazardous_kg") + F("other_kg")
        drops = GarbageDrop.objects.filter(counter=counter, day=today).aggregate(
            n=Count("id"), credited=Sum("credited"), kg=Sum(kg, output_field=DecimalField(max_digits=12, decimal_places=2)))
        totals.update(drops=drops["n"], credited=drops["credited"] or 0, kg=Decimal(drops["kg"] or 0).quantize(Decimal("0.01")))
    return totals


def counter_receipts(counter: Counter, *, since: dt.datetime | None = None):
    rows = (Redemption.objects.filter(counter=counter)
            .select_related("account__person", "account__household__head", "transaction__reversed_by").order_by("-at", "-id"))
    return rows.filter(at__gte=since) if since else rows


def counters_operated(*, user):
    """The open counters `user` operates (a station's or a merchant's staff, who hold no role)."""
    return Counter.objects.filter(operators=user, active=True).select_related("community").order_by("name", "id")


def garbage_drop_get(*, counter: Counter, pk) -> GarbageDrop:
    """A weighing at `counter` (the counter already checked for the user)."""
    return get_object_or_404(GarbageDrop.objects.select_related("account", "person"), pk=pk, counter=counter)


def card_account(*, token: str) -> Account | None:
    """The resident's or household's account of a live 积分卡 link, or None."""
    if not token:
        return None
    return Account.objects.select_related("person", "household__head", "community").filter(card_token=token, kind__in=HOLDER_KINDS).first()
