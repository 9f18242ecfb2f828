"""Verified volunteer hours, kept as 民政部令第67号《志愿服务记录与证明出具办法》 expects: true,
complete and timely. A ServiceRecord is immutable (who verified it and when stay with it);
a correction is a reversing record (negative hours, `reverses` the original), as in a ledger,
so a volunteer's hours are the plain sum of their records."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.org.models import Place

from .registry import Volunteer


class RecordRules(models.Model):
    """Local rules for recording hours (one row, loaded with defaults, editable in the admin)."""

    verify_within_days = models.PositiveSmallIntegerField(
        _("工时认定时限（天）"), default=30, help_text=_("活动或班次结束后超过此天数认定工时，须填写原因"))
    checkin_tolerance_minutes = models.PositiveSmallIntegerField(
        _("签到签退容差（分钟）"), default=30, help_text=_("签到、签退时间可早于开始或晚于结束的分钟数"))

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务记录规则")
        verbose_name_plural = _("志愿服务记录规则")

    def __str__(self):
        return str(_("志愿服务记录规则"))

    @classmethod
    def current(cls) -> "RecordRules":
        """The row in use (the defaults, unsaved, when a flushed test database has none)."""
        return cls.objects.order_by("pk").first() or cls()


class ServiceSource(models.TextChoices):
    ACTIVITY = "activity", pgettext_lazy("singular", "志愿服务活动")
    SHIFT = "shift", pgettext_lazy("singular", "班次")


class ServiceRecord(models.Model):
    volunteer = models.ForeignKey(Volunteer, verbose_name=pgettext_lazy("singular", "志愿者"), on_delete=models.PROTECT, related_name="service_records")
    community = models.ForeignKey(Place, verbose_name=_("服务社区"), on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=1)
    source = models.CharField(_("来源"), max_length=10, choices=ServiceSource.choices)
    source_id = models.PositiveIntegerField(_("来源编号"))
    description = models.CharField(_("服务内容"), max_length=200)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True, help_text=_("逾期认定或冲正的原因"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("认定时间"))
    reverses = models.OneToOneField("self", verbose_name=_("冲正的记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-served_on", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "served_on"], name="servicerecord_volunteer_date"),
            models.Index(fields=["community", "served_on"], name="servicerecord_community_date"),
            models.Index(fields=["source", "source_id"], name="servicerecord_source"),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.served_on:%Y-%m-%d} · {self.hours}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("志愿服务记录一经认定不可修改；如有错误，请冲正后重新认定。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("志愿服务记录不可删除；如有错误，请冲正。"))
