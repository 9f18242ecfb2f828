"""Alert rules (问题和不足) as data: which indicator, read by which units (its breakdown), tripping
below or above which threshold. Defaults by migration 0002 [local]: 参会率 under 80%, 教育覆盖率
under 95%, 三会一课落实率 under 100%, 小区 without a party organisation, needs overdue. The report
writes its 问题和不足 from the rules that trip and its 意见建议 from their suggestions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.indicators import get


class Comparison(models.TextChoices):
    BELOW = "lt", _("低于")
    ABOVE = "gt", _("高于")


class AlertRule(models.Model):
    name = models.CharField(_("问题名称"), max_length=60, help_text=_("如：参会率低于80%"))
    indicator = models.CharField(_("指标代码"), max_length=60, help_text=_("指标登记表中的代码，如 partylife.attendance；须有分项（按党组织或地点）"))
    comparison = models.CharField(_("比较"), max_length=2, choices=Comparison.choices, default=Comparison.BELOW)
    threshold = models.DecimalField(_("阈值"), max_digits=10, decimal_places=1, help_text=_("比率按百分数填写，如 80 表示 80%"))
    problem = models.CharField(_("问题表述"), max_length=200, help_text=_("写入报告“问题和不足”，如：部分党组织党员参与组织活动不足"))
    suggestion = models.TextField(_("意见建议"), blank=True, help_text=_("写入报告“意见建议”"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "问题预警规则")
        verbose_name_plural = _("问题预警规则")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def trips(self, value) -> bool:
        """Whether a compared value (a rate in percent) trips this rule; an undefined one never does."""
        if value is None:
            return False
        return value < self.threshold if self.comparison == Comparison.BELOW else value > self.threshold

    @property
    def indicator_definition(self):
        try:
            return get(self.indicator)
        except KeyError:
            return None
