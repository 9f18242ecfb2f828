"""The 公开栏 in a browser: a 社区 worker (shequ1) writes an announcement for one 小区 with a
publication period; a resident opens the 社区's board on a phone without logging in, sees it
(and the 道德银行's 公示 published there by the bank), opens it; the worker withdraws it and the
board no longer shows it, while the staff board keeps it on record as withdrawn."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.notices.services import notice_publish


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_an_announcement_from_writing_to_withdrawal(page, browser, live_server, world, login, shot, viewport):
    w = world
    today = timezone.localdate()
    notice_publish(community=w.C1, kind=NoticeKind.PUBLICITY, title="道德银行善行公示：张* · 助人为乐", body="雨夜护送走失老人回家。",
                   ends_on=today + dt.timedelta(days=7))
    login("shequ1")
    page.goto(f"{live_server.url}/notices/new/")
    page.get_by_label("小区").select_option(label="幸福家园")
    page.get_by_label("标题").fill("幸福家园1号楼电梯维保通知")
    page.get_by_label("公开截止日期").fill(f"{today - dt.timedelta(days=1):%Y-%m-%d}")
    page.get_by_role("button", name="发布", exact=True).click()
    errors = page.locator(".field.has-error")  # each named at its field
    expect(errors.filter(has_text="请填写内容")).to_have_count(1)
    expect(errors.filter(has_text="公开截止日期不能早于公开日期")).to_have_count(1)
    page.get_by_label("内容").fill("12月1日上午9时至12时电梯维保停运，请居民合理安排出行。")
    page.get_by_label("公开截止日期").fill(f"{today + dt.timedelta(days=3):%Y-%m-%d}")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已发布到幸福社区公开栏")
    shot("staff-notice")
    notice = Notice.objects.get(title="幸福家园1号楼电梯维保通知")

    # a resident, no login, on the public board
    resident = browser.new_context(viewport=page.viewport_size, locale="zh-CN", is_mobile=viewport == "phone").new_page()
    resident.goto(f"{live_server.url}/public/{w.C1.pk}/notices/")
    expect(resident.locator("h1")).to_have_text("社区公开栏")
    expect(resident.locator(".notice-card").first).to_contain_text("幸福家园1号楼电梯维保通知")
    expect(resident.locator("main")).to_contain_text("道德银行善行公示：张* · 助人为乐")
    resident.screenshot(path=str(_artifact(f"test_an_announcement_from_writing_to_withdrawal-{viewport}-public-board.png")), full_page=True)
    resident.get_by_role("link", name="幸福家园1号楼电梯维保通知").click()
    expect(resident.locator("main")).to_contain_text("电梯维保停运")
    expect(resident.locator("main")).to_contain_text(f"公开期 {today:%Y-%m-%d} 至 {today + dt.timedelta(days=3):%Y-%m-%d}")

    # withdrawn: off the public board, on record for the staff
    page.get_by_label("撤下原因").fill("维保改期")
    page.get_by_role("button", name="撤下", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已撤下")
    expect(page.locator("main")).to_contain_text("维保改期")
    resident.goto(f"{live_server.url}/public/{w.C1.pk}/notices/")
    expect(resident.locator("main")).not_to_contain_text("幸福家园1号楼电梯维保通知")
    resident.goto(f"{live_server.url}/public/notices/{notice.pk}/")
    expect(resident.locator("main")).to_contain_text("已于")
    expect(resident.locator("main")).not_to_contain_text("电梯维保停运")
    page.goto(f"{live_server.url}/notices/?state=withdrawn")
    expect(page.locator("table")).to_contain_text("幸福家园1号楼电梯维保通知")
    shot("staff-board")
    resident.context.close()


def _artifact(name):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
