"""An emergency mobilisation in a browser: a 社区 worker (shequ1) sets up a 值守点, adds a shift,
puts two volunteers on it, checks one in and out, writes a 值守记录 and verifies the hours
(认定工时); on a desktop and on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.volunteers import services
from gongzhi.volunteers.models import ServiceRecord, ShiftLog, VolunteerKind


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_post_shift_roster_log_and_verified_hours(page, live_server, world, login, shot, scope_of, viewport):
    w, scope = world, scope_of(world.shequ1)
    services.volunteer_register(scope=scope, acting_user=w.shequ1, person=w.zhangsan, community=w.C1, kind=VolunteerKind.MEMBER)
    services.volunteer_register(scope=scope, acting_user=w.shequ1, person=w.wangwu, community=w.C1, kind=VolunteerKind.RESIDENT)
    start = (timezone.now() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    login("shequ1")

    page.goto(f"{live_server.url}/volunteers/posts/")
    page.get_by_role("link", name="＋ 新建岗位").click()
    expect(page.locator("h1")).to_have_text("新建岗位")
    page.get_by_label("岗位名称").fill("幸福家园东门值守点")
    page.get_by_label("类别").select_option(label="值守点")
    page.get_by_label("地点").select_option(label="幸福社区 · 幸福家园")
    page.get_by_label("说明").fill("防汛应急值守")
    shot("post-new")
    page.get_by_role("button", name="设立岗位").click()
    expect(page.locator(".msg.success")).to_contain_text("已设立岗位")
    expect(page.locator("h1")).to_contain_text("幸福家园东门值守点")

    page.get_by_label("开始时间").fill(_local(start))
    page.get_by_label("结束时间").fill(_local(start + dt.timedelta(hours=4)))
    page.get_by_label("人数").fill("2")
    page.get_by_label("备注").fill("暴雨夜间值守")
    page.get_by_role("button", name="新增班次").click()
    expect(page.locator(".msg.success")).to_contain_text("已新增班次")

    page.get_by_label("志愿者", exact=True).select_option(label="张三")
    page.get_by_role("button", name="排入班次").click()
    expect(page.locator(".msg.success")).to_contain_text("已将张三排入本班次")
    page.get_by_label("志愿者", exact=True).select_option(label="王五")
    page.get_by_role("button", name="排入班次").click()
    expect(page.locator(".msg.success")).to_contain_text("已将王五排入本班次")
    expect(page.locator("table.vol-roster")).to_contain_text("张三")
    expect(page.locator("table.vol-roster")).to_contain_text("王五")
    expect(page.locator("#assign")).to_contain_text("本班次已排满（2人）")

    page.get_by_label("签到时间：张三").fill(_local(start))
    page.get_by_role("button", name="签到：张三").click()
    expect(page.locator(".msg.success")).to_contain_text("张三已签到")
    page.get_by_label("签退时间：张三").fill(_local(start + dt.timedelta(minutes=150)))
    shot("shift-checked-in")
    page.get_by_role("button", name="签退：张三").click()
    expect(page.locator(".msg.success")).to_contain_text("张三已签退")

    page.locator("#id_log-text").fill("东门低洼处积水约20厘米，已设置警示牌")
    page.get_by_role("button", name="添加记录").click()
    expect(page.locator(".msg.success")).to_contain_text("已添加值守记录")
    expect(page.locator("table.vol-logs")).to_contain_text("已设置警示牌")
    expect(page.locator("table.vol-logs")).to_contain_text("shequ1")

    page.get_by_role("button", name="认定工时").click()
    expect(page.locator(".msg.success")).to_contain_text("已认定 1 人")
    expect(page.locator("table.vol-records")).to_contain_text("2.5")
    expect(page.locator("table.vol-records")).to_contain_text("张三")
    expect(page.locator("table.vol-roster")).to_contain_text("王五")
    shot("shift-verified")
    record = ServiceRecord.objects.get()
    assert record.hours == Decimal("2.5") and record.volunteer.person.name == "张三" and record.description == "幸福家园东门值守点"
    assert ShiftLog.objects.get().logged_by == w.shequ1

    page.get_by_role("link", name="幸福家园东门值守点").first.click()
    expect(page.locator("table.vol-shifts")).to_contain_text("2 / 2")
    shot("post")


def test_team_with_members(page, live_server, world, login, shot, scope_of):
    w, scope = world, scope_of(world.shequ1)
    services.volunteer_register(scope=scope, acting_user=w.shequ1, person=w.zhangsan, community=w.C1, kind=VolunteerKind.MEMBER)
    services.volunteer_register(scope=scope, acting_user=w.shequ1, person=w.wangwu, community=w.C1, kind=VolunteerKind.RESIDENT)
    login("shequ1")
    page.goto(f"{live_server.url}/volunteers/teams/")
    page.get_by_role("link", name="＋ 新建队伍").click()
    page.get_by_label("队伍名称").fill("幸福红马甲志愿服务队")
    page.get_by_label("类别").select_option(label="专业志愿者队伍")
    page.get_by_label("负责人").fill("刘书记")
    page.get_by_label("成立日期").fill("2024-03-05")
    page.get_by_role("button", name="建立").click()
    expect(page.locator(".msg.success")).to_contain_text("已建立队伍")
    for name in ("张三", "王五"):
        page.get_by_label("志愿者", exact=True).select_option(label=name)
        page.get_by_role("button", name="加入队伍").click()
        expect(page.locator(".msg.success")).to_contain_text(f"{name}已加入")
    expect(page.locator("table.vol-members")).to_contain_text("王五")
    page.locator("tr", has_text="王五").locator("summary").click()
    page.get_by_role("button", name="离队：王五").click()
    expect(page.locator(".msg.success")).to_contain_text("王五已离队")
    expect(page.locator("table.vol-members")).not_to_contain_text("王五")
    shot("team")
    page.get_by_role("link", name="已离队 1").click()
    expect(page.locator("table.vol-members")).to_contain_text("王五")
    page.goto(f"{live_server.url}/volunteers/teams/?q=红马甲")
    expect(page.locator("table.vol-table")).to_contain_text("幸福红马甲志愿服务队")
    shot("teams")
