"""民主决策: decision methods as data (四议两公开, 一征三议两公开), decision matters moving through
their method's steps with one record per step, the per-社区 一肩挑 setting, and 居民公约 with their
versions (DOMAIN §7).

A method is an ordered list of `MethodStep`s: who acts, what must be recorded, the threshold
(attendance as a fraction of those due; agreement as a fraction of those due or of those present,
strictly more than it or at least it), whether it may merge with the step before (一肩挑) and what
a failure does (end the matter, or return it to a named step). Fractions are kept as numerator
and denominator so that 2/3 is exact.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel


class Actor(models.TextChoices):
    PARTY_ORG = "party_org", _("党组织")
    COMMITTEES = "committees", _("两委")
    PARTY_CONGRESS = "party_congress", _("党员大会")
    RESIDENTS = "residents", _("居民会议或居民代表会议")
    PUBLIC = "public", _("公开")
    CONSULTATION = "consultation", _("征求意见")


class Basis(models.TextChoices):
    DUE = "due", _("占应到人数")
    PRESENT = "present", _("占实到人数")


class OnFail(models.TextChoices):
    END = "end", _("终止事项")
    RETURN = "return", _("退回指定步骤")


class Publishes(models.TextChoices):
    NONE = "", _("不发布")
    RESOLUTION = "resolution", _("决议公开")
    RESULT = "result", _("实施结果公开")


class DecisionMethod(TimeStampedModel):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("决策方法"), max_length=40)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "决策方法")
        verbose_name_plural = _("决策方法")
        ordering = ["id"]

    def __str__(self):
        return self.name


class MethodStep(TimeStampedModel):
    method = models.ForeignKey(DecisionMethod, verbose_name=pgettext_lazy("singular", "决策方法"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"), validators=[MinValueValidator(1)])
    name = models.CharField(_("步骤名称"), max_length=40)
    actor = models.CharField(_("实施主体"), max_length=20, choices=Actor.choices)
    requires_attendance = models.BooleanField(_("须记录应到/实到"), default=False)
    requires_vote = models.BooleanField(_("须记录表决票数"), default=False)
    requires_minutes = models.BooleanField(_("须记录会议纪要"), default=False)
    requires_signatures = models.BooleanField(_("须上传签字扫描件"), default=False)
    requires_notice_text = models.BooleanField(_("须填写公开内容"), default=False)
    publication_days = models.PositiveSmallIntegerField(_("公开天数"), null=True, blank=True)
    publishes = models.CharField(_("发布到公开栏"), max_length=12, choices=Publishes.choices, blank=True, default="")
    attendance_num = models.PositiveSmallIntegerField(_("到会比例分子"), null=True, blank=True)
    attendance_den = models.PositiveSmallIntegerField(_("到会比例分母"), null=True, blank=True, validators=[MinValueValidator(1)])
    attendance_strict = models.BooleanField(_("到会须超过该比例"), default=False, help_text=_("勾选为“超过”（>），不勾选为“不少于”（≥）"))
    agreement_basis = models.CharField(_("同意票计算基数"), max_length=10, choices=Basis.choices, blank=True, default="")
    agreement_num = models.PositiveSmallIntegerField(_("同意比例分子"), null=True, blank=True)
    agreement_den = models.PositiveSmallIntegerField(_("同意比例分母"), null=True, blank=True, validators=[MinValueValidator(1)])
    agreement_strict = models.BooleanField(_("同意须超过该比例"), default=True, help_text=_("勾选为“超过”（>），不勾选为“不少于”（≥）"))
    may_merge_with_previous = models.BooleanField(_("一肩挑时可与上一步合并"), default=False)
    on_fail = models.CharField(_("未通过时"), max_length=10, choices=OnFail.choices, default=OnFail.END)
    return_to_order = models.PositiveSmallIntegerField(_("退回到第几步"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "决策步骤")
        verbose_name_plural = _("决策步骤")
        ordering = ["method", "order"]
        constraints = [models.UniqueConstraint(fields=["method", "order"], name="decisions_step_order_unique")]

    def __str__(self):
        return f"{self.method.name} · {self.order}. {self.name}"

    def clean(self):
        errors = {}
        if (self.attendance_num is None) != (self.attendance_den is None):
            errors["attendance_den"] = _("到会比例的分子和分母须同时填写或同时留空。")
        elif self.attendance_num is not None and self.attendance_num > self.attendance_den:
            errors["attendance_num"] = _("到会比例不能大于 1。")
        if (self.agreement_num is None) != (self.agreement_den is None):
            errors["agreement_den"] = _("同意比例的分子和分母须同时填写或同时留空。")
        elif self.agreement_num is not None and not self.agreement_basis:
            errors["agreement_basis"] = _("请选择同意票计算基数。")
        if self.on_fail == OnFail.RETURN and (self.return_to_order is None or self.return_to_order >= (self.order or 0)):
            errors["return_to_order"] = _("退回的步骤须在本步骤之前。")
        if self.publishes and not self.publication_days:
            errors["publication_days"] = _("发布到公开栏的步骤须填写公开天数。")
        if errors:
            raise ValidationError(errors)

    @property
    def attendance_fraction(self) -> Fraction | None:
        return Fraction(self.attendance_num, self.attendance_den) if self.attendance_num is not None and self.attendance_den else None

    @property
    def agreement_fraction(self) -> Fraction | None:
        return Fraction(self.agreement_num, self.agreement_den) if self.agreement_num is not None and self.agreement_den else None

    @property
    def has_threshold(self) -> bool:
        return self.attendance_fraction is not None or (self.requires_vote and self.agreement_fraction is not None)

    def threshold_text(self) -> str:
        """The threshold in words: 到会不少于应到人数的2/3；同意超过应到人数的1/2."""
        parts = []
        if self.attendance_fraction is not None:
            parts.append(_("到会%(cmp)s应到人数的%(f)s") % {"cmp": _("超过") if self.attendance_strict else _("不少于"), "f": self.attendance_fraction})
        if self.requires_vote and self.agreement_fraction is not None:
            base = _("实到人数") if self.agreement_basis == Basis.PRESENT else _("应到人数")
            parts.append(_("同意%(cmp)s%(base)s的%(f)s") % {"cmp": _("超过") if self.agreement_strict else _("不少于"), "base": base,
                                                       "f": self.agreement_fraction})
        return "；".join(str(p) for p in parts)


class CommunitySetting(TimeStampedModel):
    """Whether the 社区's party secretary is also the 居委会主任 (一肩挑): a mergeable step may then
    be recorded in one meeting with the step before it."""

    community = models.OneToOneField(Place, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="decision_setting",
                                      limit_choices_to={"level": PlaceLevel.COMMUNITY})
    secretary_is_director = models.BooleanField(_("书记、主任一肩挑"), default=False)
    history = HistoricalRecords(no_db_index=["community"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "社区决策设置")
        verbose_name_plural = _("社区决策设置")

    def __str__(self):
        return str(self.community)

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class MatterStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    PASSED = "passed", _("决议通过")
    ENDED = "ended", _("已办结")
    FAILED = "failed", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


ADOPTED = (MatterStatus.PASSED, MatterStatus.ENDED)


class Matter(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="decision_matters",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    compound = models.ForeignKey(Place, verbose_name=_("小区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": PlaceLevel.COMPOUND})
    title = models.CharField(_("事项名称"), max_length=100)
    description = models.TextField(_("事项内容"), blank=True)
    method = models.ForeignKey(DecisionMethod, verbose_name=pgettext_lazy("singular", "决策方法"), on_delete=models.PROTECT, related_name="matters")
    status = models.CharField(_("状态"), max_length=10, choices=MatterStatus.choices, default=MatterStatus.OPEN, db_index=True)
    current_step = models.ForeignKey(MethodStep, verbose_name=_("下一步骤"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "compound", "method", "current_step", "created_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "决策事项")
        verbose_name_plural = _("决策事项")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="decisions_matter_comm_status")]

    def __str__(self):
        return self.title

    @property
    def adopted(self) -> bool:
        return self.status in ADOPTED

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class Outcome(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class StepRecord(TimeStampedModel):
    """One recorded step of a matter (a step returned to is recorded again: a new row)."""

    matter = models.ForeignKey(Matter, verbose_name=pgettext_lazy("singular", "决策事项"), on_delete=models.CASCADE, related_name="records")
    step = models.ForeignKey(MethodStep, verbose_name=pgettext_lazy("singular", "决策步骤"), on_delete=models.PROTECT, related_name="records")
    held_on = models.DateField(_("日期"))
    due_count = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    present_count = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    signatures = models.FileField(_("签字扫描件"), upload_to="decisions/%Y/%m/", blank=True)
    notice_text = models.TextField(_("公开内容"), blank=True)
    published_from = models.DateField(_("公开开始"), null=True, blank=True)
    published_until = models.DateField(_("公开截止"), null=True, blank=True)
    threshold = models.CharField(_("通过条件"), max_length=200, blank=True, help_text=_("记录时方法规定的条件"))
    merged_with_previous = models.BooleanField(_("与上一步合并召开"), default=False)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    fail_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["matter", "step", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "步骤记录")
        verbose_name_plural = _("步骤记录")
        ordering = ["matter", "id"]

    def __str__(self):
        return f"{self.matter} · {self.step.name}"

    @property
    def attendance_rate(self) -> Fraction | None:
        return Fraction(self.present_count, self.due_count) if self.due_count and self.present_count is not None else None

    @property
    def attendance_percent(self) -> str:
        rate = self.attendance_rate
        return f"{float(rate) * 100:.1f}%" if rate is not None else ""

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="matter__community__path")


class Convention(TimeStampedModel):
    """The 居民公约 of a 社区 (compound empty) or of one of its 小区."""

    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="conventions",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    compound = models.ForeignKey(Place, verbose_name=_("小区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": PlaceLevel.COMPOUND})
    title = models.CharField(_("公约名称"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "compound", "created_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "居民公约")
        verbose_name_plural = _("居民公约")
        ordering = ["community", "compound", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community"], condition=Q(compound__isnull=True), name="decisions_convention_one_per_community"),
            models.UniqueConstraint(fields=["compound"], condition=Q(compound__isnull=False), name="decisions_convention_one_per_compound"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class ConventionVersion(TimeStampedModel):
    """A text of a 公约 adopted through a decision matter; in force once filed (备案) with the
    district; the latest filed version is the current one."""

    convention = models.ForeignKey(Convention, verbose_name=pgettext_lazy("singular", "居民公约"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    text = models.TextField(_("公约全文"))
    matter = models.ForeignKey(Matter, verbose_name=_("通过事项"), on_delete=models.PROTECT, related_name="convention_versions")
    adopted_on = models.DateField(_("通过日期"))
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["convention", "matter", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ["convention", "-number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="decisions_convention_version_unique")]

    def __str__(self):
        return _("%(title)s 第%(n)s版") % {"title": self.convention.title, "n": self.number}

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="convention__community__path")
