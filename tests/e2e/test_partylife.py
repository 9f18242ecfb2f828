"""Recording a meeting and its attendance in the browser, then seeing the compliance table."""

from playwright.sync_api import expect

from gongzhi.partylife.models import AttendanceStatus, Meeting
from gongzhi.people.tests.factories import PartyMemberFactory


def test_record_a_meeting_with_attendance(page, live_server, world, login, shot):
    lisi = PartyMemberFactory(person=world.lisi, organization=world.O_K1)
    login("zhibu1")
    page.goto(f"{live_server.url}/partylife/")
    expect(page.get_by_role("heading", name="三会一课落实情况")).to_be_visible()
    shot("compliance")
    page.get_by_role("link", name="＋ 记录会议").click()
    page.get_by_role("link", name="幸福家园党支部").click()
    page.get_by_label("会议类型").select_option(label="支部党员大会")
    page.get_by_label("日期").fill("2026-03-03")
    page.get_by_label("主题").fill("一季度支部党员大会")
    page.get_by_label("议题1", exact=True).fill("学习习近平总书记最新重要讲话")
    page.get_by_label("议题1为“第一议题”").check()
    shot("meeting-form")
    page.get_by_role("button", name="保存并登记出席").click()
    expect(page.locator(".msg.success")).to_contain_text("默认全部出席")
    page.get_by_role("radio", name="李四 请假").check()
    page.get_by_label("李四 请假原因").fill("外出务工")
    page.get_by_role("button", name="保存出席情况").click()
    expect(page.locator(".msg.success")).to_contain_text("已保存出席情况")
    expect(page.locator(".facts")).to_contain_text("未达到")  # 1 of 2 voting members present
    shot("attendance")
    meeting = Meeting.objects.get(topic="一季度支部党员大会")
    row = meeting.attendance.get(member=lisi)
    assert (row.status, row.leave_reason) == (AttendanceStatus.LEAVE, "外出务工")
    assert meeting.agenda.get().is_first_topic
