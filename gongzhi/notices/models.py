"""The notice board (公开栏) of a 社区: what it made public, for how long, and that it did.

Every module publishes here through `services.notice_publish`: resolutions and implementation
results of decision matters (两公开), 公示 of other modules (道德银行 credits, star ratings …),
居民公约, honours, lecture announcements and the community's own announcements. A notice is never
deleted: taking one down early is a withdrawal with its reason, and the history rows keep who
published and changed what, when. The public board shows a notice from its first day to its last
(`ends_on`; none = until withdrawn); after that it stays in the board's archive.
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place


class NoticeKind(models.TextChoices):
    RESOLUTION = "resolution", _("决议公开")
    RESULT = "result", _("实施结果公开")
    PUBLICITY = "publicity", _("公示")
    CONVENTION = "convention", _("居民公约")
    ANNOUNCEMENT = "announcement", _("公告")
    HONOUR = "honour", _("表彰")
    LECTURE = "lecture", _("法治讲座")


class NoticeState(models.TextChoices):
    """Where a notice stands on a given day (computed, not stored)."""

    UPCOMING = "upcoming", _("待发布")
    CURRENT = "current", _("公开中")
    ENDED = "ended", _("已到期")
    WITHDRAWN = "withdrawn", _("已撤下")


class Notice(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="notices")
    compound = models.ForeignKey(Place, verbose_name=_("小区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    starts_on = models.DateField(_("公开日期"))
    ends_on = models.DateField(_("公开截止日期"), null=True, blank=True, help_text=_("不填则一直公开，直到撤下。"))
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤下人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdraw_reason = models.CharField(_("撤下原因"), max_length=200, blank=True)

    history = HistoricalRecords(no_db_index=["community", "compound", "source_type", "published_by", "withdrawn_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "公开事项")
        verbose_name_plural = _("公开栏")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # the board of one 社区, newest first (current, archive and kind filters read it in order)
            models.Index(fields=["community", "-starts_on", "-id"], name="notice_board"),
            models.Index(fields=["community", "kind", "-starts_on", "-id"], name="notice_board_kind"),
        ]
        constraints = [
            # one notice of a kind per record: publishing it again is the same notice
            models.UniqueConstraint(fields=["source_type", "source_id", "kind"], condition=Q(source_id__isnull=False),
                                    name="notice_once_per_source"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="notice_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")

    def state_on(self, day: dt.date) -> str:
        if self.withdrawn_at:
            return NoticeState.WITHDRAWN
        if day < self.starts_on:
            return NoticeState.UPCOMING
        if self.ends_on and day > self.ends_on:
            return NoticeState.ENDED
        return NoticeState.CURRENT


def state_q(state: str, day: dt.date) -> Q:
    """Notices in `state` on `day`, as a filter (the same rule as `Notice.state_on`)."""
    live = Q(withdrawn_at__isnull=True)
    return {
        NoticeState.WITHDRAWN: Q(withdrawn_at__isnull=False),
        NoticeState.UPCOMING: live & Q(starts_on__gt=day),
        NoticeState.CURRENT: live & Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day)),
        NoticeState.ENDED: live & Q(ends_on__lt=day),
    }[state]
