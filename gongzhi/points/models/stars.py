"""五星支部: criteria sets as data (indicators with their maximum points and where Gongzhi can
fill them from, star thresholds, extra conditions, expected shares), and a yearly evaluation per
branch whose indicator scores show their source and any adjustment with its evidence."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import PartyOrganization


class StarScheme(TimeStampedModel):
    """A criteria set (评定标准), e.g. 8 indicators worth 110 points [local]."""

    name = models.CharField(_("名称"), max_length=100)
    is_active = models.BooleanField(_("当前使用"), default=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)

    class Meta:
        verbose_name = pgettext_lazy("singular", "星级评定标准")
        verbose_name_plural = _("星级评定标准")
        ordering = ["-is_active", "name"]

    def __str__(self):
        return self.name


class IndicatorSource(models.TextChoices):
    NONE = "", _("评定人填写")
    COMPLIANCE = "compliance", _("三会一课落实率")
    ATTENDANCE = "attendance", _("参会率")
    EDUCATION = "education", _("党员教育覆盖率")
    POINTS = "points", _("党员平均积分")


class StarIndicator(models.Model):
    scheme = models.ForeignKey(StarScheme, verbose_name=_("评定标准"), on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("指标"), max_length=100)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=1)
    source = models.CharField(_("数据来源"), max_length=16, choices=IndicatorSource.choices, blank=True, default=IndicatorSource.NONE,
                              help_text=_("有来源的指标按比例自动计分：率×满分；平均积分按 平均分÷100×满分"))
    description = models.CharField(_("评分说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "评定指标")
        verbose_name_plural = _("评定指标")
        ordering = ["scheme", "order", "id"]

    def __str__(self):
        return f"{self.name}（{self.max_points}）"


class StarLevel(models.Model):
    scheme = models.ForeignKey(StarScheme, verbose_name=_("评定标准"), on_delete=models.CASCADE, related_name="levels")
    stars = models.PositiveSmallIntegerField(_("星级"))
    min_score = models.DecimalField(_("最低分"), max_digits=6, decimal_places=1)
    needs_innovation = models.BooleanField(_("须有创新项目"), default=False)
    expected_share = models.DecimalField(_("预期占比"), max_digits=4, decimal_places=3, null=True, blank=True,
                                         help_text=_("如 0.10 表示约10%的支部；实际明显偏离时提示"))

    class Meta:
        verbose_name = pgettext_lazy("singular", "星级标准")
        verbose_name_plural = _("星级标准")
        ordering = ["scheme", "-stars"]
        constraints = [models.UniqueConstraint(fields=["scheme", "stars"], name="starlevel_unique")]

    def __str__(self):
        return f"{'★' * self.stars} ≥ {self.min_score}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("评定中")
    PUBLISHED = "published", _("已公布")


class StarEvaluation(TimeStampedModel):
    """A branch's yearly rating."""

    organization = models.ForeignKey(PartyOrganization, verbose_name=pgettext_lazy("singular", "党组织"), on_delete=models.PROTECT, related_name="star_evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    scheme = models.ForeignKey(StarScheme, verbose_name=_("评定标准"), on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(_("状态"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=Decimal("0"))
    stars = models.PositiveSmallIntegerField(_("星级"), default=0)
    innovation_project = models.CharField(_("创新项目"), max_length=200, blank=True)
    is_model_site = models.BooleanField(_("市级标杆式示范点"), default=False)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评定人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-year", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="starevaluation_unique")]
        indexes = [models.Index(fields=["year", "status"], name="starevaluation_year")]

    def __str__(self):
        return f"{self.organization} · {self.year} · {self.stars}★"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="organization__place__path", org="organization__path")


class IndicatorScore(models.Model):
    evaluation = models.ForeignKey(StarEvaluation, verbose_name=_("评定"), on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(StarIndicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    auto_value = models.DecimalField(_("系统计算值"), max_digits=8, decimal_places=4, null=True, blank=True)
    auto_points = models.DecimalField(_("系统计分"), max_digits=6, decimal_places=1, null=True, blank=True)
    source_note = models.CharField(_("数据来源说明"), max_length=200, blank=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, default=Decimal("0"))
    evidence = models.CharField(_("调整依据"), max_length=200, blank=True)
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["evaluation", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="indicatorscore_unique")]

    def __str__(self):
        return f"{self.indicator.name}: {self.points}"
