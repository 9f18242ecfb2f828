"""道德银行 at the counter, in a browser, on a desktop and on a phone: a station's operator (a user
with no role anywhere, only on the station's operators) weighs 张三's sorted garbage; 张三 opens
his 积分卡 link on his phone and shows a redemption code; the merchant's operator types the code,
picks the goods and confirms; the receipt shows the total and the stock goes down.

District default rates: 厨余 1 and 可回收 2 points per kg, at most 5 points a day from garbage.
"""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from gongzhi.accounts.models import User
from gongzhi.bank import services
from gongzhi.bank.models import Account, CounterKind, GarbageDrop, Goods, Redemption
from gongzhi.core.scope import EVERYTHING

from tests.e2e.conftest import ARTIFACTS, VIEWPORTS


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_weigh_then_redeem_with_the_phones_code(page, browser, live_server, world, login, shot, viewport, request):
    w = world
    yizhan = User.objects.create_user(username="yizhan1", password=PASSWORD, display_name="驿站管理员")
    shanghu = User.objects.create_user(username="shanghu1", password=PASSWORD, display_name="惠民超市店员")
    station = services.counter_open(scope=EVERYTHING, acting_user=None, community=w.C1, kind=CounterKind.STATION, name="幸福驿站爱心超市",
                                     address="幸福家园1号楼下", operators=[yizhan])
    shop = services.counter_open(scope=EVERYTHING, acting_user=None, community=w.C1, kind=CounterKind.MERCHANT, name="惠民超市",
                                 operators=[shanghu])
    soap = services.goods_save(scope=EVERYTHING, acting_user=None, counter=shop, name="洗洁精", points=3, stock=10)
    services.goods_save(scope=EVERYTHING, acting_user=None, counter=shop, name="大米（5斤）", points=10, stock=5)
    services.goods_save(scope=EVERYTHING, acting_user=None, counter=shop, name="理发九折", points=2, stock=None, kind="discount")
    account = services.holder_account(person=w.zhangsan)
    token = services.card_issue(scope=EVERYTHING, account=account)

    # the station's operator weighs 张三's garbage: 2 kg 厨余 × 1 + 1.5 kg 可回收 × 2 = 5 points
    login("yizhan1")
    page.goto(f"{live_server.url}/bank/counters/{station.pk}/")
    expect(page.locator("h1")).to_contain_text("幸福驿站爱心超市")
    page.get_by_label("查找居民").fill("张")
    page.get_by_label("张三（1号楼 1-101）").check()
    page.get_by_label("厨余垃圾（公斤）").fill("2")
    page.get_by_label("可回收物（公斤）").fill("1.5")
    shot("weigh-form")
    page.get_by_role("button", name="记录称重").click()
    result = page.locator(".weigh-result")
    expect(result).to_contain_text("张三 称重已记录")
    expect(result.locator(".credited")).to_have_text("5")
    expect(page.locator("#today .tile.tone-ok .tile-value")).to_have_text("5")  # today's figures follow (htmx out of band)
    shot("weighed")
    assert Account.objects.get(pk=account.pk).balance == 5 and GarbageDrop.objects.get().credited == 5

    # 张三 on his phone: the card, then a code
    phone = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN", is_mobile=True)
    try:
        card = phone.new_page()
        card.goto(f"{live_server.url}/bank/card/{token}/")
        expect(card.locator(".bank-card-balance")).to_contain_text("5")
        expect(card.locator(".bank-card-holder")).to_contain_text("张*")
        expect(card.locator(".statement")).to_contain_text("垃圾分类积分")
        card.get_by_role("button", name="出示兑换码").click()
        digits = card.locator(".code-digits")
        expect(digits).to_be_visible()
        expect(card.locator(".code-qr svg")).to_be_visible()
        expect(card.locator(".countdown-time")).to_have_text(re.compile(r"^[0-3]:\d\d$"))
        code = digits.get_attribute("data-code")
        assert code and len(code) == 6 and code.isdigit()
        card.screenshot(path=str(ARTIFACTS / f"{request.node.originalname}-{viewport}-resident-card.png"), full_page=True)
    finally:
        phone.close()

    # the merchant's operator: the code (a scanner types it and presses Enter), the goods, confirm
    login("shanghu1")
    page.goto(f"{live_server.url}/bank/counters/{shop.pk}/")
    expect(page.locator("#weigh")).to_have_count(0)  # a merchant does not weigh
    page.get_by_label("兑换码").fill(code)
    page.get_by_label("兑换码").press("Enter")
    expect(page.locator(".holder-name")).to_have_text("张*")
    expect(page.locator(".holder-balance")).to_have_text("5")
    page.get_by_label("“洗洁精”数量").fill("1")
    page.get_by_label("“理发九折”数量").fill("1")
    expect(page.locator("[data-total]")).to_have_text("5")
    shot("redeem")
    page.get_by_role("button", name="确认兑换").click()
    expect(page.locator("h1")).to_contain_text("兑换凭证")
    receipt = Redemption.objects.get()
    expect(page.locator(".receipt-no")).to_contain_text(str(receipt.transaction_id))
    expect(page.locator(".receipt-total")).to_contain_text("5 分")
    expect(page.locator(".receipt-lines")).to_contain_text("洗洁精")
    expect(page.locator(".receipt-holder")).to_have_text("张*")
    shot("receipt")
    assert receipt.points == 5 and Account.objects.get(pk=account.pk).balance == 0
    assert Goods.objects.get(pk=soap.pk).stock == 9

    # the receipts of the day, with the 退兑 button
    page.get_by_role("link", name="返回兑换点").click()
    page.locator("#recent").get_by_role("link", name="全部兑换凭证").click()
    expect(page.locator("table.receipts-table")).to_contain_text("张*")
    shot("receipts")
