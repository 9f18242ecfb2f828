"""QR sign-in and meeting attachments, on hand-made cases."""

import datetime as dt
import os

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongzhi.core import pii
from gongzhi.partylife import services, signin
from gongzhi.partylife.models import AttendanceStatus, MeetingAttachment, MeetingType, SignIn
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory

NOW = timezone.make_aware(dt.datetime(2026, 11, 27, 19, 30))  # Beijing time: the meeting's evening
TODAY = timezone.localdate(NOW)


@pytest.fixture(autouse=True)
def _no_failures_left_over():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def qr_meeting(world, scope_of):
    """K1's theme day tonight, signed in by QR: 张三 (phone …5678), two 王芳 (told apart by their
    numbers), all 缺席 until they sign in."""
    world.wangfang_a = PartyMemberFactory(person=PersonFactory(name="王芳", place=world.B1, phone_plain="13900001111"), organization=world.O_K1)
    world.wangfang_b = PartyMemberFactory(person=PersonFactory(name="王芳", place=world.B1, phone_plain="13900002222"), organization=world.O_K1)
    world.meeting = services.meeting_create(
        scope=scope_of(world.zhibu1), acting_user=world.zhibu1, organization=world.O_K1,
        meeting_type=MeetingType.objects.get(code="theme_day"), held_on=TODAY, topic="11月主题党日", today=TODAY, signin=SignIn.QR,
    )
    return world


def statuses(meeting):
    return {(a.member.person.name, a.member.person.phone_mask[-4:]): a.status for a in meeting.attendance.select_related("member__person")}


def test_qr_meeting_starts_everyone_absent_and_only_today(qr_meeting, scope_of):
    w = qr_meeting
    assert set(statuses(w.meeting).values()) == {AttendanceStatus.ABSENT} and w.meeting.attendance.count() == 3
    with pytest.raises(ValidationError) as e:
        services.meeting_create(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, organization=w.O_K1,
                                meeting_type=MeetingType.objects.get(code="theme_day"), held_on=TODAY - dt.timedelta(days=1),
                                topic="昨天的会", today=TODAY, signin=SignIn.QR)
    assert "signin" in e.value.message_dict


def test_token_names_the_meeting_and_cannot_be_altered(qr_meeting, scope_of):
    w = qr_meeting
    token = signin.token_for(w.meeting)
    assert signin.meeting_for_token(token) == w.meeting and signin.token_for(w.meeting) == token  # stable: the board can be reopened
    assert signin.meeting_for_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    manual = services.meeting_create(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, organization=w.O_K1,
                                     meeting_type=MeetingType.objects.get(code="committee"), held_on=TODAY, topic="支委会", today=TODAY)
    assert signin.meeting_for_token(signin.token_for(manual)) is None  # only QR meetings have a sign-in page


def test_sign_in_by_name_and_last_four_digits(qr_meeting):
    w = qr_meeting
    done = signin.sign_in(meeting=w.meeting, name=" 张 三 ", digits="５６７８", now=NOW)  # spaces and full-width digits are fine
    assert (done.name, done.already, done.at) == ("张三", False, NOW)
    assert statuses(w.meeting)[("张三", "5678")] == AttendanceStatus.PRESENT
    again = signin.sign_in(meeting=w.meeting, name="张三", digits="5678", now=NOW + dt.timedelta(minutes=5))
    assert again.already and again.at == NOW  # the first time stays
    # the two 王芳 are told apart by their numbers
    signin.sign_in(meeting=w.meeting, name="王芳", digits="2222", now=NOW)
    s = statuses(w.meeting)
    assert s[("王芳", "2222")] == AttendanceStatus.PRESENT and s[("王芳", "1111")] == AttendanceStatus.ABSENT
    # the last four of the ID number work too (X in either case)
    number = pii.decrypt(w.wangfang_a.person.id_number_enc)
    signin.sign_in(meeting=w.meeting, name="王芳", digits=number[-4:].lower(), now=NOW)
    assert statuses(w.meeting)[("王芳", "1111")] == AttendanceStatus.PRESENT


@pytest.mark.parametrize("name, digits, field", [("", "5678", "name"), ("张三", "56", "digits"), ("张三", "ab12", "digits")])
def test_sign_in_says_which_field_is_wrong(qr_meeting, name, digits, field):
    with pytest.raises(ValidationError) as e:
        signin.sign_in(meeting=qr_meeting.meeting, name=name, digits=digits, now=NOW)
    assert field in e.value.message_dict


def test_wrong_digits_or_a_member_of_another_branch_sign_nobody_in(qr_meeting):
    w = qr_meeting
    for name, digits in (("张三", "0000"), ("赵六", pii.decrypt(w.zhaoliu.id_number_enc)[-4:]), ("王芳", "9999")):
        with pytest.raises(ValidationError, match="姓名或号码后四位不符"):
            signin.sign_in(meeting=w.meeting, name=name, digits=digits, now=NOW)
    assert set(statuses(w.meeting).values()) == {AttendanceStatus.ABSENT}


def test_too_many_failures_block_the_address_for_a_while(qr_meeting):
    w = qr_meeting
    for _ in range(signin.FAILURES.limit):
        with pytest.raises(ValidationError):
            signin.sign_in(meeting=w.meeting, name="张三", digits="0000", address="10.0.0.9", now=NOW)
    with pytest.raises(ValidationError, match="尝试次数过多"):
        signin.sign_in(meeting=w.meeting, name="张三", digits="5678", address="10.0.0.9", now=NOW)
    assert signin.sign_in(meeting=w.meeting, name="张三", digits="5678", address="10.0.0.10", now=NOW).name == "张三"  # another phone


def test_sign_in_only_on_the_day_and_until_closed(qr_meeting, scope_of):
    w = qr_meeting
    with pytest.raises(ValidationError, match="签到已结束"):
        signin.sign_in(meeting=w.meeting, name="张三", digits="5678", now=NOW + dt.timedelta(days=1))
    with pytest.raises(Http404):
        signin.signin_close(scope=scope_of(w.shequ2), acting_user=w.shequ2, meeting=w.meeting)
    signin.signin_close(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, meeting=w.meeting, now=NOW)
    w.meeting.refresh_from_db()
    assert w.meeting.signin_closed_at == NOW and not signin.is_open(w.meeting, NOW)
    with pytest.raises(ValidationError, match="签到已结束"):
        signin.sign_in(meeting=w.meeting, name="张三", digits="5678", now=NOW)


def test_sign_in_pages(client, qr_meeting, monkeypatch):
    w = qr_meeting
    monkeypatch.setattr(signin.timezone, "now", lambda: NOW)
    url = reverse("partylife:signin", args=[signin.token_for(w.meeting)])
    page = client.get(url).content.decode()
    assert "11月主题党日" in page and "幸福家园党支部" in page and "5678" not in page  # no numbers shown
    bad = client.post(url, {"name": "张三", "digits": "1"}).content.decode()
    assert "请填写手机号或身份证号的后四位。" in bad
    ok = client.post(url, {"name": "张三", "digits": "5678"}).content.decode()
    assert "签到成功" in ok and "19:30" in ok
    # the secretary's board: the QR code and the count
    client.force_login(w.zhibu1)
    board = client.get(reverse("partylife:meeting_qr", args=[w.meeting.pk])).content.decode()
    assert "<svg" in board and url in board and "<b>1</b> / 3" in board
    assert "<b>1</b> / 3" in client.get(reverse("partylife:meeting_qr", args=[w.meeting.pk]) + "?count=1").content.decode()
    detail = client.get(reverse("partylife:meeting", args=[w.meeting.pk])).content.decode()
    assert "已扫码签到 1 人，应到 3 人" in detail
    client.post(reverse("partylife:signin_close", args=[w.meeting.pk]))
    client.logout()
    assert "签到已结束" in client.get(url).content.decode()


# ---- attachments --------------------------------------------------------------------------------


def test_attachments_upload_download_delete_in_scope(client, world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.shequ1)
    upload = reverse("partylife:attachment_upload", args=[world.meeting_K1.pk])
    r = client.post(upload, {"kind": "sign_sheet", "file": SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 test", "application/pdf")})
    assert r.status_code == 302
    a = MeetingAttachment.objects.get(meeting=world.meeting_K1)
    assert (a.name, a.kind, a.size) == ("签到表.pdf", "sign_sheet", 13) and a.file.name.startswith(f"meetings/{world.meeting_K1.pk}/")
    assert "签到表" not in a.file.name  # stored under a random name
    got = client.get(reverse("partylife:attachment", args=[a.pk]))
    assert b"".join(got.streaming_content) == b"%PDF-1.4 test"
    # a wrong type is refused with the file's name, nothing stored
    r = client.post(upload, {"kind": "photo", "file": SimpleUploadedFile("病毒.exe", b"MZ")}, follow=True)
    assert "不支持的文件类型“病毒.exe”" in r.content.decode() and MeetingAttachment.objects.filter(meeting=world.meeting_K1).count() == 1
    # a page dressed as a photo is refused by its content; the download is never sniffed
    r = client.post(upload, {"kind": "photo", "file": SimpleUploadedFile("合影.jpg", b"<html><script>alert(1)</script>", "image/jpeg")}, follow=True)
    assert "文件“合影.jpg”的内容与其类型不符" in r.content.decode() and MeetingAttachment.objects.filter(meeting=world.meeting_K1).count() == 1
    assert got["X-Content-Type-Options"] == "nosniff"
    # another community's user cannot see or delete it
    client.force_login(world.shequ2)
    assert client.get(reverse("partylife:attachment", args=[a.pk])).status_code == 404
    assert client.post(reverse("partylife:attachment_delete", args=[a.pk])).status_code == 404
    client.force_login(world.shequ1)
    path = a.file.path
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row is gone for good
        client.post(reverse("partylife:attachment_delete", args=[a.pk]))
    assert not MeetingAttachment.objects.filter(pk=a.pk).exists() and not os.path.exists(path)
