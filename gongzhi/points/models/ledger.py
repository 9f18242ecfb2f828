"""The points ledger: every change is an immutable entry (member, rule, amount, date, source,
evidence, who). Corrections are reversing entries; manual entries count once approved.
MemberCycleTotal keeps each member's approved sum per cycle, written in the same transaction as
the entries (checked against them by `gongzhi points_check`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.people.models import PartyMember

from .rules import Rule


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已生效")
    REJECTED = "rejected", _("未通过")


class PointEntry(models.Model):
    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.PROTECT, related_name="point_entries")
    rule = models.ForeignKey(Rule, verbose_name=_("细则条目"), on_delete=models.PROTECT, related_name="entries")
    code = models.SlugField(_("细则代码"), max_length=40, editable=False)  # the rule's, for caps and look-ups across versions
    cycle = models.PositiveSmallIntegerField(_("年度"))
    occurred_on = models.DateField(_("发生日期"))
    quantity = models.DecimalField(_("次数或时长"), max_digits=7, decimal_places=1, default=1)
    amount = models.DecimalField(_("分值"), max_digits=7, decimal_places=1)
    source_kind = models.CharField(_("来源类别"), max_length=20)  # attendance, lecture, training, volunteer, manual, reversal
    source_id = models.CharField(_("来源编号"), max_length=40, blank=True)
    evidence = models.CharField(_("依据"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.APPROVED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reverses = models.OneToOneField("self", verbose_name=_("冲正的记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")

    class Meta:
        verbose_name = pgettext_lazy("singular", "积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["member", "cycle"], name="pointentry_member_cycle"),
            models.Index(fields=["source_kind", "source_id"], name="pointentry_source"),
            models.Index(fields=["status", "cycle"], name="pointentry_status"),
        ]

    def __str__(self):
        return f"{self.member} · {self.rule.name} · {self.amount}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="member__organization__place__path", org="member__organization__path") | scope.q(place="member__person__place__path")


class MemberCycleTotal(models.Model):
    """A member's approved points in a cycle (the sum of their entries, before base and floor)."""

    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.CASCADE, related_name="point_totals")
    cycle = models.PositiveSmallIntegerField(_("年度"))
    total = models.DecimalField(_("加减分合计"), max_digits=8, decimal_places=1, default=0)
    entries = models.PositiveIntegerField(_("记录数"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("singular", "年度积分合计")
        verbose_name_plural = _("年度积分合计")
        constraints = [models.UniqueConstraint(fields=["cycle", "member"], name="membercycletotal_unique")]

    def __str__(self):
        return f"{self.member} · {self.cycle} · {self.total}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="member__organization__place__path", org="member__organization__path") | scope.q(place="member__person__place__path")
