"""The 道德银行 in a browser, on a desktop and on a phone: a 社区 worker (shequ1) logs a good deed of
张三 and the 道德评议会's approval; the public 公示 shows it with the name masked; a resident objects
there; the worker dismisses the objection; once the 公示 has ended the credit button credits it and
张三's account shows the points."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.bank.models import Deed, DeedStatus


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_a_deed_from_logging_to_credit(page, live_server, world, login, shot, viewport):
    w = world
    login("shequ1")
    page.goto(f"{live_server.url}/bank/")
    expect(page.locator("h1")).to_have_text("道德银行")
    shot("overview")

    # 登记善行: find 张三, fill the deed
    page.goto(f"{live_server.url}/bank/deeds/new/")
    page.get_by_label("查找居民").fill("张三")
    page.get_by_role("button", name="查找", exact=True).click()
    page.get_by_label("居民", exact=True).select_option(label="张三（幸福社区 幸福家园 1号楼）")
    page.get_by_label("善行类别").select_option(label="助人为乐（5-15分）")
    page.get_by_label("发生日期").fill(f"{timezone.localdate() - dt.timedelta(days=2):%Y-%m-%d}")
    page.get_by_label("事迹").fill("雨夜护送走失老人回家")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已登记张三的善行")

    # 评议: a score out of range is refused by name, then approved with 12
    page.get_by_label("评议分值").fill("20")
    page.get_by_label("评议会成员").fill("王主任、刘委员")
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator(".field.has-error")).to_contain_text("“助人为乐”的分值应在 5-15 分之间。")
    page.get_by_label("评议分值").fill("12")
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator(".msg.success")).to_contain_text("评议通过，12 分")
    expect(page.locator("h1")).to_contain_text("公示中")
    shot("deed-publicised")
    deed = Deed.objects.get()

    # the public 公示: the name masked; a resident objects
    page.goto(f"{live_server.url}/public/{w.C1.pk}/bank/")
    card = page.locator(f"#deed-{deed.pk}")
    expect(card).to_contain_text("张* · 助人为乐")
    expect(card).to_contain_text("雨夜护送走失老人回家")
    expect(page.locator("body")).not_to_contain_text("张三")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    card.get_by_text("对此有异议").click()
    card.get_by_label("您的姓名").fill("赵大爷")
    card.get_by_label("异议理由").fill("那天晚上他不在小区")
    shot("public-objection")
    card.get_by_role("button", name="提交异议").click()
    expect(page.locator(".msg.success")).to_contain_text("感谢您的监督")
    expect(page.locator(f"#deed-{deed.pk}")).to_contain_text("有异议，核实中")
    shot("public-thanks")

    # the worker dismisses the objection: the 公示 runs on
    page.goto(f"{live_server.url}/bank/deeds/{deed.pk}/")
    expect(page.locator("h1")).to_contain_text("有异议")
    row = page.locator("#objections tbody tr").first
    expect(row).to_contain_text("赵大爷")
    row.get_by_label("异议不成立，继续公示").check()
    row.get_by_label("处理意见").fill("经评议会核实，当晚确为张三护送")
    row.get_by_role("button", name="处理异议").click()
    expect(page.locator(".msg.success")).to_contain_text("异议不成立，公示继续。")
    expect(page.locator("h1")).to_contain_text("公示中")
    shot("objection-dismissed")

    # the 公示 ends: the credit button credits it, the account shows 12
    Deed.objects.filter(pk=deed.pk).update(publicity_ends_on=timezone.localdate() - dt.timedelta(days=1))
    page.goto(f"{live_server.url}/bank/deeds/")
    page.get_by_role("button", name="入账到期公示").click()
    expect(page.locator(".msg.success")).to_contain_text("已为 1 条公示期满的善行记入积分。")
    shot("deeds-credited")
    assert Deed.objects.get().status == DeedStatus.CREDITED
    page.goto(f"{live_server.url}/bank/accounts/")
    page.get_by_role("link", name="张三").click()
    expect(page.locator(".tile").first).to_contain_text("12")
    expect(page.locator(".bank-statement")).to_contain_text("善行积分：助人为乐")
    shot("account")
