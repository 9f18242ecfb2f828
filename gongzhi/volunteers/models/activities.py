"""Volunteer activities with sign-up (capacity, deadline), check-in and check-out."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel

from .registry import Volunteer


class ActivityStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已结束")


class Activity(TimeStampedModel):
    title = models.CharField(_("活动名称"), max_length=100)
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="volunteer_activities",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    organiser = models.ForeignKey(PartyOrganization, verbose_name=_("组织单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_activities")
    location = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("活动内容"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("招募人数"))
    signup_deadline = models.DateTimeField(_("报名截止时间"))
    status = models.CharField(_("状态"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PUBLISHED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_community_start")]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path", org="organiser__path")


class Signup(models.Model):
    """A volunteer signed up for an activity; a cancelled sign-up stays (cancelled_at) and frees
    its place; signing up again makes a new row."""

    activity = models.ForeignKey(Activity, verbose_name=pgettext_lazy("singular", "志愿服务活动"), on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, verbose_name=pgettext_lazy("singular", "志愿者"), on_delete=models.PROTECT, related_name="signups")
    signed_up_at = models.DateTimeField(_("报名时间"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], condition=Q(cancelled_at__isnull=True), name="signup_unique_active")]

    def __str__(self):
        return f"{self.activity} · {self.volunteer}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="activity__community__path", org="activity__organiser__path")
