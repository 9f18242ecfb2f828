"""家风 stories and 寄语: recorded by the 社区, published to its notice board (公告) and its public
德治 page. A published story is part of the record: it is no longer edited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.core.uploads import save_with_file
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.org.models import Place
from gongzhi.people.models import Household

from ..models import FamilyStory, StoryKind
from .common import photo_check, require_community

FIELDS = ("kind", "family_name", "title", "text", "collected_on", "household")


def _clean(*, community: Place, kind: str, family_name: str, title: str, text: str, collected_on: dt.date,
           household: Household | None) -> dict:
    values = {"kind": kind, "family_name": clean_text(family_name), "title": clean_text(title), "text": (text or "").strip(),
              "collected_on": collected_on, "household": household}
    errors = {}
    if kind not in StoryKind.values:
        errors["kind"] = _("请选择类型。")
    for field, message in (("family_name", _("请填写家庭称呼。")), ("title", _("请填写标题。")), ("text", _("请填写内容。"))):
        if not values[field]:
            errors[field] = message
    if collected_on is None or collected_on > timezone.localdate():
        errors["collected_on"] = _("征集日期不能晚于今天。")
    if household is not None and not household.place.path.startswith(community.path):
        errors["household"] = _("所选户不在该社区。")
    if errors:
        raise ValidationError(errors)
    return values


def _store(story: FamilyStory, photo) -> FamilyStory:
    if photo is None:
        story.full_clean(exclude=["photo"])
        story.save()
        return story
    ext = photo_check(photo)
    return save_with_file(story, "photo", photo, f"story{ext}")


@transaction.atomic
def story_create(*, scope: Scope, acting_user, community: Place, kind: str, family_name: str, title: str, text: str,
                 collected_on: dt.date, household: Household | None = None, photo=None) -> FamilyStory:
    """Record a 家风 story or 寄语 of a family of `community` (not yet published)."""
    scope.require(require_community(community))
    values = _clean(community=community, kind=kind, family_name=family_name, title=title, text=text, collected_on=collected_on,
                    household=household)
    story = FamilyStory(community=community, recorded_by=acting_user, **values)
    story._history_user = acting_user
    return _store(story, photo)


@transaction.atomic
def story_update(*, scope: Scope, acting_user, story: FamilyStory, kind: str, family_name: str, title: str, text: str,
                 collected_on: dt.date, household: Household | None = None, photo=None) -> FamilyStory:
    """Correct a story before it is published (a new photo replaces the old one)."""
    scope.require(story)
    story = FamilyStory.objects.select_for_update(of=("self",)).select_related("community").get(pk=story.pk)
    if story.is_published:
        raise ValidationError(_("该家风故事已发布，不能再修改。"))
    values = _clean(community=story.community, kind=kind, family_name=family_name, title=title, text=text,
                    collected_on=collected_on, household=household)
    old_photo = story.photo.name if photo is not None and story.photo else ""
    for field, value in values.items():
        setattr(story, field, value)
    story._history_user = acting_user
    story = _store(story, photo)
    if old_photo:
        storage = story.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return story


@transaction.atomic
def story_publish(*, scope: Scope, acting_user, story: FamilyStory, now: dt.datetime | None = None) -> FamilyStory:
    """Publish a story: on the 社区's public 德治 page and, as a 公告, on its notice board (once:
    publishing again changes nothing)."""
    scope.require(story)
    story = FamilyStory.objects.select_for_update(of=("self",)).select_related("community").get(pk=story.pk)
    if story.is_published:
        return story
    story.published_at = now or timezone.now()
    story._history_user = acting_user
    story.save(update_fields=["published_at", "updated_at"])
    title = record_text(gettext_noop("%(kind)s｜%(family)s：%(title)s"), {"kind": story.get_kind_display(), "family": story.family_name,
                                                                            "title": story.title})
    notice_publish(community=story.community, kind=NoticeKind.ANNOUNCEMENT, title=title[:200], body=story.text, source=story,
                   starts_on=timezone.localdate(story.published_at), acting_user=acting_user)
    return story
