"""The district's two trees: places (区 → 街道 → 社区 → 小区 → 楼栋 → 单元) and party organisations.

Both are materialised-path trees (django-treebeard MP_Node) whose `path` column sorts byte by
byte, so a subtree is one index range (gongzhi.core.fields.prefix_q), never recursion.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from gongzhi.core.fields import BinaryCharField, prefix_q
from gongzhi.core.models import TimeStampedModel


class PlaceLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    COMPOUND = "compound", pgettext_lazy("singular", "小区")
    BUILDING = "building", pgettext_lazy("singular", "楼栋")
    UNIT = "unit", pgettext_lazy("singular", "单元")


# Which level may sit under which: the administrative geography, the same in every district.
# (A 楼栋 may stand directly in a 社区 when it belongs to no 小区: 散居楼栋.)
PLACE_PARENTS = {
    PlaceLevel.DISTRICT: (None,),
    PlaceLevel.STREET: (PlaceLevel.DISTRICT,),
    PlaceLevel.COMMUNITY: (PlaceLevel.STREET,),
    PlaceLevel.COMPOUND: (PlaceLevel.COMMUNITY,),
    PlaceLevel.BUILDING: (PlaceLevel.COMPOUND, PlaceLevel.COMMUNITY),
    PlaceLevel.UNIT: (PlaceLevel.BUILDING,),
}
PLACE_CODE_LENGTHS = {PlaceLevel.DISTRICT: (6,), PlaceLevel.STREET: (9, 12), PlaceLevel.COMMUNITY: (12,)}


class Place(MP_Node, TimeStampedModel):
    path = BinaryCharField(max_length=255, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=PlaceLevel.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("区划代码"), max_length=12, blank=True, help_text=_("区：6位GB/T 2260代码；街道、社区：12位统计用区划代码"))
    # 小区
    property_manager = models.CharField(_("物业服务企业"), max_length=100, blank=True)
    competent_department = models.CharField(_("主管部门"), max_length=100, blank=True)
    has_self_organisation = models.BooleanField(_("有居民自治组织"), default=False, help_text=_("如业主委员会、自管小组"))
    # 楼栋
    units = models.PositiveSmallIntegerField(_("单元数"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    grid = models.ForeignKey("Grid", verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.SET_NULL, related_name="buildings")
    # Records directly attached to this node, recounted from the records by the services that
    # change them (gongzhi.people.services.place_counts_refresh); subtree totals sum these.
    resident_count = models.PositiveIntegerField(_("居民数"), default=0, editable=False)
    household_count = models.PositiveIntegerField(_("户数"), default=0, editable=False)
    member_count = models.PositiveIntegerField(_("党员数"), default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["resident_count", "household_count", "member_count", "path", "depth", "numchild"])

    node_order_by = None

    class Meta:
        verbose_name = pgettext_lazy("singular", "区划/地点")
        verbose_name_plural = _("区划/地点")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="path")

    def subtree_q(self, field: str = "path") -> Q:
        return prefix_q(field, self.path)

    @property
    def is_three_no(self) -> bool:
        """三无小区: no property management, no competent department, no residents' self-organisation."""
        return (
            self.level == PlaceLevel.COMPOUND
            and not self.property_manager
            and not self.competent_department
            and not self.has_self_organisation
        )

    def clean(self):
        if self.code and not self.code.isdigit():
            raise ValidationError({"code": _("区划代码只能由数字组成。")})
        lengths = PLACE_CODE_LENGTHS.get(self.level)
        if self.code and lengths and len(self.code) not in lengths:
            digits = _("或").join(map(str, lengths))
            raise ValidationError({"code": _("%(level)s的区划代码应为%(digits)s位数字。") % {"level": self.get_level_display(), "digits": digits}})


THREE_NO_Q = Q(level=PlaceLevel.COMPOUND, property_manager="", competent_department="", has_self_organisation=False)


class Grid(TimeStampedModel):
    """综合网格: a coded set of buildings inside exactly one 社区 (300-500 households in cities)."""

    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="grids", limit_choices_to={"level": PlaceLevel.COMMUNITY})
    code = models.CharField(_("网格编码"), max_length=32, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path", grid="pk")


class OrgKind(models.Model):
    """A kind of party organisation and where it may stand: data, editable per district.

    The four-level system (基层党委 → 社区党委 → 小区党支部 → 楼栋党小组) comes from the seed report
    and 两新 organisations differ between districts, so the level rules live here, loaded with
    defaults by a migration.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    allowed_parents = models.ManyToManyField("self", symmetrical=False, blank=True, verbose_name=_("可隶属于"), related_name="allowed_children")
    is_top = models.BooleanField(_("可作为顶层组织"), default=False)
    place_level = models.CharField(_("所在区划层级"), max_length=16, choices=PlaceLevel.choices, blank=True)
    covers_compounds = models.BooleanField(_("计入小区党组织覆盖"), default=False, help_text=_("此类组织所覆盖的小区计为“已建党组织”"))
    is_new_sector = models.BooleanField(_("两新组织党组织"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("singular", "党组织类别")
        verbose_name_plural = _("党组织类别")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class PartyOrganization(MP_Node, TimeStampedModel):
    path = BinaryCharField(max_length=255, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(OrgKind, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="organizations")
    place = models.ForeignKey(Place, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="organizations", help_text=_("组织所在的街道、社区或小区"))
    covers = models.ManyToManyField(Place, verbose_name=_("覆盖小区"), blank=True, related_name="covering_organizations", help_text=_("覆盖多个小区即为联合建"))
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    secretary_name = models.CharField(_("书记"), max_length=50, blank=True)
    member_count = models.PositiveIntegerField(_("党员数"), default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["member_count", "path", "depth", "numchild"])

    node_order_by = None

    class Meta:
        verbose_name = pgettext_lazy("singular", "党组织")
        verbose_name_plural = _("党组织")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path", org="path")

    def subtree_q(self, field: str = "path") -> Q:
        return prefix_q(field, self.path)


class NewSector(models.Model):
    """两新 sectors tracked for 两个覆盖 (商务楼宇, 商圈市场, 互联网企业, 律师行业, …): data."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("singular", "两新领域")
        verbose_name_plural = _("两新领域")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class NewOrganization(TimeStampedModel):
    """A 两新 organisation (enterprise, building, market, firm) and its two coverages."""

    name = models.CharField(_("名称"), max_length=100)
    sector = models.ForeignKey(NewSector, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="organizations")
    place = models.ForeignKey(Place, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="new_organizations")
    party_org = models.ForeignKey(PartyOrganization, verbose_name=pgettext_lazy("singular", "党组织"), null=True, blank=True, on_delete=models.SET_NULL, related_name="new_organizations", help_text=_("单独或联合建立的党组织；有则计入组织覆盖"))
    has_party_work = models.BooleanField(_("已开展党的工作"), default=False, help_text=_("如派驻党建指导员；有党组织的自动计入工作覆盖"))
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "两新组织")
        verbose_name_plural = _("两新组织")
        ordering = ["sector__order", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path", org="party_org__path")
