"""The 道德银行's rules, kept as data (DOMAIN §6: local practice): what a good deed is worth, how
long 公示 lasts, the points per volunteer hour and per kilogram of sorted garbage, the caps, when
points lapse and how long a violation bars redemption.

Each rule is read for a community: its own row when it has one, else the district-wide row
(community empty) loaded by the migration.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel


class ScoredBy(models.TextChoices):
    PERSON = "person", _("按人计分")
    HOUSEHOLD = "household", _("按户计分")


class BankPolicy(TimeStampedModel):
    community = models.OneToOneField(Place, verbose_name=_("社区"), null=True, blank=True, on_delete=models.CASCADE, related_name="bank_policy",
                                      limit_choices_to={"level": PlaceLevel.COMMUNITY}, help_text=_("留空为全区默认规则"))
    scored_by = models.CharField(_("计分单位"), max_length=10, choices=ScoredBy.choices, default=ScoredBy.PERSON)
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=7, validators=[MinValueValidator(1)])
    volunteer_points_per_hour = models.DecimalField(_("志愿服务每小时积分"), max_digits=5, decimal_places=1, default=Decimal("2"))
    volunteer_monthly_cap = models.PositiveIntegerField(_("志愿服务每月积分上限"), default=40, help_text=_("0 表示不设上限"))
    garbage_daily_cap = models.PositiveIntegerField(_("垃圾分类每日积分上限"), default=5, help_text=_("0 表示不设上限"))
    expiry_months = models.PositiveSmallIntegerField(_("积分有效期（月）"), default=24, validators=[MinValueValidator(1)],
                                                     help_text=_("年底清理时，获得已满该月数且未使用的积分失效"))
    penalty_bar_days = models.PositiveSmallIntegerField(_("违规停兑天数"), default=365)
    code_ttl_seconds = models.PositiveSmallIntegerField(_("兑换码有效秒数"), default=180, validators=[MinValueValidator(30)])

    class Meta:
        verbose_name = pgettext_lazy("singular", "积分规则")
        verbose_name_plural = _("积分规则")

    def __str__(self):
        return str(_("%(where)s积分规则") % {"where": self.community or _("全区")})

    def clean(self):
        if self.community_id is None and BankPolicy.objects.filter(community__isnull=True).exclude(pk=self.pk).exists():
            raise ValidationError({"community": _("全区默认规则只能有一条。")})

    @classmethod
    def for_community(cls, community: Place) -> "BankPolicy":
        rows = {p.community_id: p for p in cls.objects.filter(Q(community=community) | Q(community__isnull=True))}
        return rows.get(community.pk) or rows.get(None) or cls()

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class DeedCategory(TimeStampedModel):
    """A kind of good deed and the points a 道德评议会 may award for it (5-20 by kind in the seed's practice)."""

    community = models.ForeignKey(Place, verbose_name=_("社区"), null=True, blank=True, on_delete=models.CASCADE, related_name="deed_categories",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY}, help_text=_("留空为全区通用"))
    name = models.CharField(_("善行类别"), max_length=40)
    min_points = models.PositiveSmallIntegerField(_("最低分"), validators=[MinValueValidator(1)])
    max_points = models.PositiveSmallIntegerField(_("最高分"), validators=[MinValueValidator(1)])
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "善行类别")
        verbose_name_plural = _("善行类别")
        ordering = ["min_points", "name"]
        constraints = [models.CheckConstraint(condition=Q(max_points__gte=models.F("min_points")), name="bank_deed_category_range")]

    def __str__(self):
        return _("%(name)s（%(low)s-%(high)s分）") % {"name": self.name, "low": self.min_points, "high": self.max_points}

    def clean(self):
        if self.min_points and self.max_points and self.max_points < self.min_points:
            raise ValidationError({"max_points": _("最高分不能低于最低分。")})

    @classmethod
    def for_community(cls, community: Place):
        return cls.objects.filter(Q(community=community) | Q(community__isnull=True), active=True)


class GarbageKind(models.TextChoices):
    KITCHEN = "kitchen", _("厨余垃圾")
    RECYCLABLE = "recyclable", _("可回收物")
    HAZARDOUS = "hazardous", _("有害垃圾")
    OTHER = "other", _("其他垃圾")


class GarbageRate(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("社区"), null=True, blank=True, on_delete=models.CASCADE, related_name="garbage_rates",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY}, help_text=_("留空为全区默认"))
    kind = models.CharField(_("垃圾类别"), max_length=12, choices=GarbageKind.choices)
    points_per_kg = models.DecimalField(_("每公斤积分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = pgettext_lazy("singular", "垃圾分类积分标准")
        verbose_name_plural = _("垃圾分类积分标准")
        constraints = [
            models.UniqueConstraint(fields=["community", "kind"], condition=Q(community__isnull=False), name="bank_garbage_rate_once"),
            models.UniqueConstraint(fields=["kind"], condition=Q(community__isnull=True), name="bank_garbage_rate_default_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points_per_kg}分/公斤"

    @classmethod
    def for_community(cls, community: Place) -> dict[str, Decimal]:
        rates: dict[str, Decimal] = {}
        for row in cls.objects.filter(Q(community=community) | Q(community__isnull=True)).order_by("community_id"):
            if row.community_id is not None or row.kind not in rates:
                rates[row.kind] = row.points_per_kg
        return rates
