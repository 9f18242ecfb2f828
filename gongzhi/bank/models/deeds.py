"""Good deeds (善行义举) on their way to points, and violations that clear them.

A deed is logged by the community or reported by a resident; the 道德评议会 reviews it and, when it
approves, sets the points within its category's range; the approved deed is publicised (公示) for
the community's number of days, during which anyone may object; only a deed whose 公示 ended with
no objection standing is credited. An objection halts the 公示 until the council decides it:
upheld, the deed is rejected; dismissed, the 公示 runs on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Household, Person

from .ledger import Account, Transaction
from .rules import DeedCategory


class DeedStatus(models.TextChoices):
    REPORTED = "reported", _("待评议")
    PUBLICISED = "publicised", _("公示中")
    OBJECTED = "objected", _("有异议")
    CREDITED = "credited", _("已入账")
    REJECTED = "rejected", _("未通过")


class Deed(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="deeds",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    person = models.ForeignKey(Person, verbose_name=pgettext_lazy("singular", "居民"), on_delete=models.PROTECT, related_name="deeds")
    household = models.ForeignKey(Household, verbose_name=pgettext_lazy("singular", "户"), null=True, blank=True, on_delete=models.PROTECT, related_name="deeds")
    category = models.ForeignKey(DeedCategory, verbose_name=_("善行类别"), on_delete=models.PROTECT, related_name="deeds")
    description = models.CharField(_("事迹"), max_length=300)
    occurred_on = models.DateField(_("发生日期"))
    reported_by = models.CharField(_("报送人"), max_length=50, help_text=_("社区登记或居民报送者姓名"))
    status = models.CharField(_("状态"), max_length=12, choices=DeedStatus.choices, default=DeedStatus.REPORTED, db_index=True)
    points = models.PositiveSmallIntegerField(_("评议分值"), null=True, blank=True)
    reviewed_on = models.DateField(_("评议日期"), null=True, blank=True)
    reviewers = models.CharField(_("评议会成员"), max_length=200, blank=True)
    review_note = models.CharField(_("评议意见"), max_length=300, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True, db_index=True)
    account = models.ForeignKey(Account, verbose_name=pgettext_lazy("singular", "积分账户"), null=True, blank=True, on_delete=models.PROTECT, related_name="deeds")
    transaction = models.OneToOneField(Transaction, verbose_name=pgettext_lazy("singular", "积分交易"), null=True, blank=True, on_delete=models.PROTECT, related_name="deed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "person", "household", "category", "account", "transaction", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "善行记录")
        verbose_name_plural = _("善行记录")
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.person} · {self.category.name} · {self.occurred_on}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class DeedObjection(TimeStampedModel):
    deed = models.ForeignKey(Deed, verbose_name=pgettext_lazy("singular", "善行记录"), on_delete=models.CASCADE, related_name="objections")
    raised_by = models.CharField(_("异议人"), max_length=50)
    reason = models.CharField(_("异议内容"), max_length=300)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    resolution = models.CharField(_("处理意见"), max_length=300, blank=True)
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.deed} · {self.raised_by}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="deed__community__path")


class Violation(TimeStampedModel):
    """A recorded violation (虚报、骗取积分 …): the account's balance is cleared and it may not redeem
    until `barred_until`."""

    account = models.ForeignKey(Account, verbose_name=pgettext_lazy("singular", "积分账户"), on_delete=models.PROTECT, related_name="violations")
    description = models.CharField(_("违规情形"), max_length=300)
    recorded_on = models.DateField(_("认定日期"))
    barred_until = models.DateField(_("停止兑换至"))
    transaction = models.OneToOneField(Transaction, verbose_name=pgettext_lazy("singular", "积分交易"), null=True, blank=True, on_delete=models.PROTECT, related_name="violation")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "违规记录")
        verbose_name_plural = _("违规记录")
        ordering = ["-recorded_on", "-id"]

    def __str__(self):
        return f"{self.account} · {self.recorded_on}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="account__community__path")
