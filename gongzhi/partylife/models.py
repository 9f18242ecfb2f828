from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import OrgKind, PartyOrganization
from gongzhi.people.models import PartyMember


class Quorum(models.TextChoices):
    NONE = "", _("不计")
    MEMBERS = "members", _("有表决权的党员过半数")  # 支部党员大会 (《支部工作条例》)


class MeetingType(models.Model):
    """支部党员大会, 支委会, 党小组会, 党课, 主题党日 …: data, loaded with defaults, editable."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_education = models.BooleanField(_("计入党员教育"), default=False, help_text=_("出席即计入党员教育覆盖率"))
    is_lecture = models.BooleanField(_("党课"), default=False, help_text=_("记录授课人及其是否为书记或支委"))
    quorum = models.CharField(_("法定人数"), max_length=16, choices=Quorum.choices, blank=True, default=Quorum.NONE)

    class Meta:
        verbose_name = pgettext_lazy("singular", "会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class FrequencyRule(models.Model):
    """How often an organisation of a kind must hold a type of meeting: at least `times` per
    period; `by_secretary`: given by the organisation's secretary (书记每年至少讲一次党课)."""

    org_kind = models.ForeignKey(OrgKind, verbose_name=_("党组织类别"), on_delete=models.CASCADE, related_name="frequency_rules")
    meeting_type = models.ForeignKey(MeetingType, verbose_name=_("会议类型"), on_delete=models.CASCADE, related_name="frequency_rules")
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    times = models.PositiveSmallIntegerField(_("至少次数"), default=1)
    by_secretary = models.BooleanField(_("须由书记主讲"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("singular", "频次规则")
        verbose_name_plural = _("频次规则")
        ordering = ["org_kind__order", "meeting_type__order", "by_secretary"]
        constraints = [models.UniqueConstraint(fields=["org_kind", "meeting_type", "by_secretary"], name="frequency_rule_unique")]

    def __str__(self):
        who = _("（书记主讲）") if self.by_secretary else ""
        return f"{self.org_kind} · {self.meeting_type}{who} · {self.get_period_display()}{self.times}{_('次')}"


class LecturerRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    COMMITTEE = "committee", _("支委委员")
    MEMBER = "member", _("党员")
    GUEST = "guest", _("外请")


class SignIn(models.TextChoices):
    MANUAL = "manual", _("逐一登记（默认出席）")
    QR = "qr", _("扫码签到（未签到记为缺席）")


class Meeting(TimeStampedModel):
    organization = models.ForeignKey(PartyOrganization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="meetings")
    meeting_type = models.ForeignKey(MeetingType, verbose_name=_("会议类型"), on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    is_online = models.BooleanField(_("线上召开"), default=False)
    host = models.ForeignKey(PartyMember, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    topic = models.CharField(_("主题"), max_length=200)
    minutes = models.TextField(_("会议记录"), blank=True)
    lecturer = models.ForeignKey(PartyMember, verbose_name=_("授课人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lecturer_name = models.CharField(_("授课人（外请）"), max_length=50, blank=True)
    lecturer_role = models.CharField(_("授课人身份"), max_length=16, choices=LecturerRole.choices, blank=True)
    vote_subject = models.CharField(_("表决事项"), max_length=200, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signin = models.CharField(_("签到方式"), max_length=10, choices=SignIn.choices, default=SignIn.MANUAL)
    signin_closed_at = models.DateTimeField(_("签到关闭时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "held_on"], name="meeting_org_date"),
            models.Index(fields=["held_on"], name="meeting_date"),  # recent meetings of a whole scope (warnings)
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.meeting_type} · {self.topic}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="organization__place__path", org="organization__path")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    is_first_topic = models.BooleanField(_("第一议题"), default=False)
    material = models.CharField(_("学习材料"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_unique_order")]

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    """One member due at one meeting (应到), and whether they came."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("出席情况"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT)
    leave_reason = models.CharField(_("请假原因"), max_length=100, blank=True)
    signed_in_at = models.DateTimeField(_("扫码签到时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member")]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="meeting__organization__place__path", org="meeting__organization__path")


class Exemption(TimeStampedModel):
    """A member left out of 应到 for a time, with approval (重病, 出国半年以上 …) [local]."""

    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.CASCADE, related_name="exemptions")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("留空表示至今"))
    reason = models.CharField(_("原因"), max_length=100)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "免于参加组织生活")
        verbose_name_plural = _("免于参加组织生活")
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.member} · {self.reason}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        # as PartyMember's: through the member's organisation, or where the member lives
        return scope.q(place="member__organization__place__path", org="member__organization__path") | scope.q(place="member__person__place__path")


def attachment_path(instance, filename):
    """Under the meeting, with a random name: the original name is kept in `name`."""
    import secrets
    from pathlib import PurePath

    return f"meetings/{instance.meeting_id}/{secrets.token_hex(8)}{PurePath(filename).suffix.lower()}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    SIGN_SHEET = "sign_sheet", _("签到表扫描件")
    MATERIAL = "material", _("会议材料")
    OTHER = "other", _("其他")


class MeetingAttachment(models.Model):
    """A photo, a scanned sign-in sheet or a material of a meeting; served only through a scoped view."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "会议附件")
        verbose_name_plural = _("会议附件")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="meeting__organization__place__path", org="meeting__organization__path")


class MemberLink(models.Model):
    """A member's personal link (and its QR code) to their own page, for members without a login
    (在外党员 send 思想汇报 with it). Only the token's hash is kept; a new link revokes the old."""

    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "党员专属链接")
        verbose_name_plural = _("党员专属链接")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.member} · {self.created_at:%Y-%m-%d}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="member__organization__place__path", org="member__organization__path") | scope.q(place="member__person__place__path")


class ReportKind(models.TextChoices):
    THOUGHT = "thought", _("思想汇报")
    SITUATION = "situation", _("情况汇报")


class AwayReport(models.Model):
    """A 思想汇报 or 情况汇报 a member sends to the branch, usually from away (在外党员)."""

    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("类别"), max_length=16, choices=ReportKind.choices, default=ReportKind.THOUGHT)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    location = models.CharField(_("所在地"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("阅示人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    read_at = models.DateTimeField(_("阅示时间"), null=True, blank=True)
    reply = models.TextField(_("支部回复"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["member", "submitted_at"], name="report_member_time")]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.title}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="member__organization__place__path", org="member__organization__path") | scope.q(place="member__person__place__path")
