"""家风 stories: recorded, photo checked by content, published to the board and the public page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongzhi.culture import services
from gongzhi.culture.models import FamilyStory
from gongzhi.notices.models import Notice

from .factories import story

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8"
       b"\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def _create(world, scope_of, **kw):
    return services.story_create(scope=scope_of(world.shequ1), acting_user=world.shequ1, community=world.C1, kind="motto", family_name="张家",
                                 title="家和万事兴", text="孝敬父母，和睦邻里。", collected_on=timezone.localdate(), **kw)


def test_a_story_with_a_photo_is_published_once_to_the_board(world, scope_of):
    s = _create(world, scope_of, household=world.H1, photo=SimpleUploadedFile("家.png", PNG, content_type="image/png"))
    assert s.photo.name.endswith(".png") and "家" not in s.photo.name
    services.story_publish(scope=scope_of(world.shequ1), acting_user=world.shequ1, story=s)
    services.story_publish(scope=scope_of(world.shequ1), acting_user=world.shequ1, story=s)
    notice = Notice.objects.get()
    assert (notice.kind, notice.community, notice.title) == ("announcement", world.C1, "家风寄语｜张家：家和万事兴")
    with pytest.raises(ValidationError, match="已发布"):
        services.story_update(scope=scope_of(world.shequ1), acting_user=world.shequ1, story=s, kind="story", family_name="张家",
                              title="改", text="改", collected_on=timezone.localdate())


def test_a_photo_is_judged_by_its_content(world, scope_of):
    with pytest.raises(ValidationError, match="不是照片"):
        _create(world, scope_of, photo=SimpleUploadedFile("假.png", b"MZ not an image", content_type="image/png"))
    assert not FamilyStory.objects.exists()


def test_a_household_of_another_community_is_refused(world, scope_of):
    with pytest.raises(ValidationError, match="所选户不在该社区"):
        _create(world, scope_of, household=world.H3)


def test_only_published_stories_are_public(client, world):
    draft, shown = story(world.C1, title="草稿"), story(world.C1, title="勤俭持家", published=True, household=world.H1)
    home = client.get(reverse("culture:public", args=[world.C1.pk])).content.decode()
    assert "勤俭持家" in home and "草稿" not in home
    assert client.get(reverse("culture:public_story", args=[world.C1.pk, draft.pk])).status_code == 404
    page = client.get(reverse("culture:public_story", args=[world.C1.pk, shown.pk])).content.decode()
    assert "王家三代人" in page and "1-101" not in page  # the linked household is never public
    assert client.get(reverse("culture:public_story", args=[world.C2.pk, shown.pk])).status_code == 404


def test_the_story_pages(client, world):
    client.force_login(world.shequ1)
    r = client.post(reverse("culture:story_new"), {"community": world.C1.pk, "kind": "story", "family_name": "李家", "title": "红色家风",
                                                   "collected_on": f"{timezone.localdate():%Y-%m-%d}", "text": "爷爷是老党员。", "household": ""})
    s = FamilyStory.objects.get()
    assert r.status_code == 302 and r.url == reverse("culture:story", args=[s.pk])
    assert "红色家风" in client.get(reverse("culture:stories")).content.decode()
    r = client.post(reverse("culture:story", args=[s.pk]), {"action": "publish"}, follow=True)
    assert "已发布到社区公开栏" in r.content.decode()
    assert client.get(reverse("culture:story_edit", args=[s.pk])).status_code == 302
