"""Duty posts (党员先锋岗, 值守点) and their shift rosters. An emergency mobilisation is posts and
shifts with people assigned and entries logged (ShiftLog)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel

from .registry import Volunteer


class PostKind(models.TextChoices):
    PIONEER = "pioneer", _("党员先锋岗")
    DUTY = "duty", _("值守点")


class Post(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=PostKind.choices, default=PostKind.DUTY)
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="volunteer_posts",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    place = models.ForeignKey(Place, verbose_name=_("地点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text=_("社区内的小区或楼栋，可不填"))
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "岗位")
        verbose_name_plural = _("岗位")
        ordering = ["community_id", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class Shift(TimeStampedModel):
    post = models.ForeignKey(Post, verbose_name=pgettext_lazy("singular", "岗位"), on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("人数"), default=1)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["post", "starts_at"], name="shift_post_start")]

    def __str__(self):
        return f"{self.post} · {self.starts_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="post__community__path")


class ShiftAssignment(models.Model):
    """A volunteer on a shift's roster, with the times they came and went."""

    shift = models.ForeignKey(Shift, verbose_name=pgettext_lazy("singular", "班次"), on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(Volunteer, verbose_name=pgettext_lazy("singular", "志愿者"), on_delete=models.PROTECT, related_name="shift_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("排班人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("排班时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "排班")
        verbose_name_plural = _("排班")
        ordering = ["shift", "id"]
        constraints = [models.UniqueConstraint(fields=["shift", "volunteer"], name="shiftassignment_unique")]

    def __str__(self):
        return f"{self.shift} · {self.volunteer}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="shift__post__community__path")


class ShiftLog(models.Model):
    """An entry logged during a shift (值守记录): what happened, when, who wrote it."""

    shift = models.ForeignKey(Shift, verbose_name=pgettext_lazy("singular", "班次"), on_delete=models.CASCADE, related_name="logs")
    logged_at = models.DateTimeField(_("时间"))
    text = models.TextField(_("内容"))
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "值守记录")
        verbose_name_plural = _("值守记录")
        ordering = ["shift", "logged_at", "id"]

    def __str__(self):
        return f"{self.shift} · {self.logged_at:%H:%M}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="shift__post__community__path")
