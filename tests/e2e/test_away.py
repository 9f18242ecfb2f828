"""在外党员 in the browser: the secretary generates a member's personal link, the member opens it
on a phone (no login) and sends a 思想汇报, the secretary sees them move from 未汇报 to 已汇报
and reads the report; the member sees the reply."""

from playwright.sync_api import expect

from gongzhi.partylife.models import AwayReport, MemberLink
from tests.e2e.conftest import ARTIFACTS

PHONE = {"width": 390, "height": 844}


def test_member_away_reports_from_a_phone(page, browser, live_server, world, login, shot):
    zhangsan = world.m_zhangsan
    zhangsan.is_away, zhangsan.away_location, zhangsan.away_reason = True, "广东省深圳市", "外出务工"
    zhangsan.save()
    login("zhibu1")
    away_url = f"{live_server.url}/partylife/orgs/{world.O_K1.pk}/away/"
    page.goto(away_url)
    row = page.locator(f"tr[data-member='{zhangsan.pk}']")
    expect(row).to_contain_text("未汇报")
    expect(row).to_contain_text("广东省深圳市")
    shot("away-list")

    page.get_by_role("button", name="为张三生成专属链接").click()
    expect(page.get_by_role("heading", name="张三的专属链接")).to_be_visible()
    expect(page.locator(".away-qr svg")).to_be_visible()
    link = page.get_by_label("专属链接", exact=True).input_value()
    assert "/m/" in link and not MemberLink.objects.filter(token_hash__contains=link.rsplit("/", 2)[-2]).exists()
    shot("link-once")

    phone_context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(10_000)

    def phone_shot(name):
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / f"test_member_away_reports_from_a_phone-phone-{name}.png"), full_page=True)

    try:
        phone.goto(link)
        expect(phone.get_by_role("heading", name="张三同志，您好")).to_be_visible()
        expect(phone.locator("body")).to_contain_text("幸福家园党支部")
        expect(phone.locator("body")).to_contain_text("本季度尚未汇报")
        phone_shot("home")
        phone.get_by_role("link", name="写汇报").click()
        expect(phone.get_by_label("现在所在地")).to_have_value("广东省深圳市")
        phone.get_by_role("button", name="提交").click()  # empty: the form says what is missing
        expect(phone.locator(".field.has-error")).to_have_count(2)
        expect(phone.locator("body")).to_contain_text("请填写标题。")
        phone_shot("form-errors")
        phone.get_by_label("思想汇报").check()
        phone.get_by_label("标题").fill("第四季度思想汇报")
        phone.get_by_label("内容").fill("敬爱的党组织：\n　　本季度我在深圳务工，坚持参加流入地党组织的学习。\n　　今后继续保持与支部的联系。")
        phone_shot("form")
        phone.get_by_role("button", name="提交").click()
        expect(phone.locator(".msg.success")).to_contain_text("汇报已提交")
        expect(phone.locator(".away-report")).to_contain_text("第四季度思想汇报")
        expect(phone.locator("body")).to_contain_text("本季度已汇报")
        phone_shot("submitted")

        page.goto(away_url)
        expect(row).to_contain_text("已汇报")
        expect(row).not_to_contain_text("未汇报")
        page.get_by_role("link", name="未汇报 0", exact=True).click()
        expect(page.locator("tr[data-member]")).to_have_count(0)
        page.goto(away_url)
        shot("away-reported")
        row.get_by_role("link", name="第四季度思想汇报").click()
        expect(page.locator(".away-content")).to_contain_text("坚持参加流入地党组织的学习")
        page.get_by_label("回复（可不填）").fill("收到，注意身体，常联系。")
        page.get_by_role("button", name="标记已阅").click()
        expect(page.locator(".msg.success")).to_contain_text("已阅示")
        shot("report-read")
        report = AwayReport.objects.get()
        assert report.read_by == world.zhibu1 and report.reply == "收到，注意身体，常联系。"

        phone.reload()
        expect(phone.locator(".away-report")).to_contain_text("支部已阅")
        expect(phone.locator(".away-reply-text")).to_contain_text("收到，注意身体，常联系。")
        phone.locator(".away-report summary").first.click()
        phone_shot("replied")
    finally:
        phone_context.close()
