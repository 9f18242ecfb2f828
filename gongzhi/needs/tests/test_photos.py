"""Photos of a need on hand-made cases: types judged by content (a renamed file is refused, a
photo with a wrong extension is stored as what it is), the size limit, several at once with an
error naming each refused file, the served bytes, delete only while open, another community's
photo 404 everywhere, and no file left behind."""

import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongzhi.core.uploads import image_type
from gongzhi.needs import photo_services, services
from gongzhi.needs.models import NeedPhoto
from gongzhi.needs.tests.factories import days_ago, need


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (red) PNG: browsers draw it, so the page's thumbnail can be looked at."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xd0\x2a\x2a" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 30
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


@pytest.fixture
def w(world, scope_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.s1, world.s2 = scope_of(world.shequ1), scope_of(world.shequ2)
    world.n1 = need(world.s1, world.shequ1, title="1号楼楼道灯不亮", place=world.B1, registered_at=days_ago(3))
    world.n2 = need(world.s2, world.shequ2, title="和平里路灯坏", place=world.B3, registered_at=days_ago(3))
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def _upload(client, need, *files, follow=True):
    return client.post(reverse("needs:photo_upload", args=[need.pk]), {"photos": list(files)}, follow=follow)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_type_is_read_from_the_content():
    assert image_type(JPEG) == ".jpg"
    assert image_type(png()) == ".png"
    assert image_type(WEBP) == ".webp"
    assert image_type(HEIC) == ".heic"
    assert image_type(b"%PDF-1.4") is None
    assert image_type(b"<html><script>") is None
    assert image_type(b"") is None


def test_upload_several_shown_on_the_need_page_and_served_as_uploaded(c1, w):
    body = png()
    r = _upload(c1, w.n1, SimpleUploadedFile("楼道.png", body, "image/png"), SimpleUploadedFile("灯.jpg", JPEG, "image/jpeg"))
    assert _messages(r) == ["已上传 2 张照片。"]
    photos = list(NeedPhoto.objects.filter(need=w.n1).order_by("id"))
    assert [(p.name, p.size, p.uploaded_by) for p in photos] == [("楼道.png", len(body), w.shequ1), ("灯.jpg", len(JPEG), w.shequ1)]
    # stored under a random name inside the need's folder, never the uploaded name
    assert all(p.file.name.startswith(f"needs/{w.n1.pk}/") and "楼道" not in p.file.name and "灯" not in p.file.name for p in photos)
    page = c1.get(reverse("needs:need", args=[w.n1.pk])).content.decode()
    assert f'src="{reverse("needs:photo", args=[photos[0].pk])}"' in page and "楼道.png" in page
    got = c1.get(reverse("needs:photo", args=[photos[0].pk]))
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert b"".join(got.streaming_content) == body
    assert got["X-Content-Type-Options"] == "nosniff" and "inline" in got["Content-Disposition"]


def test_a_photo_under_a_wrong_extension_is_stored_and_served_as_what_it_is(c1, w):
    _upload(c1, w.n1, SimpleUploadedFile("照片.png", JPEG, "image/png"))
    photo = NeedPhoto.objects.get(need=w.n1)
    assert photo.file.name.endswith(".jpg") and photo.name == "照片.png"
    assert c1.get(reverse("needs:photo", args=[photo.pk]))["Content-Type"] == "image/jpeg"


def test_bad_type_refused_by_content_naming_the_file_good_ones_kept(c1, w):
    r = _upload(c1, w.n1, SimpleUploadedFile("伪装.jpg", b"<html><script>alert(1)</script>", "image/jpeg"),
                SimpleUploadedFile("苹果.heic", HEIC, "image/heic"), SimpleUploadedFile("现场.png", png(), "image/png"))
    assert _messages(r) == [
        "已上传 1 张照片。",
        "“伪装.jpg”不是照片：请上传 JPG、PNG 或 WebP 格式的图片。",
        "照片“苹果.heic”是 HEIC 格式，网页无法显示：请转为 JPG 后上传，或在手机相机设置中选择“兼容性最佳”。",
    ]
    assert list(NeedPhoto.objects.filter(need=w.n1).values_list("name", flat=True)) == ["现场.png"]
    assert sorted(os.listdir(os.path.dirname(NeedPhoto.objects.get().file.path))) == [os.path.basename(NeedPhoto.objects.get().file.name)]


def test_too_large_refused_naming_the_file(c1, w, monkeypatch):
    monkeypatch.setattr(photo_services, "MAX_PHOTO_MB", 1)
    big = JPEG + b"\x00" * (1024 * 1024)
    r = _upload(c1, w.n1, SimpleUploadedFile("大图.jpg", big, "image/jpeg"))
    assert _messages(r) == ["照片“大图.jpg”超过 1 MB，请压缩后再上传。"]
    assert not NeedPhoto.objects.exists()


def test_ten_mb_is_the_limit(w):
    f = SimpleUploadedFile("a.jpg", JPEG)
    f.size = 10 * 1024 * 1024
    assert photo_services.image_check(f) == ".jpg"
    f.size += 1
    with pytest.raises(ValidationError, match="超过 10 MB"):
        photo_services.image_check(f)


def test_nothing_chosen_or_too_many_at_once(c1, w):
    assert _messages(_upload(c1, w.n1)) == ["请选择要上传的照片。"]
    many = [SimpleUploadedFile(f"{i}.jpg", JPEG) for i in range(photo_services.MAX_PHOTOS_AT_ONCE + 1)]
    assert _messages(_upload(c1, w.n1, *many)) == ["一次最多上传 10 张照片。"]
    assert not NeedPhoto.objects.exists()


def test_another_communitys_photo_and_need_are_404_everywhere(c1, w, client):
    theirs = photo_services.photo_add(scope=w.s2, acting_user=w.shequ2, need=w.n2, file=SimpleUploadedFile("路灯.jpg", JPEG))
    assert c1.get(reverse("needs:photo", args=[theirs.pk])).status_code == 404
    assert c1.post(reverse("needs:photo_delete", args=[theirs.pk])).status_code == 404
    assert c1.get(reverse("needs:photo_delete", args=[theirs.pk])).status_code == 404
    assert _upload(c1, w.n2, SimpleUploadedFile("x.jpg", JPEG), follow=False).status_code == 404
    assert c1.get(reverse("needs:photo_upload", args=[w.n2.pk])).status_code == 404
    assert NeedPhoto.objects.filter(need=w.n2).count() == 1
    with pytest.raises(Exception):
        photo_services.photo_add(scope=w.s1, acting_user=w.shequ1, need=w.n2, file=SimpleUploadedFile("x.jpg", JPEG))
    client.logout()
    assert client.get(reverse("needs:photo", args=[theirs.pk])).status_code == 302  # to the login page


def test_get_on_upload_and_delete_is_not_allowed(c1, w):
    mine = photo_services.photo_add(scope=w.s1, acting_user=w.shequ1, need=w.n1, file=SimpleUploadedFile("a.jpg", JPEG))
    assert c1.get(reverse("needs:photo_upload", args=[w.n1.pk])).status_code == 405
    assert c1.get(reverse("needs:photo_delete", args=[mine.pk])).status_code == 405


def test_delete_while_open_removes_the_file_after_commit(c1, w, django_capture_on_commit_callbacks):
    photo = photo_services.photo_add(scope=w.s1, acting_user=w.shequ1, need=w.n1, file=SimpleUploadedFile("a.jpg", JPEG))
    path = photo.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        r = c1.post(reverse("needs:photo_delete", args=[photo.pk]), follow=True)
    assert _messages(r) == ["已删除照片“a.jpg”。"]
    assert not NeedPhoto.objects.exists() and not os.path.exists(path)


def test_photos_of_a_closed_need_stay_but_more_may_be_added(c1, w):
    photo = photo_services.photo_add(scope=w.s1, acting_user=w.shequ1, need=w.n1, file=SimpleUploadedFile("before.jpg", JPEG))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=w.n1)
    services.need_start(scope=w.s1, acting_user=w.shequ1, need=w.n1)
    services.need_close(scope=w.s1, acting_user=w.shequ1, need=w.n1, result="已更换灯泡")
    r = c1.post(reverse("needs:photo_delete", args=[photo.pk]), follow=True)
    assert _messages(r) == ["需求“1号楼楼道灯不亮”当前为“办结”，照片不能再删除。"]
    assert NeedPhoto.objects.filter(pk=photo.pk).exists() and os.path.exists(photo.file.path)
    page = c1.get(reverse("needs:need", args=[w.n1.pk])).content.decode()
    assert reverse("needs:photo_delete", args=[photo.pk]) not in page
    assert _messages(_upload(c1, w.n1, SimpleUploadedFile("after.jpg", JPEG))) == ["已上传 1 张照片。"]


def test_a_merged_need_takes_no_photos(c1, w):
    other = need(w.s1, w.shequ1, title="1号楼灯坏了", place=w.B1, registered_at=days_ago(1))
    services.need_merge(scope=w.s1, acting_user=w.shequ1, need=other, into=w.n1, note="重复")
    r = _upload(c1, other, SimpleUploadedFile("a.jpg", JPEG))
    assert _messages(r) == ["需求“1号楼灯坏了”已合并到另一项需求，请在那里上传照片。"]
    assert 'name="photos"' not in c1.get(reverse("needs:need", args=[other.pk])).content.decode()
