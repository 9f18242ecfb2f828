"""The 道德银行's headline numbers, read from the ledger for a scope and a period (what
`bank.indicators` quotes): points issued, redeemed and lapsed, deeds credited, counters.

Points are read from the postings, never from balances, so a period's figures are what moved in
it: a transaction counts on the Beijing day it was written (`Transaction.created_at`), and a
reversal counts on its own day, against the figure of what it reverses (a refund lowers the
points redeemed in the period of the refund). A 社区 is where the account is (`Posting.scope_q`);
a scope narrowed to a 小区 or to a party organisation holds none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongzhi.core.scope import Scope
from gongzhi.org.selectors.places import communities_in
from gongzhi.org.models import Place

from .models import COUNTER_KINDS, AccountKind, Counter, CounterKind, Deed, DeedStatus, Posting, TransactionKind

K = TransactionKind


def _of(kind: str) -> Q:
    """Postings of `kind` transactions and of the reversals of such transactions."""
    return Q(transaction__kind=kind) | Q(transaction__kind=K.REVERSAL, transaction__reverses__kind=kind)


ISSUED = Q(account__kind=AccountKind.ISSUER) & _of(K.EARN)  # negative: what left the issuing account
REDEEMED = Q(account__kind__in=COUNTER_KINDS) & _of(K.REDEEM)
EXPIRED = Q(account__kind=AccountKind.LAPSED) & _of(K.LAPSE)
PENALISED = Q(account__kind=AccountKind.LAPSED) & _of(K.PENALTY)
SETTLED = Q(account__kind__in=COUNTER_KINDS) & _of(K.SETTLE)  # negative: what left the counters
FLOW_ACCOUNTS = (AccountKind.ISSUER, AccountKind.LAPSED, *COUNTER_KINDS)  # a holder's leg is never read


@dataclass(frozen=True)
class PointsFlow:
    issued: int  # earned (deeds, garbage, volunteer hours …) less the reversed earnings
    redeemed: int  # spent at stations, merchants and stalls less refunds
    expired: int  # lapsed at year end (less reversals)
    penalised: int  # cleared for a violation (less reversals)
    settled: int  # retired from merchants' accounts by the monthly settlement

    @property
    def lapsed(self) -> int:
        return self.expired + self.penalised

    def as_dict(self) -> dict[str, int]:
        return {"issued": self.issued, "redeemed": self.redeemed, "lapsed": self.lapsed, "expired": self.expired,
                "penalised": self.penalised, "settled": self.settled}


def day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after `end` 00:00) in Beijing time (the project's time zone)."""
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def _postings(scope: Scope, start: dt.date, end: dt.date):
    since, until = day_range(start, end)
    return scope.filter(Posting.objects.filter(transaction__created_at__gte=since, transaction__created_at__lt=until,
                                               account__kind__in=FLOW_ACCOUNTS)).order_by()


def _sums() -> dict:
    zero = Value(0, output_field=IntegerField())
    return {name: Coalesce(Sum("amount", filter=q), zero) for name, q in
            (("issued", ISSUED), ("redeemed", REDEEMED), ("expired", EXPIRED), ("penalised", PENALISED), ("settled", SETTLED))}


def _flow(row: dict) -> PointsFlow:
    return PointsFlow(issued=-row["issued"], redeemed=row["redeemed"], expired=row["expired"], penalised=row["penalised"], settled=-row["settled"])


def points_flow(*, scope: Scope, start: dt.date, end: dt.date) -> PointsFlow:
    """Points issued, redeemed and lapsed (expiry and penalty) in scope over the Beijing days
    [start, end]: one aggregate query over the postings."""
    return _flow(_postings(scope, start, end).aggregate(**_sums()))




def points_by_community(*, scope: Scope, start: dt.date, end: dt.date) -> list[tuple[Place, PointsFlow]]:
    """`points_flow` for every 社区 in scope (zeros included), in tree order: two queries."""
    communities = communities_in(scope)
    rows = _postings(scope, start, end).values("account__community_id").annotate(**_sums())
    flows = {row["account__community_id"]: _flow(row) for row in rows}
    none = PointsFlow(0, 0, 0, 0, 0)
    return [(c, flows.get(c.pk, none)) for c in communities]


def deeds_credited(*, scope: Scope, start: dt.date, end: dt.date) -> int:
    """Deeds in scope credited over the Beijing days [start, end] (their points written then),
    those whose credit was reversed left out: one query."""
    since, until = day_range(start, end)
    return scope.filter(Deed.objects.filter(status=DeedStatus.CREDITED, transaction__created_at__gte=since, transaction__created_at__lt=until,
                                            transaction__reversed_by__isnull=True)).count()


def counter_counts(*, scope: Scope) -> dict[str, int]:
    """Counters open today in scope by kind (stations, merchants; stalls of events too): one query."""
    rows = scope.filter(Counter.objects.filter(active=True)).order_by().values_list("kind").annotate(n=Count("id"))
    return {kind: 0 for kind in CounterKind.values} | dict(rows)
