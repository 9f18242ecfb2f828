"""The 道德银行 ledger: double entry, in whole points (1 point buys 1 yuan of goods, never cash).

An `Account` holds points: a resident's or a household's, a station's (爱心超市) or a merchant's
(what was redeemed there, until settled), and two per community — its issuing account (points
come from there: its balance is minus the points in circulation) and its lapsed account (expired
and cleared points go there). A `Transaction` moves points between accounts by its `Posting`s,
which sum to zero; an account's `balance` is the sum of its postings, kept in the same database
transaction and checked against them (`services.ledger_check`). No account but an issuing one may
go below zero (a database constraint, whatever the code above does). Transactions and postings
are never changed or deleted: a correction is a reversing transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.org.models import Place
from gongzhi.people.models import Household, Person


class AccountKind(models.TextChoices):
    ISSUER = "issuer", _("发行账户")
    LAPSED = "lapsed", _("失效积分账户")
    RESIDENT = "resident", _("居民账户")
    HOUSEHOLD = "household", _("家庭账户")
    STATION = "station", _("驿站账户")
    MERCHANT = "merchant", _("商户账户")
    STALL = "stall", _("集市摊位账户")


COMMUNITY_KINDS = (AccountKind.ISSUER, AccountKind.LAPSED)  # one of each per community
HOLDER_KINDS = (AccountKind.RESIDENT, AccountKind.HOUSEHOLD)  # a resident's or a household's points
COUNTER_KINDS = (AccountKind.STATION, AccountKind.MERCHANT, AccountKind.STALL)  # what was redeemed there


class Account(models.Model):
    kind = models.CharField(_("账户类别"), max_length=10, choices=AccountKind.choices)
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="bank_accounts")
    person = models.ForeignKey(Person, verbose_name=_("居民"), null=True, blank=True, on_delete=models.PROTECT, related_name="bank_accounts")
    household = models.ForeignKey(Household, verbose_name=_("家庭"), null=True, blank=True, on_delete=models.PROTECT, related_name="bank_accounts")
    name = models.CharField(_("名称"), max_length=100, blank=True)  # a station's or a merchant's
    balance = models.BigIntegerField(_("余额（分）"), default=0, editable=False)
    opened_at = models.DateTimeField(_("开户时间"), auto_now_add=True)
    # The resident's 积分卡 link (/bank/card/<token>/): balance, statement and the redemption code
    # on the phone without a login; reissued (a new token) when a phone is lost.
    card_token = models.CharField(_("积分卡链接"), max_length=43, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("singular", "积分账户")
        verbose_name_plural = _("积分账户")
        constraints = [
            models.CheckConstraint(condition=Q(kind=AccountKind.ISSUER) | Q(balance__gte=0), name="bank_account_not_negative"),
            models.UniqueConstraint(fields=["community", "kind"], condition=Q(kind__in=COMMUNITY_KINDS), name="bank_account_one_per_community"),
            models.UniqueConstraint(fields=["kind", "person"], condition=Q(person__isnull=False), name="bank_account_one_per_person"),
            models.UniqueConstraint(fields=["kind", "household"], condition=Q(household__isnull=False), name="bank_account_one_per_household"),
        ]

    def __str__(self):
        holder = self.person or self.household or self.name or self.community
        return f"{self.get_kind_display()} · {holder}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class TransactionKind(models.TextChoices):
    EARN = "earn", _("获得积分")
    REDEEM = "redeem", _("兑换")
    LAPSE = "lapse", _("到期失效")
    PENALTY = "penalty", _("违规清零")
    SETTLE = "settle", _("商户结算")
    REVERSAL = "reversal", _("冲正")


class Immutable(models.Model):
    """Written once: saving an existing row or deleting one is refused (corrections reverse)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} is never changed: reverse it instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is never deleted: reverse it instead")


class Transaction(Immutable):
    kind = models.CharField(_("类别"), max_length=10, choices=TransactionKind.choices)
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="bank_transactions")
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    # A terminal's retry of the same request carries the same key: it gets the first transaction back.
    key = models.CharField(_("幂等键"), max_length=64, null=True, blank=True, unique=True)
    reverses = models.OneToOneField("self", verbose_name=_("冲正的交易"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "积分交易")
        verbose_name_plural = _("积分交易")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class Posting(Immutable):
    transaction = models.ForeignKey(Transaction, verbose_name=pgettext_lazy("singular", "积分交易"), on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, verbose_name=pgettext_lazy("singular", "积分账户"), on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField(_("分值"))  # credited to the account when positive, debited when negative

    class Meta:
        verbose_name = pgettext_lazy("singular", "记账分录")
        verbose_name_plural = _("记账分录")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="bank_posting_not_zero")]
        indexes = [models.Index(fields=["account", "transaction"], name="bank_posting_account")]

    def __str__(self):
        return f"{self.account} {self.amount:+d}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="account__community__path")
