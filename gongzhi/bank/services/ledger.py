"""Writes of the 道德银行 ledger: every movement of points is one `transfer`, atomic, its legs
summing to zero, the accounts locked in primary-key order (no deadlock between two transfers),
balances checked before and kept with the postings.

A retried request (a terminal whose network dropped) carries the key of the first: the first
transaction is returned and nothing is written again — the key is checked after the accounts are
locked, so a retry racing the original waits for it and then finds it; a retry that reaches the
database by another path meets the key's unique index and is answered the same way.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.utils.translation import gettext as _

from gongzhi.core import figure_cache
from gongzhi.org.models import Place

from ..models import COUNTER_KINDS, Account, AccountKind, Posting, Transaction, TransactionKind

Leg = tuple[Account, int]


def community_account(*, community: Place, kind: str) -> Account:
    """The community's issuing or lapsed account (opened on first use)."""
    account, _created = Account.objects.get_or_create(community=community, kind=kind)
    return account


def _checked_legs(legs: list[Leg]) -> list[Leg]:
    if len(legs) < 2:
        raise ValidationError(_("一笔积分交易至少涉及两个账户。"))
    if len({account.pk for account, _amount in legs}) != len(legs):
        raise ValidationError(_("一笔积分交易中同一账户只能出现一次。"))
    for _account, amount in legs:
        if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
            raise ValidationError(_("积分分值须为非零整数。"))
    if sum(amount for _account, amount in legs) != 0:
        raise ValidationError(_("借贷不平：各账户分值之和须为零。"))
    return legs


def _same(done: Transaction, kind: str, legs: list[Leg]) -> Transaction:
    """The transaction a retry asks for again, or a refusal when the key was used for another."""
    wanted = sorted((account.pk, amount) for account, amount in legs)
    if done.kind != kind or sorted(done.postings.values_list("account_id", "amount")) != wanted:
        raise ValidationError(_("该请求编号已用于另一笔交易，未重复记账。"))
    return done


def transfer(*, kind: str, community: Place, legs: list[Leg], acting_user=None, memo: str = "", key: str | None = None,
             reverses: Transaction | None = None) -> Transaction:
    """Move points: each (account, amount) leg credits (+) or debits (−) one account; the legs sum
    to zero. Refused, with nothing written, when an account other than an issuing one would fall
    below zero. `key`: the request's idempotency key (a retry gets the first transaction back)."""
    legs = _checked_legs(legs)
    if connection.vendor == "postgresql":
        return _transfer_in_database(kind, community, legs, acting_user, memo, key, reverses)
    if connection.in_atomic_block:
        # Inside the caller's transaction: no savepoint of its own (two round trips saved). Every
        # refusal is raised before anything is written, and the one write that may fail for a reason
        # of another request's (the key's or the reversal's unique index) has its own savepoint below.
        return _transfer(kind, community, legs, acting_user, memo, key, reverses)
    with transaction.atomic():
        return _transfer(kind, community, legs, acting_user, memo, key, reverses)


def _transfer(kind, community, legs, acting_user, memo, key, reverses) -> Transaction:
    # The accounts locked in pk order; only what the checks need is read (kind, balance).
    locked = {pk: (account_kind, balance) for pk, account_kind, balance in Account.objects.select_for_update()
              .filter(pk__in=[a.pk for a, _n in legs]).order_by("pk").values_list("pk", "kind", "balance")}
    if key and Transaction.objects.filter(key=key).exists():  # the cheap look first: a retry is rare
        return _same(Transaction.objects.get(key=key), kind, legs)
    for account, amount in legs:
        account_kind, balance = locked[account.pk]
        if account_kind != AccountKind.ISSUER and balance + amount < 0:
            raise ValidationError(_("%(account)s积分不足：现有 %(balance)s 分，本次需要 %(need)s 分。")
                                  % {"account": account, "balance": balance, "need": -amount})
    try:
        with transaction.atomic():
            txn = Transaction.objects.create(kind=kind, community=community, memo=memo, key=key or None, reverses=reverses, created_by=acting_user)
    except IntegrityError:
        done = Transaction.objects.filter(key=key).first() if key else None
        if done is None:
            raise ValidationError(_("该交易已冲正，不能重复冲正。")) from None
        return _same(done, kind, legs)
    Posting.objects.bulk_create([Posting(transaction=txn, account=account, amount=amount) for account, amount in legs])
    # Every balance in one UPDATE (the rows are locked already).
    Account.objects.filter(pk__in=[account.pk for account, _amount in legs]).update(
        balance=F("balance") + Case(*[When(pk=account.pk, then=Value(amount)) for account, amount in legs], output_field=BigIntegerField()))
    for account, amount in legs:
        account.balance = locked[account.pk][1] + amount
    return txn


def _transfer_in_database(kind, community, legs, acting_user, memo, key, reverses) -> Transaction:
    """The same transfer as `_transfer`, by the database function `bank_transfer` (PostgreSQL,
    migration 0004): one statement, the answers the same."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bank_transfer(%s, %s, %s, %s, %s, %s, %s::bigint[], %s::bigint[])",
                       [kind, community.pk, memo, key or None, reverses.pk if reverses else None, acting_user.pk if acting_user else None,
                        [account.pk for account, _amount in legs], [amount for _account, amount in legs]])
        txn_id, outcome, short_account, short_balance, created, ids, balances = cursor.fetchone()
    if outcome == "retry":
        return _same(Transaction.objects.get(pk=txn_id), kind, legs)
    if outcome == "reversed":
        raise ValidationError(_("该交易已冲正，不能重复冲正。"))
    if outcome == "short":
        account, amount = next((account, amount) for account, amount in legs if account.pk == short_account)
        raise ValidationError(_("%(account)s积分不足：现有 %(balance)s 分，本次需要 %(need)s 分。")
                              % {"account": account, "balance": short_balance, "need": -amount})
    figure_cache.records_changed("bank", connection)  # a function call is no INSERT the execute wrapper would see
    after = dict(zip(ids, balances))
    for account, _amount in legs:
        account.balance = after[account.pk]
    txn = Transaction(pk=txn_id, kind=kind, community=community, memo=memo, key=key or None, reverses=reverses, created_by=acting_user,
                      created_at=created)
    txn._state.adding, txn._state.db = False, connection.alias
    return txn


def reverse(*, txn: Transaction, acting_user=None, memo: str = "", key: str | None = None) -> Transaction:
    """The correction of `txn`: the same legs with the opposite sign. A reversal is not reversed
    again, a transaction only once; refused when the points were spent meanwhile."""
    if txn.kind == TransactionKind.REVERSAL:
        raise ValidationError(_("冲正记录不能再冲正。"))
    if Transaction.objects.filter(reverses=txn).exists():
        raise ValidationError(_("该交易已冲正，不能重复冲正。"))
    legs = [(posting.account, -posting.amount) for posting in txn.postings.select_related("account")]
    return transfer(kind=TransactionKind.REVERSAL, community=txn.community, legs=legs, acting_user=acting_user,
                    memo=memo or _("冲正 #%(n)s") % {"n": txn.pk}, key=key, reverses=txn)


# ---- the usual movements ------------------------------------------------------------------------


def earn(*, account: Account, points: int, acting_user=None, memo: str = "", key: str | None = None) -> Transaction:
    """Credit `points` from the community's issuing account."""
    issuer = community_account(community=account.community, kind=AccountKind.ISSUER)
    return transfer(kind=TransactionKind.EARN, community=account.community, legs=[(issuer, -points), (account, points)],
                    acting_user=acting_user, memo=memo, key=key)


def redeem(*, account: Account, at: Account, points: int, acting_user=None, memo: str = "", key: str | None = None) -> Transaction:
    """Spend `points` at a station or a merchant (`at`)."""
    if at.kind not in COUNTER_KINDS:
        raise ValidationError(_("积分只能在驿站、道德联盟商户或公益集市摊位兑换。"))
    return transfer(kind=TransactionKind.REDEEM, community=account.community, legs=[(account, -points), (at, points)],
                    acting_user=acting_user, memo=memo, key=key)


def lapse(*, account: Account, points: int, kind: str = TransactionKind.LAPSE, acting_user=None, memo: str = "", key: str | None = None) -> Transaction:
    """Move `points` to the community's lapsed account (expiry; `kind` PENALTY: cleared for a violation)."""
    lapsed = community_account(community=account.community, kind=AccountKind.LAPSED)
    return transfer(kind=kind, community=account.community, legs=[(account, -points), (lapsed, points)],
                    acting_user=acting_user, memo=memo, key=key)


# ---- checks -------------------------------------------------------------------------------------


def ledger_check(accounts=None) -> list[tuple[Account, int]]:
    """Accounts whose kept balance differs from the sum of their postings, with that sum: two
    queries whatever their number. [] when the ledger is sound."""
    accounts = Account.objects.all() if accounts is None else accounts
    sums: dict[int, int] = defaultdict(int)
    rows = Posting.objects.filter(account__in=accounts).values_list("account_id").annotate(total=Sum("amount")).order_by()
    sums.update(dict(rows))
    return [(account, sums[account.pk]) for account in accounts if account.balance != sums[account.pk]]


def unbalanced_transactions() -> list[int]:
    """Transactions whose postings do not sum to zero (ids): one query. [] when sound."""
    rows = Posting.objects.values("transaction_id").annotate(total=Sum("amount")).exclude(total=0).order_by()
    return [row["transaction_id"] for row in rows]
