"""数据看板: the district admin drills down district → street → community by clicking the child
rows, reads the figures and the alerts; the wall display; a phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongzhi.partylife.models import Attendance, AttendanceStatus, Meeting, MeetingType


def _meetings(w):
    """This year: K1's branch meets with 张三 present; K3's with 赵六 absent (a low 参会率)."""
    today = dt.date.today()
    day = today.replace(day=1) if today.day > 1 else today
    for org, member, status, topic in ((w.O_K1, w.m_zhangsan, AttendanceStatus.PRESENT, "幸福家园主题党日"),
                                       (w.O_K3, w.m_zhaoliu, AttendanceStatus.ABSENT, "和平里主题党日")):
        meeting = Meeting.objects.create(organization=org, meeting_type=MeetingType.objects.get(code="theme_day"), held_on=day, topic=topic)
        Attendance.objects.create(meeting=meeting, member=member, status=status)


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_drill_down_figures_and_alerts(page, live_server, world, login, shot, viewport):
    w = world
    _meetings(w)
    login("quwei")
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("h1")).to_contain_text("数据看板")
    expect(page.locator("h1")).to_contain_text("示范区")
    expect(page.locator(".kpis-key")).to_contain_text("小区党组织覆盖率")
    expect(page.locator(".kpis-key")).to_contain_text("75.0%")  # 3 of the 4 小区 have a branch
    expect(page.locator("#alerts")).to_contain_text("问题和不足")
    expect(page.locator("#alerts")).to_contain_text("老厂宿舍")  # the 小区 without a party organisation
    expect(page.locator("#dash-sections canvas")).to_be_visible()
    shot("district")

    page.locator("table.dash-table").get_by_role("link", name="东风街道").click()
    expect(page.locator("h1")).to_contain_text("东风街道")
    expect(page.locator(".crumbs")).to_contain_text("示范区")
    table = page.locator("table.dash-table")
    expect(table).to_contain_text("幸福社区")
    expect(table).to_contain_text("和平社区")
    expect(table).not_to_contain_text("南山社区")
    shot("street")

    table.get_by_role("link", name="幸福社区").click()
    expect(page.locator("h1")).to_contain_text("幸福社区")
    expect(page.locator(".crumbs")).to_contain_text("东风街道")
    expect(page.locator("table.dash-table")).to_contain_text("幸福家园")
    expect(page.locator("#section-party_life")).to_contain_text("参会率")
    expect(page.locator("#section-party_life")).to_contain_text("100.0%")  # 张三 was there
    expect(page.locator("#alerts")).to_contain_text("老厂宿舍")
    expect(page.locator("#alerts")).not_to_contain_text("和平里")  # C2's branch is not C1's problem
    info = page.locator("#section-party_life .formula").first
    info.locator("summary").click()
    expect(info.locator("p")).to_be_visible()
    expect(info.locator("p")).to_contain_text("计算方法")
    shot("community")


def test_wall_display(page, live_server, world, login, shot):
    _meetings(world)
    page.set_viewport_size({"width": 1920, "height": 1080})
    login("quwei")
    page.goto(f"{live_server.url}/reports/?place={world.S1.pk}")
    page.get_by_role("link", name="数据大屏").click()
    expect(page.locator(".screen h1")).to_contain_text("东风街道数据大屏")
    expect(page.locator(".sidenav")).to_have_count(0)
    expect(page.locator(".screen-tiles")).to_contain_text("小区党组织覆盖率")
    expect(page.locator("#dash-children-chart canvas")).to_be_visible()
    expect(page.locator(".screen-alerts")).to_contain_text("小区未建党组织")
    page.locator(".chart-switch button").nth(1).click()
    expect(page.locator(".chart-switch button").nth(1)).to_have_attribute("aria-pressed", "true")
    shot("wall")
    page.get_by_role("link", name="退出大屏").click()
    expect(page.locator(".sidenav")).to_be_visible()
