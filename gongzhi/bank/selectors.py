"""Reads of the 道德银行 ledger: an account's statement with the balance after each line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Sum, Window

from gongzhi.core.scope import Scope

from .models import Account, Posting


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
    return scope.get(Account.objects.select_related("community", "person", "household"), pk=pk)


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
