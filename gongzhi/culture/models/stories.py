"""家风 stories (家风故事) and mottoes (家风寄语) a 社区 collects; published ones go on the notice
board and on the 社区's public 德治 page."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Household


class StoryKind(models.TextChoices):
    STORY = "story", _("家风故事")
    MOTTO = "motto", _("家风寄语")


def story_photo_path(instance, filename):
    """Under the 社区, with a random name (the original name is never kept)."""
    return f"culture/{instance.community_id}/{secrets.token_hex(8)}{PurePath(filename).suffix.lower()}"


class FamilyStory(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="family_stories",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    kind = models.CharField(_("类型"), max_length=8, choices=StoryKind.choices, default=StoryKind.STORY)
    household = models.ForeignKey(Household, verbose_name=pgettext_lazy("singular", "户"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="family_stories")
    family_name = models.CharField(_("家庭"), max_length=40, help_text=_("公开显示的家庭称呼，如“王家”“李大妈一家”"))
    title = models.CharField(_("标题"), max_length=80)
    text = models.TextField(_("内容"), max_length=5000)
    photo = models.FileField(_("照片"), upload_to=story_photo_path, max_length=200, blank=True)
    collected_on = models.DateField(_("征集日期"), db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "household", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "家风故事")
        verbose_name_plural = _("家风故事")
        ordering = ["-collected_on", "-id"]

    def __str__(self):
        return f"{self.family_name} · {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")
