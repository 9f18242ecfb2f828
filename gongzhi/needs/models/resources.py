"""资源清单: what the community has to meet its needs — people and their skills (人、才), things
(物: rooms, venues, equipment), funds (资金) and the commitments of 驻区单位 — and which of them are
committed to which project. Found by door-to-door survey (地毯式摸底).

The matcher's local rules are data as well: which skills and kinds of resource fit which need
category (`MatchRule`), and the weights and time window it works with (`MatchingRules`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place
from gongzhi.people.models import Person
from gongzhi.volunteers.models import Skill, Volunteer

from .needs import NeedCategory
from .projects import Project


class ResourceKind(models.TextChoices):
    PERSON = "person", pgettext_lazy("resource kind", "人")
    TALENT = "talent", pgettext_lazy("resource kind", "才")
    THING = "thing", pgettext_lazy("resource kind", "物")
    FUND = "fund", _("资金")
    UNIT = "unit", _("驻区单位")


PEOPLE_KINDS = (ResourceKind.PERSON, ResourceKind.TALENT)


class Resource(TimeStampedModel):
    """One entry of the resources list. 人 and 才 are people (才 always with at least one skill);
    物 is a room, a venue or equipment (`quantity`: seats, pieces); 资金 has an `amount`; a 驻区单位
    entry says what the unit committed and until when."""

    name = models.CharField(_("名称"), max_length=100, help_text=_("人员姓名、场地或物品名称、资金名目或单位名称"))
    kind = models.CharField(_("资源类型"), max_length=10, choices=ResourceKind.choices)
    place = models.ForeignKey(Place, verbose_name=_("所在地点"), on_delete=models.PROTECT, related_name="resources",
                              help_text=_("社区、小区、楼栋或单元：匹配时按地点远近排序"))
    person = models.ForeignKey(Person, verbose_name=pgettext_lazy("singular", "居民"), null=True, blank=True, on_delete=models.SET_NULL, related_name="resources")
    volunteer = models.ForeignKey(Volunteer, verbose_name=pgettext_lazy("singular", "志愿者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="resources")
    skills = models.ManyToManyField(Skill, verbose_name=_("技能"), blank=True, related_name="resources")
    quantity = models.PositiveIntegerField(_("数量/容量"), null=True, blank=True, help_text=_("如场地可容纳人数、设备件数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit_name = models.CharField(_("驻区单位名称"), max_length=100, blank=True)
    commitment = models.TextField(_("承诺内容"), blank=True, help_text=_("驻区单位承诺提供的资源或服务"))
    committed_until = models.DateField(_("承诺截止日期"), null=True, blank=True)
    available = models.BooleanField(_("当前可用"), default=True)
    availability_note = models.CharField(_("可用时间说明"), max_length=100, blank=True, help_text=_("如：周末、工作日晚上"))
    contact_note = models.CharField(_("联系方式备注"), max_length=100, blank=True,
                                    help_text=_("联系人及联系途径说明，如“经社区居委会联系”；不要填写完整电话号码"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    history = HistoricalRecords(no_db_index=["place", "person", "volunteer", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "资源")
        verbose_name_plural = _("资源")
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["place", "kind"], name="resource_place_kind")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path")

    @property
    def is_people(self) -> bool:
        return self.kind in PEOPLE_KINDS


class ProjectResource(models.Model):
    """A resource committed to a project: what and how much, from when. A resource's load is the
    number of open projects it is committed to."""

    project = models.ForeignKey(Project, verbose_name=pgettext_lazy("singular", "项目"), on_delete=models.CASCADE, related_name="committed_resources")
    resource = models.ForeignKey(Resource, verbose_name=pgettext_lazy("singular", "资源"), on_delete=models.PROTECT, related_name="commitments")
    note = models.CharField(_("投入内容"), max_length=200, help_text=_("投入什么、多少，如“每周六上午维修服务”“活动室2次”"))
    committed_on = models.DateField(_("投入日期"))
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(no_db_index=["project", "resource", "committed_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "项目资源")
        verbose_name_plural = _("项目资源")
        ordering = ["project", "committed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "resource"], name="project_resource_unique")]

    def __str__(self):
        return f"{self.project} · {self.resource}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="project__place__path", org="project__organization__path")


class MatchRule(models.Model):
    """[local] One fit between a need category and a skill or a kind of resource (设施维修 → 电工,
    水暖, 物): data, loaded with defaults, edited in the admin."""

    category = models.ForeignKey(NeedCategory, verbose_name=pgettext_lazy("singular", "需求类别"), on_delete=models.CASCADE, related_name="match_rules")
    skill = models.ForeignKey(Skill, verbose_name=_("对口技能"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("对口资源类型"), max_length=10, choices=ResourceKind.choices, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "匹配规则")
        verbose_name_plural = _("匹配规则")
        ordering = ["category", "id"]
        constraints = [
            models.CheckConstraint(condition=(Q(skill__isnull=False) & Q(kind="")) | (Q(skill__isnull=True) & ~Q(kind="")),
                                   name="match_rule_skill_or_kind"),
            models.UniqueConstraint(fields=["category", "skill", "kind"], name="match_rule_unique"),
        ]

    def __str__(self):
        return f"{self.category} → {self.skill or self.get_kind_display()}"

    def clean(self):
        if bool(self.skill_id) == bool(self.kind):
            raise ValidationError({"skill": _("每条匹配规则只填对口技能或对口资源类型中的一项。")})


class MatchingRules(models.Model):
    """[local] The matcher's weights and the window for grouping similar needs: one row, loaded
    with defaults. A candidate's score is the sum of its parts, each shown with its reason."""

    fit_points = models.PositiveSmallIntegerField(_("技能/类型对口得分"), default=40)
    same_building_points = models.PositiveSmallIntegerField(_("同一楼栋得分"), default=30)
    same_compound_points = models.PositiveSmallIntegerField(_("同一小区得分"), default=20)
    same_community_points = models.PositiveSmallIntegerField(_("同一社区得分"), default=10)
    same_street_points = models.PositiveSmallIntegerField(_("同一街道得分"), default=5)
    unavailable_penalty = models.PositiveSmallIntegerField(_("暂不可用扣分"), default=30)
    load_penalty = models.PositiveSmallIntegerField(_("每个在办项目扣分"), default=5)
    similar_within_days = models.PositiveSmallIntegerField(_("相似需求登记间隔（天）"), default=30,
                                                           help_text=_("同类、同小区或同社区的未办结需求，登记时间相差不超过此天数时建议合并立项"))
    min_group_size = models.PositiveSmallIntegerField(_("建议立项的最少需求数"), default=2)

    class Meta:
        verbose_name = pgettext_lazy("singular", "匹配参数")
        verbose_name_plural = _("匹配参数")

    def __str__(self):
        return str(_("匹配参数"))

    @classmethod
    def current(cls) -> "MatchingRules":
        return cls.objects.order_by("pk").first() or cls()
