"""Publicity records (宣传): how many banners, boards, leaflets, WeChat posts … a 社区 made, on
which topic and when — the counts the seed's report quotes. The kinds are data (defaults by
migration: 横幅 条, 展板 个, 宣传手册 份, 宣传单 份, 微信推文 条, 宣讲活动 场)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel


class PublicityKind(TimeStampedModel):
    code = models.SlugField(_("代码"), max_length=20, unique=True, help_text=_("默认类别的代码，统计指标按它读取"))
    name = models.CharField(_("宣传形式"), max_length=20)
    unit = models.CharField(_("计量单位"), max_length=4, default="个")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "宣传形式")
        verbose_name_plural = _("宣传形式")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class PublicityRecord(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="publicity_records",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    kind = models.ForeignKey(PublicityKind, verbose_name=_("宣传形式"), on_delete=models.PROTECT, related_name="records")
    count = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    made_on = models.DateField(_("日期"), db_index=True)
    topic = models.CharField(_("主题"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "kind", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "宣传记录")
        verbose_name_plural = _("宣传记录")
        ordering = ["-made_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="culture_publicity_count_positive")]

    def __str__(self):
        return f"{self.kind.name} {self.count}{self.kind.unit} · {self.topic}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")
