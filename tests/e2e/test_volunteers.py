"""志愿服务 in a browser: a 社区 worker (shequ1) publishes an activity, signs a volunteer up, checks
them in and out, verifies the hours (认定工时) and downloads the free certificate (.docx); on a
desktop and on a phone."""

import datetime as dt

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from gongzhi.volunteers import services
from gongzhi.volunteers.models import ServiceRecord, VolunteerKind


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_activity_to_verified_hours_and_certificate(page, live_server, world, login, shot, scope_of, viewport, tmp_path):
    w = world
    services.volunteer_register(scope=scope_of(w.shequ1), acting_user=w.shequ1, person=w.zhangsan, community=w.C1, kind=VolunteerKind.MEMBER)
    start = (timezone.now() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    login("shequ1")
    page.goto(f"{live_server.url}/volunteers/")
    expect(page.get_by_role("heading", name="志愿者名册")).to_be_visible()
    expect(page.locator("table.vol-table")).to_contain_text("张三")
    shot("registry")

    page.goto(f"{live_server.url}/volunteers/activities/")
    page.get_by_role("link", name="＋ 发布活动").click()
    expect(page.locator("h1")).to_have_text("发布活动")
    page.get_by_label("活动名称").fill("幸福家园楼道清扫")
    page.get_by_label("地点").fill("幸福家园1号楼")
    page.get_by_label("开始时间").fill(_local(start))
    page.get_by_label("结束时间").fill(_local(start + dt.timedelta(hours=4)))
    page.get_by_label("报名截止时间").fill(_local(start + dt.timedelta(hours=4)))
    page.get_by_label("招募人数").fill("5")
    shot("activity-new")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".msg.success")).to_contain_text("已发布活动")

    page.get_by_label("志愿者").select_option(label="张三")
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("张三已报名")
    page.get_by_label("签到时间：张三").fill(_local(start))
    page.get_by_role("button", name="签到：张三").click()
    expect(page.locator(".msg.success")).to_contain_text("张三已签到")
    page.get_by_label("签退时间：张三").fill(_local(start + dt.timedelta(minutes=150)))
    shot("activity-checked-in")
    page.get_by_role("button", name="签退：张三").click()
    expect(page.locator(".msg.success")).to_contain_text("张三已签退")
    page.get_by_role("button", name="认定工时").click()
    expect(page.locator(".msg.success")).to_contain_text("已认定 1 人")
    expect(page.locator("table.vol-records")).to_contain_text("2.5")
    shot("activity-verified")
    assert ServiceRecord.objects.get().hours == 2.5

    page.locator("table.vol-records").get_by_role("link", name="张三").click()
    expect(page.locator("h1")).to_contain_text("张三")
    expect(page.locator("table.vol-records")).to_contain_text("幸福家园楼道清扫")
    shot("volunteer")
    with page.expect_download() as info:
        page.get_by_role("button", name="开具志愿服务证明").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx") and "张三" in download.suggested_filename
    path = tmp_path / "cert.docx"
    download.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "志愿服务记录证明" in text and "张三" in text and "累计志愿服务时长：2.5小时" in text
    assert w.zhangsan.id_number_mask in text
