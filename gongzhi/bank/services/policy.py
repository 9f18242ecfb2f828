"""The 道德银行's policy applied: violations clear a balance and bar redemption, points lapse at year
end once older than the community's number of months, verified volunteer hours earn points at the
community's rate up to its monthly cap."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core import events
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.org.models import Place, PlaceLevel

from ..models import HOLDER_KINDS, Account, BankPolicy, Posting, Transaction, TransactionKind, Violation
from .accounts import holder_account
from .ledger import earn, lapse, reverse

log = logging.getLogger(__name__)


@transaction.atomic
def violation_record(*, scope: Scope, acting_user, account: Account, description: str, recorded_on: dt.date | None = None) -> Violation:
    """A violation found (虚报、骗取积分 …): the whole balance goes to the lapsed account (违规清零)
    and the account may not redeem for the community's number of days."""
    scope.require(account)
    description = clean_text(description)
    if not description:
        raise ValidationError({"description": _("请填写违规情形。")})
    if account.kind not in HOLDER_KINDS:
        raise ValidationError(_("只有居民或家庭账户会因违规清零。"))
    recorded_on = recorded_on or timezone.localdate()
    account = Account.objects.select_for_update().get(pk=account.pk)
    days = BankPolicy.for_community(account.community).penalty_bar_days
    txn = None
    if account.balance > 0:
        txn = lapse(account=account, points=account.balance, kind=TransactionKind.PENALTY, acting_user=acting_user,
                    memo=record_text(gettext_noop("违规清零：%(what)s"), {"what": description[:150]}))
    return Violation.objects.create(account=account, description=description, recorded_on=recorded_on,
                                    barred_until=recorded_on + dt.timedelta(days=days), transaction=txn, recorded_by=acting_user)


POLICY_FIELDS = ("scored_by", "publicity_days", "volunteer_points_per_hour", "volunteer_monthly_cap", "garbage_daily_cap", "expiry_months",
                 "penalty_bar_days", "code_ttl_seconds")


@transaction.atomic
def policy_save(*, scope: Scope, acting_user, community: Place, **values) -> BankPolicy:
    """A 社区's own rules (its BankPolicy row, opened from the district default the first time):
    `values` are the fields of POLICY_FIELDS to set; the rest keep what is in force."""
    scope.require(community)
    if community.level != PlaceLevel.COMMUNITY:
        raise ValidationError(_("只能为社区设置本社区规则。"))
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"not policy fields: {sorted(unknown)}")
    policy = BankPolicy.objects.select_for_update().filter(community=community).first()
    if policy is None:
        in_force = BankPolicy.for_community(community)
        policy = BankPolicy(community=community, **{name: getattr(in_force, name) for name in POLICY_FIELDS})
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy


def _months_before(first: dt.date, months: int) -> dt.date:
    """The first of the month `months` before `first` (itself a first of a month)."""
    index = first.year * 12 + first.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def expiring(*, community: Place, year: int) -> dict[int, int]:
    """Points of each holder account that lapse at the end of `year`: first in, first out — what
    was credited before the cut-off (year end less the community's months) and has not been
    spent since by any debit. Two grouped queries."""
    months = BankPolicy.for_community(community).expiry_months
    year_end = dt.date(year, 12, 31)
    cutoff = _months_before(year_end + dt.timedelta(days=1), months)
    cutoff_at = dt.datetime.combine(cutoff, dt.time.min, tzinfo=timezone.get_current_timezone())
    postings = Posting.objects.filter(account__community=community, account__kind__in=HOLDER_KINDS)
    old = dict(postings.filter(amount__gt=0, transaction__created_at__lt=cutoff_at).values_list("account_id").annotate(n=Sum("amount")).order_by())
    spent = dict(postings.filter(amount__lt=0).values_list("account_id").annotate(n=Sum("amount")).order_by())
    balances = dict(Account.objects.filter(pk__in=old).values_list("pk", "balance"))
    due = {pk: min(balances[pk], credit + spent.get(pk, 0)) for pk, credit in old.items()}
    return {pk: n for pk, n in due.items() if n > 0}


def year_end_lapse(*, community: Place, year: int, acting_user=None) -> int:
    """Run the year-end expiry for `community` (after 31 December of `year`): one LAPSE transaction
    per account (key lapse:<account>:<year>, so a second run does nothing). Returns the points lapsed."""
    if timezone.localdate() <= dt.date(year, 12, 31):
        raise ValidationError(_("%(year)s年的积分到期清理须在年底之后进行。") % {"year": year})
    total = 0
    for pk, points in expiring(community=community, year=year).items():
        key = f"lapse:{pk}:{year}"
        if Transaction.objects.filter(key=key).exists():
            continue
        account = Account.objects.get(pk=pk)
        lapse(account=account, points=points, acting_user=acting_user, key=key,
              memo=record_text(gettext_noop("%(year)s年底到期失效（获得满%(months)s个月未使用）"), {"year": year, "months": BankPolicy.for_community(community).expiry_months}))
        total += points
    return total


# ---- volunteer hours → points -------------------------------------------------------------------


def volunteer_points(hours: Decimal, rate: Decimal) -> int:
    return int((hours * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def volunteer_credit(record) -> Transaction | None:
    """Credit one verified ServiceRecord (key vol:<id>) at its community's rate, cut to what the
    month's cap leaves; a reversal record takes back what its original earned (key vol-rev:<id>)."""
    if record.reverses_id is not None:
        return _volunteer_take_back(record)
    key = f"vol:{record.pk}"
    if Transaction.objects.filter(key=key).exists():
        return None
    policy = BankPolicy.for_community(record.community)
    points = volunteer_points(record.hours, policy.volunteer_points_per_hour)
    account = holder_account(person=record.volunteer.person, community=record.community)
    if policy.volunteer_monthly_cap:
        first = timezone.localdate().replace(day=1)  # the cap counts what was credited this calendar month
        so_far = (Posting.objects.filter(account=account, amount__gt=0, transaction__key__startswith="vol:",
                                         transaction__reversed_by__isnull=True, transaction__created_at__date__gte=first)
                  .aggregate(n=Sum("amount"))["n"] or 0)
        points = max(0, min(points, policy.volunteer_monthly_cap - so_far))
    if points <= 0:
        return None
    memo = record_text(gettext_noop("志愿服务 %(hours)s 小时：%(what)s"), {"hours": record.hours, "what": record.description[:120]})
    return earn(account=account, points=points, memo=memo, key=key, acting_user=record.verified_by)


def _volunteer_take_back(record) -> Transaction | None:
    original = Transaction.objects.filter(key=f"vol:{record.reverses_id}", reversed_by__isnull=True).first()
    if original is None:
        return None
    try:
        return reverse(txn=original, key=f"vol-rev:{record.pk}", acting_user=record.verified_by,
                       memo=record_text(gettext_noop("志愿服务工时冲正：%(reason)s"), {"reason": record.reason[:150]}))
    except ValidationError:  # the points were spent meanwhile: the worker settles it by hand
        log.warning("volunteer record %s reversed but its points were spent; not taken back", record.reverses_id)
        return None


def volunteer_sync(*, start: dt.date, end: dt.date) -> int:
    """Credit every verified record served in [start, end] not yet credited: the handler of
    records.changed (after the volunteers module commits), safe to run again."""
    from gongzhi.volunteers.models import ServiceRecord  # the bank sits above volunteers: it reads, never writes

    credited = set(Transaction.objects.filter(Q(key__startswith="vol:") | Q(key__startswith="vol-rev:"),
                                              created_at__date__gte=start - dt.timedelta(days=366)).values_list("key", flat=True))
    count = 0
    records = ServiceRecord.objects.filter(served_on__range=(start, end)).select_related("volunteer__person", "community").order_by("id")
    for record in records:
        key = f"vol-rev:{record.pk}" if record.reverses_id else f"vol:{record.pk}"
        if key not in credited:
            count += volunteer_credit(record) is not None
    return count


def _records_changed(*, kinds=None, start: dt.date, end: dt.date, **_payload):
    if kinds is None or "volunteer" in kinds:
        volunteer_sync(start=start, end=end)


events.subscribe("records.changed", _records_changed)
