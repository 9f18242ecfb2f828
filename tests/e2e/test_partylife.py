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
    page.get_by_label("类别").select_option(label="签到表扫描件")
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "签到表.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}])
    page.get_by_role("button", name="上传").click()
    expect(page.locator(".attachments")).to_contain_text("签到表.png")
    shot("attendance")
    meeting = Meeting.objects.get(topic="一季度支部党员大会")
    assert meeting.attachments.get().kind == "sign_sheet"
    row = meeting.attendance.get(member=lisi)
    assert (row.status, row.leave_reason) == (AttendanceStatus.LEAVE, "外出务工")
    assert meeting.agenda.get().is_first_topic


def test_members_sign_in_through_the_qr_page(page, browser, live_server, world, login, shot):
    """The secretary opens a meeting with 扫码签到 and shows its QR code; 张三 opens the link on his
    phone, gives his name and the last four digits of his phone, and is 出席 with the time."""
    from tests.e2e.conftest import ARTIFACTS, VIEWPORTS

    PartyMemberFactory(person=world.lisi, organization=world.O_K1)
    login("zhibu1")
    page.goto(f"{live_server.url}/partylife/meetings/new/?org={world.O_K1.pk}")
    page.get_by_label("会议类型").select_option(label="主题党日")
    page.get_by_label("主题").fill("11月主题党日")
    page.get_by_label("扫码签到（未签到记为缺席）").check()
    page.get_by_role("button", name="保存并登记出席").click()
    page.get_by_role("link", name="签到二维码").click()
    expect(page.locator(".qr-box svg")).to_be_visible()
    expect(page.locator(".signin-count")).to_contain_text("0 / 2")
    shot("qr-board")
    url = page.locator("#signin-url").get_attribute("href")

    phone = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN", is_mobile=True)
    mobile = phone.new_page()
    mobile.goto(url)
    expect(mobile.get_by_role("heading", name="11月主题党日")).to_be_visible()
    mobile.get_by_label("姓名").fill("张三")
    mobile.get_by_label("手机号或身份证号后四位").fill("0000")
    mobile.get_by_role("button", name="签 到").click()
    expect(mobile.locator(".form-errors")).to_contain_text("姓名或号码后四位不符")
    mobile.get_by_label("手机号或身份证号后四位").fill("5678")
    mobile.get_by_role("button", name="签 到").click()
    expect(mobile.get_by_role("heading", name="签到成功")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    mobile.screenshot(path=str(ARTIFACTS / "test_members_sign_in_through_the_qr_page-phone-signed-in.png"), full_page=True)
    phone.close()

    expect(page.locator(".signin-count")).to_contain_text("1 / 2", timeout=8_000)  # the board counts by itself
    page.get_by_role("button", name="结束签到").click()
    expect(page.locator(".msg.success")).to_contain_text("已结束签到")
    shot("attendance-after-qr")
    meeting = Meeting.objects.get(topic="11月主题党日")
    statuses = {a.member.person.name: (a.status, a.signed_in_at is not None) for a in meeting.attendance.select_related("member__person")}
    assert statuses == {"张三": (AttendanceStatus.PRESENT, True), "李四": (AttendanceStatus.ABSENT, False)}
