"""需求清单: residents' needs, their categories (with local overdue rules) and every step they take.

A need goes 登记 → 受理 → 办理中 (directly, or inside a project) → 办结 → 回访; a duplicate is merged
into another need (已合并) and never deleted. The `NeedStep` rows are the who-and-when of every
transition; they are written once and never changed.
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
from gongzhi.people.models import Household, Person


class NeedCategory(models.Model):
    """A kind of need and its time limits [local]: data, loaded with defaults, edited in the admin.
    Both limits count calendar days from the day the need was registered (登记)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    accept_days = models.PositiveSmallIntegerField(_("受理时限（天）"), help_text=_("登记后多少天内应受理"))
    close_days = models.PositiveSmallIntegerField(_("办结时限（天）"), help_text=_("登记后多少天内应办结"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "需求类别")
        verbose_name_plural = _("需求类别")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.close_days is not None and self.accept_days is not None and self.close_days < self.accept_days:
            raise ValidationError({"close_days": _("办结时限不能短于受理时限。")})


class NeedStatus(models.TextChoices):
    # a context of their own: the same words are buttons elsewhere (登记 = Register, 受理 = Accept)
    REGISTERED = "registered", pgettext_lazy("需求状态", "登记")
    ACCEPTED = "accepted", pgettext_lazy("需求状态", "受理")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSED = "closed", pgettext_lazy("需求状态", "办结")
    VISITED = "visited", pgettext_lazy("需求状态", "回访")
    MERGED = "merged", _("已合并")


OPEN_NEED_STATUSES = (NeedStatus.REGISTERED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS)
OPEN_NEED_Q = Q(status__in=OPEN_NEED_STATUSES)


class Channel(models.TextChoices):
    GRID_VISIT = "grid_visit", _("网格员走访")
    PHONE = "phone", _("电话")
    MEETING = "meeting", _("会议")
    HOTLINE = "hotline", _("12345热线转办")
    SELF_REPORT = "self_report", _("居民自报")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIR = "fair", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Need(TimeStampedModel):
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("需求描述"), blank=True)
    category = models.ForeignKey(NeedCategory, verbose_name=pgettext_lazy("singular", "需求类别"), on_delete=models.PROTECT, related_name="needs")
    place = models.ForeignKey(Place, verbose_name=_("地点"), on_delete=models.PROTECT, related_name="needs", help_text=_("社区、小区、楼栋或单元"))
    household = models.ForeignKey(Household, verbose_name=pgettext_lazy("singular", "户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="needs")
    requester = models.ForeignKey(Person, verbose_name=_("求助人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="needs")
    contact_note = models.CharField(_("联系方式备注"), max_length=100, blank=True, help_text=_("求助人不在居民库时：称呼及联系途径（不要填写电话号码或身份证号）"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    source_ref = models.CharField(_("工单编号"), max_length=40, blank=True, help_text=_("如12345热线工单号"))
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.REGISTERED)
    project = models.ForeignKey("needs.Project", verbose_name=pgettext_lazy("singular", "项目"), null=True, blank=True, on_delete=models.SET_NULL, related_name="needs")
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    registered_at = models.DateTimeField(_("登记时间"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    visit_note = models.TextField(_("回访记录"), blank=True)

    history = HistoricalRecords(no_db_index=["category", "place", "household", "requester", "project", "merged_into", "registered_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "需求")
        verbose_name_plural = _("需求")
        ordering = ["-registered_at", "-id"]
        indexes = [
            # The open-items ledger (挂账): open needs oldest first, of the whole district or of a
            # subtree's buildings; partial, so closed needs (most of them) cost nothing there.
            models.Index(fields=["registered_at", "id"], condition=OPEN_NEED_Q, name="need_open_age"),
            models.Index(fields=["place", "registered_at"], condition=OPEN_NEED_Q, name="need_open_place_age"),
            models.Index(fields=["category", "status"], condition=OPEN_NEED_Q, name="need_open_category"),
            # Lists by status (办结 to visit, …) and by place, newest first.
            models.Index(fields=["status", "registered_at"], name="need_status_time"),
            models.Index(fields=["place", "status"], name="need_place_status"),
            # The figures of a period (indicators): registered, closed, visited in [start, end].
            models.Index(fields=["registered_at"], name="need_registered"),
            models.Index(fields=["closed_at"], name="need_closed"),
            models.Index(fields=["visited_at"], name="need_visited"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NEED_STATUSES


class NeedStep(models.Model):
    """One transition of one need: from, to, who, when, note. Immutable."""

    need = models.ForeignKey(Need, verbose_name=pgettext_lazy("singular", "需求"), on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(_("原状态"), max_length=16, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=NeedStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["need", "at", "id"]
        indexes = [models.Index(fields=["need", "at"], name="need_step_time")]

    def __str__(self):
        return f"{self.need} · {self.get_from_status_display() or '—'} → {self.get_to_status_display()}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="need__place__path")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("办理记录写入后不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录不能删除。"))


def need_photo_path(instance, filename):
    """Under the need, with a random name: the original name is kept in `name`."""
    import secrets
    from pathlib import PurePath

    return f"needs/{instance.need_id}/{secrets.token_hex(8)}{PurePath(filename).suffix.lower()}"


class NeedPhoto(models.Model):
    """A photo of a need (before, during, after); served only through a scoped view."""

    need = models.ForeignKey(Need, verbose_name=pgettext_lazy("singular", "需求"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("文件"), upload_to=need_photo_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "需求照片")
        verbose_name_plural = _("需求照片")
        ordering = ["need", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="need__place__path")
