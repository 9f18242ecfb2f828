"""The 志愿服务 pages on hand-made cases: the registry (tiles, filters, registering), a volunteer and
the certificate (.docx opened with python-docx: name, masked ID number, records, the total), an
activity's actions (sign-up, cancel, check-in/out, 认定工时, 冲正) with the services' Chinese
errors, and 404 for another community's objects on every page and action."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gongzhi.core.pii import decrypt
from gongzhi.volunteers import services
from gongzhi.volunteers.models import Activity, ServiceRecord, Signup, Volunteer, VolunteerKind
from gongzhi.volunteers.tests.factories import activity, ago, volunteer

ACTIONS = ("signup", "cancel", "check_in", "check_out", "verify", "reverse")


def _served(w, scope, user, v, act, minutes):
    """Sign `v` up for `act`, check in at its start and out `minutes` later."""
    signup = services.signup_create(scope=scope, acting_user=user, activity=act, volunteer=v, at=act.starts_at - dt.timedelta(hours=1))
    services.signup_check_in(scope=scope, acting_user=user, signup=signup, at=act.starts_at)
    services.signup_check_out(scope=scope, acting_user=user, signup=signup, at=act.starts_at + dt.timedelta(minutes=minutes))
    return signup


@pytest.fixture
def w(world, scope_of):
    world.s1, world.s2 = scope_of(world.shequ1), scope_of(world.shequ2)
    world.v1 = volunteer(world, world.s1, world.zhangsan)
    world.v2 = volunteer(world, world.s2, world.zhaoliu, community=world.C2)
    # 张三: 2.0 h + 1.5 h standing, 1.0 h reversed → the certificate shows 3.5 h
    world.a1 = activity(world, world.s1, starts_at=ago(days=3), hours=3, title="楼道清扫")
    world.a1b = activity(world, world.s1, starts_at=ago(days=2), hours=2, title="敬老院探访")
    world.a1c = activity(world, world.s1, starts_at=ago(days=1), hours=2, title="垃圾分类宣传")
    for act, minutes in ((world.a1, 120), (world.a1b, 90), (world.a1c, 60)):
        _served(world, world.s1, world.shequ1, world.v1, act, minutes)
        services.hours_verify(scope=world.s1, acting_user=world.shequ1, activity=act)
    wrong = ServiceRecord.objects.get(source_id=world.a1c.pk)
    services.service_record_reverse(scope=world.s1, acting_user=world.shequ1, record=wrong, reason="签退时间登记错误")
    world.a2 = activity(world, world.s2, starts_at=ago(hours=2), hours=3, community=world.C2, user=world.shequ2, title="和平里义诊")
    world.sg2 = _served(world, world.s2, world.shequ2, world.v2, world.a2, 60)
    services.hours_verify(scope=world.s2, acting_user=world.shequ2, activity=world.a2, now=world.a2.ends_at)
    world.r2 = ServiceRecord.objects.get(volunteer=world.v2)
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


# ---- scope: another community's objects are 404 on every page and action --------------------------


def test_another_communitys_volunteer_and_activity_are_404_everywhere(c1, w):
    assert c1.get(reverse("volunteers:volunteer", args=[w.v2.pk])).status_code == 404
    assert c1.get(reverse("volunteers:certificate", args=[w.v2.pk])).status_code == 404
    url = reverse("volunteers:activity", args=[w.a2.pk])
    assert c1.get(url).status_code == 404
    for action in ACTIONS:
        data = {"action": action, "signup": w.sg2.pk, "record": w.r2.pk, "at": "2026-01-01T10:00", "reverse-reason": "越权",
                "signup-volunteer": w.v2.pk}
        assert c1.post(url, data).status_code == 404, action
    assert c1.get(reverse("volunteers:list") + f"?community={w.C2.pk}").status_code == 404
    assert c1.post(reverse("volunteers:new"), {"person": w.zhaoliu.pk, "community": w.C1.pk, "kind": "member"}).status_code == 404
    assert c1.post(reverse("volunteers:new"), {"person": w.wangwu.pk, "community": w.C2.pk, "kind": "resident"}).status_code == 404
    assert c1.post(reverse("volunteers:activity_new"), {"title": "越权", "community": w.C2.pk, "starts_at": "2026-01-01T09:00",
                                                        "ends_at": "2026-01-01T11:00", "signup_deadline": "2026-01-01T09:00",
                                                        "capacity": 5}).status_code == 404
    assert Activity.objects.filter(title="越权").count() == 0
    w.sg2.refresh_from_db()
    assert w.sg2.cancelled_at is None and not ServiceRecord.objects.filter(reverses=w.r2).exists()


def test_another_communitys_rows_posted_on_my_activity_are_404(c1, w):
    url = reverse("volunteers:activity", args=[w.a1.pk])
    assert c1.post(url, {"action": "signup", "signup-volunteer": w.v2.pk}).status_code == 404
    assert c1.post(url, {"action": "cancel", "signup": w.sg2.pk}).status_code == 404
    assert c1.post(url, {"action": "check_out", "signup": w.sg2.pk, "at": "2026-01-01T10:00"}).status_code == 404
    assert c1.post(url, {"action": "reverse", "record": w.r2.pk, "reverse-reason": "越权"}).status_code == 404
    other = ServiceRecord.objects.get(source_id=w.a1b.pk)  # in scope, but not this activity's
    assert c1.post(url, {"action": "reverse", "record": other.pk, "reverse-reason": "x"}).status_code == 404
    assert not Signup.objects.filter(activity=w.a1, volunteer=w.v2).exists()


def test_lists_show_nothing_of_the_other_community(c1, w):
    for name in ("list", "new", "activities", "activity_new", "teams", "posts"):
        html = c1.get(reverse(f"volunteers:{name}")).content.decode()
        assert "赵六" not in html and "和平里义诊" not in html, name


# ---- the registry ---------------------------------------------------------------------------------


def test_registry_tiles_and_filters(c1, w):
    volunteer(w, w.s1, w.wangwu)
    html = c1.get(reverse("volunteers:list")).content.decode()
    assert "张三" in html and "王五" in html
    assert "3.5" in html  # hours this year: 2.0 + 1.5 + 1.0 − 1.0
    html = c1.get(reverse("volunteers:list") + "?kind=resident").content.decode()
    assert "王五" in html and "张三" not in html
    html = c1.get(reverse("volunteers:list") + "?q=张").content.decode()
    assert "张三" in html and "王五" not in html


def test_register_a_volunteer_and_the_kind_error(c1, w):
    r = c1.post(reverse("volunteers:new"), {"person": w.wangwu.pk, "community": w.C1.pk, "kind": "member"})
    assert r.status_code == 200
    assert "王五不是在册党员，请登记为群众志愿者。" in r.content.decode()
    r = c1.post(reverse("volunteers:new"), {"person": w.wangwu.pk, "community": w.C1.pk, "kind": "resident"})
    v = Volunteer.objects.get(person=w.wangwu)
    assert r.status_code == 302 and r["Location"] == reverse("volunteers:volunteer", args=[v.pk])
    assert v.kind == VolunteerKind.RESIDENT and v.registered_by == w.shequ1
    assert "王五" in c1.get(reverse("volunteers:new") + "?q=王").content.decode()


# ---- a volunteer and the certificate --------------------------------------------------------------


def test_volunteer_page_shows_records_reversals_and_total(c1, w):
    html = c1.get(reverse("volunteers:volunteer", args=[w.v1.pk])).content.decode()
    for text in ("楼道清扫", "敬老院探访", "冲正记录", "已冲正", "签退时间登记错误", "3.5", "开具志愿服务证明"):
        assert text in html, text
    assert decrypt(w.zhangsan.id_number_enc) not in html


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_certificate_docx(c1, w):
    r = c1.get(reverse("volunteers:certificate", args=[w.v1.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = _docx_text(r)
    full = decrypt(w.zhangsan.id_number_enc)
    assert "志愿服务记录证明" in text and "张三" in text and "幸福社区" in text
    assert w.zhangsan.id_number_mask in text and full not in text and full[6:14] not in text
    day = lambda a: f"{timezone.localdate(a.starts_at):%Y-%m-%d}"  # noqa: E731
    assert f"{day(w.a1)} | 楼道清扫 | 2.0" in text
    assert f"{day(w.a1b)} | 敬老院探访 | 1.5" in text
    assert "垃圾分类宣传" not in text  # reversed: left out with its reversal
    assert "累计志愿服务时长：3.5小时" in text
    assert "民政部令第67号" in text and "盖章" in text and "出具日期" in text
    assert "费" in text and "元" not in text


def test_certificate_period(c1, w):
    day = timezone.localdate(w.a1b.starts_at)
    r = c1.get(reverse("volunteers:certificate", args=[w.v1.pk]) + f"?start={day:%Y-%m-%d}&end={day:%Y-%m-%d}")
    text = _docx_text(r)
    assert "敬老院探访" in text and "楼道清扫" not in text and "累计志愿服务时长：1.5小时" in text
    r = c1.get(reverse("volunteers:certificate", args=[w.v1.pk]) + "?start=2026-05-01&end=2026-01-01")
    assert r.status_code == 302


def test_certificate_uses_east_asian_font(c1, w):
    doc = Document(io.BytesIO(b"".join(c1.get(reverse("volunteers:certificate", args=[w.v1.pk])).streaming_content)))
    from docx.oxml.ns import qn

    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs}
    assert fonts <= {"宋体", "黑体"} and "宋体" in fonts


# ---- an activity's actions ------------------------------------------------------------------------


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def test_activity_from_creation_to_verified_hours_and_reversal(c1, w):
    start = ago(hours=3)
    r = c1.post(reverse("volunteers:activity_new"), {"title": "小区义诊", "community": w.C1.pk, "starts_at": _local(start),
                                                     "ends_at": _local(start + dt.timedelta(hours=4)), "capacity": 1,
                                                     "signup_deadline": _local(start + dt.timedelta(hours=4)), "location": "幸福家园广场"})
    act = Activity.objects.get(title="小区义诊")
    url = reverse("volunteers:activity", args=[act.pk])
    assert r.status_code == 302 and r["Location"] == url
    wangwu = volunteer(w, w.s1, w.wangwu)
    assert c1.post(url, {"action": "signup", "signup-volunteer": w.v1.pk}).status_code == 302
    r = c1.post(url, {"action": "signup", "signup-volunteer": wangwu.pk})
    assert "已报满（1人）" in r.content.decode()
    signup = Signup.objects.get(activity=act)
    assert c1.post(url, {"action": "cancel", "signup": signup.pk}).status_code == 302
    assert c1.post(url, {"action": "signup", "signup-volunteer": wangwu.pk}).status_code == 302
    signup = Signup.objects.get(activity=act, cancelled_at__isnull=True)
    r = c1.post(url, {"action": "check_out", "signup": signup.pk, "at": _local(start)})
    assert "王五尚未签到，不能签退。" in r.content.decode()
    assert c1.post(url, {"action": "check_in", "signup": signup.pk, "at": _local(start)}).status_code == 302
    assert c1.post(url, {"action": "check_out", "signup": signup.pk, "at": _local(start + dt.timedelta(minutes=150))}).status_code == 302
    assert c1.post(url, {"action": "verify"}).status_code == 302
    record = ServiceRecord.objects.get(source_id=act.pk)
    assert record.hours == Decimal("2.5") and record.volunteer == wangwu
    r = c1.post(url, {"action": "verify"})
    assert "没有待认定的工时" in r.content.decode()
    r = c1.post(url, {"action": "reverse", "record": record.pk, "reverse-reason": ""})
    assert "请填写冲正原因。" in r.content.decode()
    assert c1.post(url, {"action": "reverse", "record": record.pk, "reverse-reason": "签退时间有误"}).status_code == 302
    html = c1.get(url).content.decode()
    assert "冲正记录" in html and "签退时间有误" in html and "-2.5" in html


def test_late_verification_asks_for_a_reason(c1, w):
    old = activity(w, w.s1, starts_at=ago(days=40), hours=2, title="春节慰问")
    _served(w, w.s1, w.shequ1, w.v1, old, 60)
    url = reverse("volunteers:activity", args=[old.pk])
    assert "补录原因" in c1.get(url).content.decode()
    r = c1.post(url, {"action": "verify", "verify-reason": ""})
    assert "补录认定工时须填写原因" in r.content.decode()
    assert c1.post(url, {"action": "verify", "verify-reason": "纸质签到表补录"}).status_code == 302
    assert ServiceRecord.objects.get(source_id=old.pk).reason == "纸质签到表补录"
    assert "补录原因" not in c1.get(reverse("volunteers:activity", args=[w.a1.pk])).content.decode()


def test_teams_and_posts_pages(c1, w):
    team = services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="幸福红马甲", leader_name="刘书记")
    services.team_member_add(scope=w.s1, acting_user=w.shequ1, team=team, volunteer=w.v1)
    post = services.post_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="东门值守点")
    shift = services.shift_create(scope=w.s1, acting_user=w.shequ1, post=post, starts_at=ago(hours=1), ends_at=ago(hours=1) + dt.timedelta(hours=4))
    services.shift_assign(scope=w.s1, acting_user=w.shequ1, shift=shift, volunteer=w.v1)
    html = c1.get(reverse("volunteers:teams")).content.decode()
    assert "幸福红马甲" in html and "张三" in html
    html = c1.get(reverse("volunteers:posts")).content.decode()
    assert "东门值守点" in html and "张三" in html
    assert "幸福红马甲" in c1.get(reverse("volunteers:volunteer", args=[w.v1.pk])).content.decode()
