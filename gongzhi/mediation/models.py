"""Mediation (第三调解室, 人民调解法 2010; DOMAIN §7).

Categories (the NBS list) and tiers (调解志愿者 → 社区调解员 → 社区法官, ordered by `rank`; a case
escalates only upward) are data loaded by migration 0002, as is the one row of `MediationRules`
(30 days to finish, the 30-day 司法确认 window, warn N days before the due date).

A case is received (登记) in a 社区 with its parties, is assigned to a mediator of its tier
(`Assignment`, one row per assignment or escalation, so the history of who handled it stays),
has sessions with their 笔录, ends in an agreement (the 调解协议书), a failure or a withdrawal, and
after an agreement gets 回访 records on performance. Who may read the details of a case: see
`selectors.visible_q`.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel

PII_FIELDS = ["phone_enc"]


class Category(models.Model):
    """纠纷类别 (NBS: 婚姻家庭, 房屋宅基地, 邻里, 损害赔偿, 生产经营, 其他)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("纠纷类别"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "纠纷类别")
        verbose_name_plural = _("纠纷类别")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Tier(models.Model):
    """调解层级 of the 第三调解室: a higher `rank` handles larger disputes; escalation goes up only."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("调解层级"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("层级顺序"), unique=True, help_text=_("数字越大层级越高，案件只能向更高层级升级"))
    handles = models.CharField(_("受理范围"), max_length=100, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解层级")
        verbose_name_plural = _("调解层级")
        ordering = ["rank"]

    def __str__(self):
        return self.name


class MediationRules(models.Model):
    """Local rules (one row, defaults by migration, editable in the admin)."""

    due_days = models.PositiveSmallIntegerField(_("办结期限（天）"), default=30, validators=[MinValueValidator(1)],
                                                help_text=_("人民调解一般在一个月内调结：自受理之日起算"))
    confirm_days = models.PositiveSmallIntegerField(_("司法确认申请期限（天）"), default=30, validators=[MinValueValidator(1)],
                                                    help_text=_("调解协议生效之日起，双方可在此期限内共同向人民法院申请司法确认"))
    warn_days = models.PositiveSmallIntegerField(_("临期提醒（天）"), default=5,
                                                 help_text=_("距办结期限不足此天数的未结案件标为临期"))

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解规则")
        verbose_name_plural = _("调解规则")

    def __str__(self):
        return str(_("调解规则"))

    @classmethod
    def current(cls) -> "MediationRules":
        """The row in use (the defaults, unsaved, when a flushed test database has none)."""
        return cls.objects.order_by("pk").first() or cls()


class Mediator(TimeStampedModel):
    """A mediator of a 社区 at one tier: often not staff (a volunteer, a 社区法官 from the court);
    `user`, when set, lets them log in and handle their own cases without any role grant."""

    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="mediators",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    name = models.CharField(_("姓名"), max_length=30)
    tier = models.ForeignKey(Tier, verbose_name=_("调解层级"), on_delete=models.PROTECT, related_name="mediators")
    phone_enc = models.TextField(_("手机号码（加密）"), blank=True, editable=False)
    phone_mask = models.CharField(_("手机号码"), max_length=20, blank=True)
    organisation = models.CharField(_("工作单位"), max_length=60, blank=True, help_text=_("如：区人民法院、社区居委会、退休教师"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="mediator_profiles")
    is_active = models.BooleanField(_("在岗"), default=True)

    history = HistoricalRecords(excluded_fields=PII_FIELDS)

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解员")
        verbose_name_plural = _("调解员")
        ordering = ["community_id", "tier__rank", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name", "tier"], name="mediation_mediator_unique")]

    def __str__(self):
        return f"{self.name}（{self.tier}）"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class Source(models.TextChoices):
    PARTY = "party", _("当事人申请")
    REFERRAL = "referral", _("有关部门移交")
    GRID = "grid", _("网格员排查发现")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("待分派")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("调解成功")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", pgettext_lazy("case status", "撤回")


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.MEDIATING)
CLOSED_STATUSES = (CaseStatus.AGREED, CaseStatus.FAILED, CaseStatus.WITHDRAWN)


class Case(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="mediation_cases",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    category = models.ForeignKey(Category, verbose_name=_("纠纷类别"), on_delete=models.PROTECT, related_name="cases")
    tier = models.ForeignKey(Tier, verbose_name=_("调解层级"), on_delete=models.PROTECT, related_name="cases")
    mediator = models.ForeignKey(Mediator, verbose_name=_("调解员"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    source = models.CharField(_("案件来源"), max_length=10, choices=Source.choices)
    referred_by = models.CharField(_("移交或发现人"), max_length=60, blank=True)
    description = models.TextField(_("纠纷简要情况"))
    address = models.CharField(_("纠纷发生地"), max_length=100, blank=True)
    received_on = models.DateField(_("受理日期"))
    due_on = models.DateField(_("办结期限"))
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    intake_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+")
    # the 调解协议书 (人民调解法 第二十九条)
    facts = models.TextField(_("主要事实和争议事项"), blank=True)
    terms = models.TextField(_("达成协议的内容"), blank=True)
    performance = models.TextField(_("履行方式"), blank=True)
    perform_by = models.DateField(_("履行期限"), null=True, blank=True)
    confirm_until = models.DateField(_("司法确认申请截止日"), null=True, blank=True)
    confirm_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["community", "year", "seq"], name="mediation_case_number")]
        indexes = [models.Index(fields=["status", "due_on"], name="mediation_case_open_due")]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"（{self.year}）调字第{self.seq}号"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, today: dt.date) -> bool:
        return self.is_open and today > self.due_on

    def warned_on(self, today: dt.date, warn_days: int) -> bool:
        return self.is_open and not self.overdue_on(today) and (self.due_on - today).days <= warn_days

    def confirmation_state(self, today: dt.date) -> str:
        """The 司法确认 window: "" (no agreement), "applied", "open" (until confirm_until) or "expired"."""
        if self.status != CaseStatus.AGREED or self.confirm_until is None:
            return ""
        if self.confirm_applied_on:
            return "applied"
        return "open" if today <= self.confirm_until else "expired"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class CaseParty(models.Model):
    case = models.ForeignKey(Case, verbose_name=pgettext_lazy("singular", "调解案件"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("当事人身份"), max_length=10, choices=PartyRole.choices)
    name = models.CharField(_("姓名或名称"), max_length=60)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)
    phone_enc = models.TextField(_("手机号码（加密）"), blank=True, editable=False)
    phone_mask = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住所"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords(excluded_fields=PII_FIELDS)

    class Meta:
        verbose_name = pgettext_lazy("singular", "当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case_id", "order", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="case__community__path")


class AssignmentKind(models.TextChoices):
    ASSIGN = "assign", _("分派")
    ESCALATE = "escalate", _("升级")


class Assignment(models.Model):
    """Who handled the case when: each assignment or escalation, never changed afterwards."""

    case = models.ForeignKey(Case, verbose_name=pgettext_lazy("singular", "调解案件"), on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(_("类型"), max_length=10, choices=AssignmentKind.choices)
    from_tier = models.ForeignKey(Tier, verbose_name=_("原层级"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey(Tier, verbose_name=_("调解层级"), on_delete=models.PROTECT, related_name="+")
    mediator = models.ForeignKey(Mediator, verbose_name=_("调解员"), null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "分派记录")
        verbose_name_plural = _("分派记录")
        ordering = ["case_id", "at", "id"]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="case__community__path")


def session_file_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mediation/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Session(models.Model):
    """One mediation session and its 笔录."""

    case = models.ForeignKey(Case, verbose_name=pgettext_lazy("singular", "调解案件"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("调解地点"), max_length=60)
    attendees = models.CharField(_("参加人员"), max_length=200)
    record = models.TextField(_("调解笔录"))
    mediator = models.ForeignKey(Mediator, verbose_name=_("主持调解员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("笔录扫描件"), upload_to=session_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("文件名"), max_length=120, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解笔录")
        verbose_name_plural = _("调解笔录")
        ordering = ["case_id", "held_on", "id"]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="case__community__path")


class Performance(models.TextChoices):
    PERFORMED = "performed", _("已履行")
    PARTLY = "partly", _("部分履行")
    NOT = "not", _("未履行")


class FollowUp(models.Model):
    """回访 on the performance of an agreement."""

    case = models.ForeignKey(Case, verbose_name=pgettext_lazy("singular", "调解案件"), on_delete=models.CASCADE, related_name="followups")
    visited_on = models.DateField(_("回访日期"))
    performance = models.CharField(_("履行情况"), max_length=10, choices=Performance.choices)
    note = models.CharField(_("回访情况"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["case_id", "visited_on", "id"]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="case__community__path")
