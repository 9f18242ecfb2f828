"""The counter pages and the resident's 积分卡 through the test client, on hand-worked numbers.

The world (root conftest): 幸福社区 C1 (张三, 李四 in 1号楼; 王五) and its sibling 和平社区 C2 (赵六).
C1 has a station (爱心超市) whose operator holds no role and a 道德联盟 merchant with its own
operator; C2 has a station too. District default rates: 厨余 1, 可回收 2, 有害 5, 其他 0.5 points
per kg, at most 5 points a day from garbage.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.bank import services
from gongzhi.bank.models import Account, CounterKind, GarbageDrop, Goods, Redemption, RedemptionCode, Violation
from gongzhi.core.pii import mask_name
from gongzhi.core.scope import EVERYTHING
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _operator(username):
    return User.objects.create_user(username=username, password=PASSWORD, display_name=username)


@pytest.fixture
def bank(world):
    b = SimpleNamespace(w=world)
    b.op_station, b.op_shop, b.op_c2 = _operator("yizhan1"), _operator("shanghu1"), _operator("yizhan2")
    b.station = services.counter_open(scope=EVERYTHING, acting_user=None, community=world.C1, kind=CounterKind.STATION,
                                      name="幸福驿站爱心超市", operators=[b.op_station])
    b.shop = services.counter_open(scope=EVERYTHING, acting_user=None, community=world.C1, kind=CounterKind.MERCHANT,
                                   name="惠民超市", operators=[b.op_shop])
    b.station_c2 = services.counter_open(scope=EVERYTHING, acting_user=None, community=world.C2, kind=CounterKind.STATION,
                                         name="和平驿站", operators=[b.op_c2])
    b.soap = services.goods_save(scope=EVERYTHING, acting_user=None, counter=b.shop, name="洗洁精", points=3, stock=10)
    b.rice = services.goods_save(scope=EVERYTHING, acting_user=None, counter=b.shop, name="理发服务", points=10, stock=None, kind="discount")
    b.zhangsan = services.holder_account(person=world.zhangsan)
    return b


def _balance(account):
    return Account.objects.get(pk=account.pk).balance


def _weigh(client, counter, person, key, **kg):
    data = {"person": person.pk, "key": key, **{f"{kind}_kg": value for kind, value in kg.items()}}
    return client.post(reverse("bank:counter_weigh", args=[counter.pk]), data)


# ---- who may open a counter ------------------------------------------------------------------------


def test_the_operator_opens_their_own_counter_and_no_other(client, bank):
    client.force_login(bank.op_station)
    page = client.get(reverse("bank:counter", args=[bank.station.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "幸福驿站爱心超市" in html and "垃圾分类称重" in html and "积分兑换" in html
    for counter in (bank.station_c2, bank.shop):  # another 社区's station, and a counter of the same 社区 run by someone else
        assert client.get(reverse("bank:counter", args=[counter.pk])).status_code == 404
        assert client.get(reverse("bank:counter_receipts", args=[counter.pk])).status_code == 404
        assert _weigh(client, counter, bank.w.zhangsan, "k-1", kitchen=1).status_code == 404
        assert client.post(reverse("bank:counter_redeem", args=[counter.pk]), {"code": "123456"}).status_code == 404
    assert GarbageDrop.objects.count() == 0


def test_staff_see_counters_in_their_scope_only(client, bank):
    client.force_login(bank.w.shequ1)
    assert client.get(reverse("bank:counter", args=[bank.station.pk])).status_code == 200
    assert client.get(reverse("bank:counter", args=[bank.shop.pk])).status_code == 200
    assert client.get(reverse("bank:counter", args=[bank.station_c2.pk])).status_code == 404
    client.force_login(bank.w.shequ2)
    assert client.get(reverse("bank:counter", args=[bank.station.pk])).status_code == 404
    client.force_login(bank.w.nobody)
    assert client.get(reverse("bank:counter", args=[bank.station.pk])).status_code == 404
    assert client.get(reverse("bank:counter", args=[999999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, bank):
    response = client.get(reverse("bank:counter", args=[bank.station.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# ---- 垃圾分类称重 ----------------------------------------------------------------------------------


def test_weighing_finds_residents_of_the_counters_community_only(client, bank):
    client.force_login(bank.op_station)
    html = client.get(reverse("bank:counter", args=[bank.station.pk]), {"q": "张"}).content.decode()
    assert "张三（1号楼 1-101）" in html
    assert "holder-panel" not in html  # no code looked up: the redemption side shows only the code field
    html = client.get(reverse("bank:counter", args=[bank.station.pk]), {"q": "赵"}).content.decode()
    assert "赵六" not in html and "本社区没有找到" in html
    assert _weigh(client, bank.station, bank.w.zhaoliu, "k-c2", kitchen=2).status_code == 404  # C2's resident
    assert GarbageDrop.objects.count() == 0


def test_weighing_credits_once_per_key_and_stops_at_the_daily_cap(client, bank):
    client.force_login(bank.op_station)
    # 2 kg 厨余 × 1 + 1.5 kg 可回收 × 2 = 5 points, the whole daily cap
    response = _weigh(client, bank.station, bank.w.zhangsan, "k-1", kitchen="2", recyclable="1.5")
    assert response.status_code == 200
    drop = GarbageDrop.objects.get()
    assert (drop.earned, drop.credited, drop.operator) == (5, 5, bank.op_station)
    assert _balance(bank.zhangsan) == 5
    assert response.context["drop"] == drop and response.context["balance"] == 5
    assert response.context["weigh_form"]["key"].value() != "k-1"  # the next weighing gets a new key
    # the same POST again (a refresh, a retried request): the first weighing, nothing credited twice
    again = _weigh(client, bank.station, bank.w.zhangsan, "k-1", kitchen="2", recyclable="1.5")
    assert again.context["drop"] == drop and GarbageDrop.objects.count() == 1 and _balance(bank.zhangsan) == 5
    # another weighing the same day: 0.4 kg 有害 × 5 = 2 points earned, none credited (cap reached)
    capped = _weigh(client, bank.station, bank.w.zhangsan, "k-2", hazardous="0.4")
    assert "今日已达上限" in capped.content.decode()
    assert (capped.context["drop"].earned, capped.context["drop"].credited) == (2, 0)
    assert _balance(bank.zhangsan) == 5 and GarbageDrop.objects.count() == 2
    page = client.get(reverse("bank:counter", args=[bank.station.pk]))
    assert page.context["today"]["drops"] == 2 and page.context["today"]["credited"] == 5
    assert str(page.context["today"]["kg"]) == "3.90"


@pytest.mark.parametrize("weights, field, message", [
    ({}, None, "请至少填写一类垃圾的重量。"),
    ({"kitchen": "120"}, "kitchen_kg", "“厨余垃圾”的重量应在 0-100 公斤之间。"),
    ({"other": "-1"}, "other_kg", "“其他垃圾”的重量不能为负数。"),
    ({"other": "abc"}, "other_kg", "“其他垃圾”的重量须为数字（公斤）。"),
])
def test_weighing_errors_name_the_field_and_write_nothing(client, bank, weights, field, message):
    client.force_login(bank.op_station)
    response = _weigh(client, bank.station, bank.w.zhangsan, "k-bad", **weights)
    assert response.status_code == 200
    form = response.context["weigh_form"]
    assert message in (form.errors.get(field) or form.non_field_errors() if field else form.non_field_errors())
    assert message in response.content.decode()
    assert GarbageDrop.objects.count() == 0 and _balance(bank.zhangsan) == 0


def test_weighing_without_a_resident_asks_for_one(client, bank):
    client.force_login(bank.op_station)
    response = client.post(reverse("bank:counter_weigh", args=[bank.station.pk]), {"key": "k-3", "kitchen_kg": "1"})
    assert response.context["weigh_form"].errors["person"] == ["请选择居民。"]


# ---- 积分兑换 -------------------------------------------------------------------------------------


def _redeem(client, counter, code, key, **quantities):
    data = {"code": code, "key": key, **{f"qty_{goods.pk}": n for goods, n in quantities.values()}}
    return client.post(reverse("bank:counter_redeem", args=[counter.pk]), data)


def test_a_code_looked_up_shows_the_resident_masked_and_the_goods(client, bank):
    services.earn(account=bank.zhangsan, points=20)
    code = services.code_issue(account=bank.zhangsan)
    client.force_login(bank.op_shop)
    response = client.get(reverse("bank:counter", args=[bank.shop.pk]), {"code": code.code})
    html = response.content.decode()
    assert response.context["holder"] == "张*" and "张三" not in html
    assert response.context["account"].balance == 20
    assert "洗洁精" in html and "理发服务" in html and "不限" in html


def test_redeeming_writes_a_receipt_once_per_key(client, bank):
    services.earn(account=bank.zhangsan, points=20)
    code = services.code_issue(account=bank.zhangsan)
    client.force_login(bank.op_shop)
    # 2 × 洗洁精 (3 points) + 1 × 理发服务 (10) = 16 points; 20 - 16 = 4 left
    response = _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, 2), b=(bank.rice, 1))
    receipt = Redemption.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bank:receipt", args=[receipt.pk])
    assert receipt.points == 16 and receipt.operator == bank.op_shop
    assert _balance(bank.zhangsan) == 4 and _balance(bank.shop.account) == 16
    assert Goods.objects.get(pk=bank.soap.pk).stock == 8 and Goods.objects.get(pk=bank.rice.pk).stock is None
    again = _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, 2), b=(bank.rice, 1))  # a double click, a retry
    assert again["Location"] == reverse("bank:receipt", args=[receipt.pk])
    assert Redemption.objects.count() == 1 and _balance(bank.zhangsan) == 4 and Goods.objects.get(pk=bank.soap.pk).stock == 8
    # the code is used: a new request with it is refused at the code field
    refused = _redeem(client, bank.shop, code.code, "r-2", a=(bank.soap, 1))
    assert refused.context["code_form"].errors["code"] == ["兑换码无效或已过期，请居民在手机上刷新后重新出示。"]
    assert Redemption.objects.count() == 1


def test_the_receipt_shows_its_lines_total_and_balance_after(client, bank):
    services.earn(account=bank.zhangsan, points=20)
    code = services.code_issue(account=bank.zhangsan)
    client.force_login(bank.op_shop)
    _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, 2), b=(bank.rice, 1))
    services.earn(account=bank.zhangsan, points=7)  # later: not on this receipt
    receipt = Redemption.objects.get()
    response = client.get(reverse("bank:receipt", args=[receipt.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"No.<b>{receipt.transaction_id}</b>" in html and "惠民超市" in html and "张*" in html and "张三" not in html
    assert [(line.name, line.quantity, line.points) for line in response.context["lines"]] == [("洗洁精", 2, 6), ("理发服务", 1, 10)]
    assert response.context["balance_after"] == 4
    assert "16 分" in html and "4 分" in html
    client.force_login(bank.op_station)  # the station's operator: not their counter's receipt
    assert client.get(reverse("bank:receipt", args=[receipt.pk])).status_code == 404
    client.force_login(bank.w.shequ2)
    assert client.get(reverse("bank:receipt", args=[receipt.pk])).status_code == 404
    client.force_login(bank.w.shequ1)
    assert client.get(reverse("bank:receipt", args=[receipt.pk])).status_code == 200


def test_an_expired_code_is_refused_with_the_reason(client, bank):
    services.earn(account=bank.zhangsan, points=20)
    code = services.code_issue(account=bank.zhangsan, now=timezone.now() - dt.timedelta(minutes=10))  # 180 s: long gone
    client.force_login(bank.op_shop)
    looked_up = client.get(reverse("bank:counter", args=[bank.shop.pk]), {"code": code.code})
    assert looked_up.context["code_form"].errors["code"] == ["兑换码无效或已过期，请居民在手机上刷新后重新出示。"]
    assert "redeem_form" not in looked_up.context
    response = _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, 1))
    assert response.status_code == 200
    assert "兑换码无效或已过期，请居民在手机上刷新后重新出示。" in response.content.decode()
    assert Redemption.objects.count() == 0 and _balance(bank.zhangsan) == 20


@pytest.mark.parametrize("quantity, points, message", [
    (11, 40, "“洗洁精”库存不足：还剩 10 件。"),
    (7, 20, "积分不足：现有 20 分，本次需要 21 分。"),
    (0, 20, "请选择要兑换的物品和数量。"),
])
def test_a_refused_redemption_says_why_and_writes_nothing(client, bank, quantity, points, message):
    services.earn(account=bank.zhangsan, points=points)
    code = services.code_issue(account=bank.zhangsan)
    client.force_login(bank.op_shop)
    response = _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, quantity))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["redeem_form"]["key"].value() == "r-1"  # the same request, corrected, keeps its key
    assert Redemption.objects.count() == 0 and _balance(bank.zhangsan) == points
    assert Goods.objects.get(pk=bank.soap.pk).stock == 10 and RedemptionCode.objects.get().used_at is None


def test_a_barred_account_cannot_redeem(client, bank):
    services.earn(account=bank.zhangsan, points=20)
    Violation.objects.create(account=bank.zhangsan, description="虚报", recorded_on=timezone.localdate(),
                             barred_until=timezone.localdate() + dt.timedelta(days=30))
    code = services.code_issue(account=bank.zhangsan)
    client.force_login(bank.op_shop)
    response = _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, 1))
    assert "该账户因违规停止兑换至" in response.context["code_form"].errors["code"][0]
    assert Redemption.objects.count() == 0


# ---- 退兑 ------------------------------------------------------------------------------------------


def test_a_refund_needs_a_reason_and_gives_points_and_stock_back(client, bank):
    services.earn(account=bank.zhangsan, points=20)
    code = services.code_issue(account=bank.zhangsan)
    client.force_login(bank.op_shop)
    _redeem(client, bank.shop, code.code, "r-1", a=(bank.soap, 2))  # 6 points
    receipt = Redemption.objects.get()
    url = reverse("bank:receipt_refund", args=[receipt.pk])
    response = client.post(url, {"reason": " "})
    assert response.context["refund_form"].errors["reason"] == ["退兑须填写原因。"]
    assert _balance(bank.zhangsan) == 14
    listing = reverse("bank:counter_receipts", args=[bank.shop.pk])
    response = client.post(url, {"reason": "物品退回", "next": listing})
    assert response.status_code == 302 and response["Location"] == listing
    assert _balance(bank.zhangsan) == 20 and _balance(bank.shop.account) == 0 and Goods.objects.get(pk=bank.soap.pk).stock == 10
    html = client.get(listing).content.decode()
    assert "已退兑" in html and f"No.{receipt.transaction_id}" in html
    assert "已退兑" in client.get(reverse("bank:receipt", args=[receipt.pk])).content.decode()
    again = client.post(url, {"reason": "再退一次"})
    assert "该交易已冲正，不能重复冲正。" in again.content.decode() and _balance(bank.zhangsan) == 20
    unsafe = client.post(reverse("bank:receipt_refund", args=[receipt.pk]), {"reason": "x", "next": "https://evil.example/"})
    assert "evil" not in unsafe.get("Location", "")


def test_the_receipt_list_pages_today_and_all(client, bank):
    services.earn(account=bank.zhangsan, points=40)
    client.force_login(bank.op_shop)
    for n in range(3):
        code = services.code_issue(account=bank.zhangsan)
        _redeem(client, bank.shop, code.code, f"r-{n}", a=(bank.soap, 1))
    response = client.get(reverse("bank:counter_receipts", args=[bank.shop.pk]))
    assert len(response.context["page"].rows) == 3 and response.context["today"]["redemptions"] == 3
    assert response.context["today"]["redeemed"] == 9
    assert len(client.get(reverse("bank:counter_receipts", args=[bank.shop.pk]), {"when": "all"}).context["page"].rows) == 3


# ---- the 积分卡 -------------------------------------------------------------------------------------


def test_the_card_opens_by_its_token_only(client, bank):
    token = services.card_issue(scope=EVERYTHING, account=bank.zhangsan)
    services.earn(account=bank.zhangsan, points=12, memo="助老服务")
    response = client.get(reverse("bank:card", args=[token]))
    html = response.content.decode()
    assert response.status_code == 200 and "张*" in html and "张三" not in html
    assert response.context["account"].balance == 12 and "助老服务" in html and "+12" in html
    assert response["Cache-Control"].startswith("max-age=0") and response["X-Robots-Tag"] == "noindex, nofollow"
    for wrong in ("x", token[:-1] + ("A" if token[-1] != "A" else "B"), "0" * 43):
        assert client.get(reverse("bank:card", args=[wrong])).status_code == 404
        assert client.post(reverse("bank:card_code", args=[wrong])).status_code == 404
    services.card_issue(scope=EVERYTHING, account=bank.zhangsan)  # reissued: the old link stops working
    assert client.get(reverse("bank:card", args=[token])).status_code == 404


def test_the_card_shows_a_code_with_its_qr_and_countdown(client, bank):
    token = services.card_issue(scope=EVERYTHING, account=bank.zhangsan)
    response = client.post(reverse("bank:card_code", args=[token]))
    code = RedemptionCode.objects.get()
    html = response.content.decode()
    assert response.status_code == 200 and len(code.code) == 6 and code.code.isdigit()
    assert f"{code.code[:3]} {code.code[3:]}" in html and "<svg" in html
    assert 170 <= response.context["code_seconds"] <= 180


def test_a_barred_card_says_so_and_offers_no_code(client, bank):
    token = services.card_issue(scope=EVERYTHING, account=bank.zhangsan)
    Violation.objects.create(account=bank.zhangsan, description="虚报", recorded_on=timezone.localdate(), barred_until=dt.date(2099, 1, 1))
    html = client.get(reverse("bank:card", args=[token])).content.decode()
    assert "停止兑换至 2099-01-01" in html and reverse("bank:card_code", args=[token]) not in html


def test_the_card_statement_loads_more_by_before(client, bank):
    token = services.card_issue(scope=EVERYTHING, account=bank.zhangsan)
    for n in range(1, 26):
        services.earn(account=bank.zhangsan, points=1, memo=f"第{n}笔")
    first = client.get(reverse("bank:card", args=[token]))
    lines = [line for line, _kind in first.context["lines"]]
    assert len(lines) == 20 and lines[0].memo == "第25笔" and lines[0].balance == 25 and lines[-1].memo == "第6笔"
    more = first.context["more"]
    assert more == lines[-1].transaction_id
    rows = client.get(reverse("bank:card", args=[token]), {"before": more}, HTTP_HX_REQUEST="true")
    html = rows.content.decode()
    assert "<html" not in html and "第5笔" in html and "第1笔" in html and "第6笔" not in html and "加载更多" not in html
    assert client.get(reverse("bank:card", args=[token]), {"before": more}).status_code == 200  # without JS: the whole page


def test_mask_name():
    assert [mask_name(n) for n in ("张三丰", "张三", "张", "欧阳娜娜", "")] == ["张*丰", "张*", "张", "欧**娜", ""]


# ---- issuing a card link (staff) -------------------------------------------------------------------


def test_staff_in_scope_issue_and_reissue_a_card_link(client, bank):
    url = reverse("bank:card_issue", args=[bank.zhangsan.pk])
    client.force_login(bank.w.shequ2)
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    client.force_login(bank.op_station)  # operators see no accounts
    assert client.get(url).status_code == 404
    client.force_login(bank.w.shequ1)
    assert "生成积分卡链接" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    token = Account.objects.get(pk=bank.zhangsan.pk).card_token
    page = client.get(url)
    assert token and f"/bank/card/{token}/" in page.content.decode() and "<svg" in page.content.decode()
    response = client.post(url, {"next": "/bank/accounts/"})
    assert response["Location"] == "/bank/accounts/" and Account.objects.get(pk=bank.zhangsan.pk).card_token != token
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == url
    client.post(reverse("bank:card_issue", args=[bank.station.account.pk]))  # not a holder's account: refused
    assert Account.objects.get(pk=bank.station.account.pk).card_token is None


# ---- queries -----------------------------------------------------------------------------------------


def test_the_counter_page_queries_do_not_grow_with_receipts(client, bank, django_assert_max_num_queries):
    services.earn(account=bank.zhangsan, points=100)
    client.force_login(bank.op_shop)
    for n in range(8):
        code = services.code_issue(account=bank.zhangsan)
        _redeem(client, bank.shop, code.code, f"r-{n}", a=(bank.soap, 1))
    code = services.code_issue(account=bank.zhangsan)
    url = reverse("bank:counter", args=[bank.shop.pk])
    # session, user, counter, operators, today's redemptions, recent receipts; the code, goods, bar
    with django_assert_max_num_queries(10):
        assert client.get(url, {"code": code.code}).status_code == 200
    client.force_login(bank.op_station)
    with django_assert_max_num_queries(11):  # + today's weighings; the resident search (its sizes, a capped count, the rows)
        assert client.get(reverse("bank:counter", args=[bank.station.pk]), {"q": "张"}).status_code == 200


def test_an_operator_lands_on_their_counter(client, world):
    operator = User.objects.create_user(username="op_home", password="x")
    first = services.counter_open(scope=EVERYTHING, acting_user=None, community=world.C1, kind="station", name="幸福驿站", operators=[operator])
    client.force_login(operator)
    assert client.get("/").url == reverse("bank:counter", args=[first.pk])  # one counter: straight there
    services.counter_open(scope=EVERYTHING, acting_user=None, community=world.C1, kind="merchant", name="惠民超市", operators=[operator])
    html = client.get("/").content.decode()
    assert "我的兑换点" in html and "幸福驿站" in html and "惠民超市" in html and "尚未开通管理范围" not in html


def test_an_operator_sees_no_staff_menu(client, world):
    operator = User.objects.create_user(username="op_menu", password="x")
    counter = services.counter_open(scope=EVERYTHING, acting_user=None, community=world.C1, kind="station", name="幸福驿站", operators=[operator])
    client.force_login(operator)
    html = client.get(reverse("bank:counter", args=[counter.pk])).content.decode()
    assert "幸福驿站" in html and "工作台" in html and "数据看板" not in html and "组织生活" not in html
