"""The compliance table drilled down along the tree by a district user, then an organisation's
month calendar, on a desktop and on a phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongzhi.org.tests import factories as of
from gongzhi.partylife.models import Attendance, AttendanceStatus, LecturerRole, Meeting, MeetingType


def _held(org, code, day, topic, attendance=(), **details):
    meeting = Meeting.objects.create(organization=org, meeting_type=MeetingType.objects.get(code=code), held_on=day, topic=topic, **details)
    for member, status in attendance:
        Attendance.objects.create(meeting=meeting, member=member, status=status)
    return meeting


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_drill_down_then_the_calendar(page, live_server, world, login, shot, viewport):
    w = world
    group = of.org("party_group", w.K1, w.O_K1, name="幸福家园第一党小组")
    today = dt.date.today()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    _held(w.O_K1, "committee", this_month, "本月支委会：研究为民办实事项目", [(w.m_zhangsan, AttendanceStatus.PRESENT)])
    _held(w.O_K1, "theme_day", last_month + dt.timedelta(days=4), "主题党日：走访独居老人", [(w.m_zhangsan, AttendanceStatus.PRESENT)])
    _held(w.O_K1, "lecture", last_month + dt.timedelta(days=11), "专题党课：学习贯彻党的二十届四中全会精神",
          lecturer_role=LecturerRole.SECRETARY)
    _held(w.O_K1, "committee", last_month + dt.timedelta(days=11), "支委会：讨论发展对象")
    _held(group, "group", last_month + dt.timedelta(days=7), "党小组会")
    _held(w.O_K3, "committee", last_month + dt.timedelta(days=2), "和平里支委会", [(w.m_zhaoliu, AttendanceStatus.ABSENT)])

    login("quwei")
    page.goto(f"{live_server.url}/partylife/")
    expect(page.get_by_role("heading", name="三会一课落实情况")).to_be_visible()
    table = page.locator("table.drilldown")
    expect(table).to_contain_text("东风街道党工委")
    expect(table).to_contain_text("西山街道党工委")
    page.get_by_label("只看落实滞后").check()
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_label("只看落实滞后")).to_be_checked()
    shot("district")

    table.get_by_role("link", name="东风街道党工委").click()  # first level: the street's communities
    expect(page.locator("h1")).to_contain_text("东风街道党工委")
    expect(table).to_contain_text("幸福社区党委")
    expect(table).to_contain_text("和平社区党委")
    expect(page.get_by_label("只看落实滞后")).to_be_checked()  # carried through the link
    shot("street")

    table.get_by_role("link", name="幸福社区党委").click()  # second level: the branch
    expect(page.locator("h1")).to_contain_text("幸福社区党委")
    expect(page.locator(".crumbs")).to_contain_text("东风街道党工委")
    row = table.locator("tr", has_text="幸福家园党支部")
    expect(row.locator(".shortfalls")).to_be_visible()
    expect(page.locator("#warnings")).not_to_contain_text("正在计算")
    shot("community")

    row.get_by_role("link", name="日历").click()
    month_label = f"{this_month.year}年{this_month.month}月"
    expect(page.locator(".cal-title")).to_have_text(month_label)
    expect(page.locator(".cal-day.is-today")).to_be_visible()
    expect(page.locator(".cal")).to_contain_text("本月支委会")
    expect(page.locator(".cal-side")).to_contain_text("本月应开")
    shot("calendar")

    page.get_by_role("link", name="上个月").click()
    expect(page.locator(".cal-title")).to_have_text(f"{last_month.year}年{last_month.month}月")
    expect(page.locator(".cal")).to_contain_text("主题党日：走访独居老人")
    expect(page.locator(".cal")).not_to_contain_text("党小组会")  # the group's meetings are on its own calendar
    expect(page.locator(".req-met").first).to_be_visible()
    shot("previous-month")
    page.get_by_role("link", name="组织生活", exact=True).last.click()
    expect(page.locator(".member-rates")).to_contain_text("张三")
    shot("org-page")
    page.go_back()
    page.get_by_role("link", name="专题党课：学习贯彻党的二十届四中全会精神").click()
    expect(page.get_by_role("heading", name="专题党课")).to_be_visible()
