"""考核细则: a rule set per scope, versioned. A change is a new version effective from a date;
entries keep the rule (and so the version) they were scored under."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import PartyOrganization
from gongzhi.partylife.models import MeetingType


class RuleSet(TimeStampedModel):
    """The rules for the members of an organisation's subtree (the nearest one up the tree
    applies); the one without an organisation is the district's default."""

    name = models.CharField(_("名称"), max_length=100)
    organization = models.OneToOneField(PartyOrganization, verbose_name=_("适用党组织"), null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="point_ruleset", help_text=_("留空为全区默认；其下各级党组织的党员适用，除非下级另有细则"))
    cycle_start_month = models.PositiveSmallIntegerField(_("周期起始月份"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)],
                                                         help_text=_("积分每年从该月1日起重新计算"))

    class Meta:
        verbose_name = pgettext_lazy("singular", "积分考核细则")
        verbose_name_plural = _("积分考核细则")
        ordering = ["organization__path", "id"]
        constraints = [models.UniqueConstraint(fields=["organization"], condition=Q(organization__isnull=True), name="ruleset_one_default")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="organization__place__path", org="organization__path")


class RuleVersion(models.Model):
    ruleset = models.ForeignKey(RuleSet, verbose_name=_("细则"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    effective_from = models.DateField(_("生效日期"))
    base_score = models.DecimalField(_("基础分"), max_digits=6, decimal_places=1, default=Decimal("60"))
    floor = models.DecimalField(_("最低分"), max_digits=6, decimal_places=1, default=Decimal("0"))
    excellent_min = models.DecimalField(_("优秀（不低于）"), max_digits=6, decimal_places=1, default=Decimal("90"))
    pass_min = models.DecimalField(_("合格（不低于）"), max_digits=6, decimal_places=1, default=Decimal("70"))
    basic_min = models.DecimalField(_("基本合格（不低于）"), max_digits=6, decimal_places=1, default=Decimal("60"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修订人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "细则版本")
        verbose_name_plural = _("细则版本")
        ordering = ["ruleset", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "number"], name="ruleversion_number"),
            models.UniqueConstraint(fields=["ruleset", "effective_from"], name="ruleversion_date"),
        ]

    def __str__(self):
        return f"{self.ruleset} · 第{self.number}版（{self.effective_from:%Y-%m-%d}起）"


class RuleSource(models.TextChoices):
    MANUAL = "manual", _("人工录入（须审核）")
    ATTEND = "attend", _("参加会议（自动）")
    ABSENT = "absent", _("无故缺席（自动）")
    LECTURE = "lecture", _("讲授党课（自动）")
    TRAINING = "training", _("培训学时（自动）")
    VOLUNTEER = "volunteer", _("志愿服务时长（自动）")
    PROJECT = "project", _("参与项目销号（自动）")


class Rule(models.Model):
    """One line of the rules: `points` per occurrence (or per hour), signed; at most `cap` in
    absolute value per member and cycle (counted within the rule's code)."""

    version = models.ForeignKey(RuleVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("代码"), max_length=40, help_text=_("各版本中同一条细则用同一代码"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    category = models.CharField(_("类别"), max_length=20, help_text=_("如：组织生活、学习教育、作用发挥、遵规守纪"))
    name = models.CharField(_("名称"), max_length=100)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1, help_text=_("加分为正，扣分为负；按时长计的为每小时分值"))
    source = models.CharField(_("来源"), max_length=16, choices=RuleSource.choices, default=RuleSource.MANUAL)
    meeting_types = models.ManyToManyField(MeetingType, verbose_name=_("会议类型"), blank=True, related_name="+",
                                           help_text=_("参加会议、无故缺席：留空为全部会议类型"))
    cap = models.DecimalField(_("每周期上限"), max_digits=6, decimal_places=1, null=True, blank=True, help_text=_("本条每年累计加（扣）分的上限，留空不限"))

    class Meta:
        verbose_name = pgettext_lazy("singular", "积分细则条目")
        verbose_name_plural = _("积分细则条目")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rule_code_per_version")]

    def __str__(self):
        sign = "+" if self.points > 0 else ""
        return f"{self.name}（{sign}{self.points}）"
