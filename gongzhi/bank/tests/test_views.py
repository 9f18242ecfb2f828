"""The 道德银行 management pages and the public 公示 on hand-worked cases: every page renders for a
社区 worker (shequ1, 幸福社区 C1); each form does its write (a deed logged, reviewed, objected to,
the objection dismissed, credited; a violation; a counter, its goods, a month settled and its
statement exported; an event with a stall; the 社区's own rules; the year-end expiry) with the
figures worked out by hand; bad input shows the Chinese error naming the field and writes nothing."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.bank import services
from gongzhi.bank.models import (Account, AccountKind, BankPolicy, CharityEvent, Counter, Deed, DeedCategory, DeedObjection, DeedStatus,
                                 Goods, Redemption, Settlement, Transaction, TransactionKind, Violation)

TODAY = timezone.localdate


def months_ago(n: int) -> dt.date:
    first = TODAY().replace(day=1)
    for _i in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def backdate(txn: Transaction, when: dt.datetime) -> None:
    Transaction.objects.filter(pk=txn.pk).update(created_at=when)  # transactions are immutable to save(), not to a test


def logged(w, scope, user, person, *, category=None, points=None, description="帮助邻居老人买菜送药") -> Deed:
    """A deed of `person`, reviewed with `points` (then on 公示) when given."""
    deed = services.deed_report(scope=scope, acting_user=user, person=person, category=category or w.helping, description=description,
                                occurred_on=TODAY() - dt.timedelta(days=3), reported_by="社区登记")
    if points is not None:
        deed = services.deed_review(scope=scope, acting_user=user, deed=deed, approve=True, points=points, reviewers="王主任、刘委员")
    return deed


def credited(w, scope, user, person, points, **kwargs) -> Deed:
    deed = logged(w, scope, user, person, points=points, **kwargs)
    Deed.objects.filter(pk=deed.pk).update(publicity_ends_on=TODAY() - dt.timedelta(days=1))
    services.deeds_credit_due(community=deed.community, acting_user=user)
    deed.refresh_from_db()
    return deed


def station(w, scope, user, community, name):
    return services.counter_open(scope=scope, acting_user=user, community=community, kind="station", name=name)


@pytest.fixture
def w(world, scope_of):
    world.s1, world.s2 = scope_of(world.shequ1), scope_of(world.shequ2)
    world.helping = DeedCategory.objects.get(community__isnull=True, name="助人为乐")  # 5-15 points
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context and "messages" in response.context else []


# ---- every page renders --------------------------------------------------------------------------


def test_every_page_renders_for_a_community_worker(c1, w):
    deed = credited(w, w.s1, w.shequ1, w.zhangsan, 12)
    counter = station(w, w.s1, w.shequ1, w.C1, "幸福驿站爱心超市")
    event = services.event_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, kind="market", title="十二月公益集市",
                                  held_on=TODAY(), venue="社区广场")
    pages = {
        reverse("bank:overview"): "道德银行", reverse("bank:deeds"): "张三", reverse("bank:deed_new") + "?q=张": "张三",
        reverse("bank:deed", args=[deed.pk]): "帮助邻居老人买菜送药", reverse("bank:accounts"): "张三",
        reverse("bank:account", args=[deed.account_id]): "善行积分", reverse("bank:counters"): "幸福驿站爱心超市",
        reverse("bank:counter_new"): "道德联盟商户", reverse("bank:counter_manage", args=[counter.pk]): "月度结算",
        reverse("bank:events"): "十二月公益集市", reverse("bank:event_new"): "活动名称", reverse("bank:event", args=[event.pk]): "添加摊位",
        reverse("bank:rules"): "全区默认", reverse("bank:expiry"): "年底到期清理", reverse("bank:public", args=[w.C1.pk]): "道德银行公示",
    }
    for url, text in pages.items():
        r = c1.get(url)
        assert r.status_code == 200, url
        assert text in r.content.decode(), url
    c1.logout()
    assert c1.get(reverse("bank:public", args=[w.C1.pk])).status_code == 200  # the 公示 needs no login
    assert c1.get(reverse("bank:overview")).status_code == 302


def test_the_nav_shows_the_bank_to_place_staff_only(client, w):
    client.force_login(w.shequ1)
    assert "道德银行" in client.get(reverse("web:home")).content.decode()
    client.force_login(w.wangge1)  # a grid worker: no 社区 of their own
    assert reverse("bank:overview") not in client.get(reverse("web:home")).content.decode()


# ---- the overview --------------------------------------------------------------------------------


def test_the_overview_counts_issued_redeemed_and_lapsed_points_of_the_year(c1, w, client):
    zhang = credited(w, w.s1, w.shequ1, w.zhangsan, 12).account  # issued 12
    li = services.holder_account(person=w.lisi)
    services.earn(account=li, points=8)  # issued 8 → 20
    services.violation_record(scope=w.s1, acting_user=w.shequ1, account=li, description="虚报善行")  # lapsed 8
    wang = services.holder_account(person=w.wangwu)
    services.reverse(txn=services.earn(account=wang, points=3))  # issued 3 and taken back: still 20
    shop = station(w, w.s1, w.shequ1, w.C1, "幸福驿站")
    services.redeem(account=zhang, at=shop.account, points=7)  # redeemed 7
    services.reverse(txn=services.redeem(account=zhang, at=shop.account, points=2))  # redeemed 2, refunded: still 7
    last_year = services.earn(account=zhang, points=4)
    backdate(last_year, at(dt.date(TODAY().year - 1, 6, 1)))  # another year: not counted
    services.earn(account=services.holder_account(person=w.zhaoliu), points=50)  # C2
    logged(w, w.s1, w.shequ1, w.zhangsan)  # waiting for review
    r = c1.get(reverse("bank:overview"))
    totals = r.context["totals"]
    assert (totals.issued, totals.redeemed, totals.lapsed) == (20, 7, 8)
    assert r.context["deeds"]["reported"] == 1 and r.context["counter_total"] == 1
    client.force_login(w.jiedao1)  # the 街道 sees both 社区
    totals = client.get(reverse("bank:overview")).context["totals"]
    assert (totals.issued, totals.redeemed, totals.lapsed) == (70, 7, 8)


# ---- deeds ---------------------------------------------------------------------------------------


def _deed_data(w, **changes):
    data = {"person": w.zhangsan.pk, "category": w.helping.pk, "occurred_on": f"{TODAY() - dt.timedelta(days=2):%Y-%m-%d}",
            "description": "雨夜护送走失老人回家", "reported_by": "李网格员"}
    return data | changes


def test_logging_a_deed(c1, w):
    r = c1.post(reverse("bank:deed_new"), _deed_data(w))
    deed = Deed.objects.get()
    assert r.status_code == 302 and r.url == reverse("bank:deed", args=[deed.pk])
    assert (deed.person, deed.community, deed.category, deed.status, deed.recorded_by) == (w.zhangsan, w.C1, w.helping, DeedStatus.REPORTED, w.shequ1)


@pytest.mark.parametrize("changes, error", [
    ({"description": ""}, "请填写事迹。"),
    ({"reported_by": "  "}, "请填写报送人。"),
    ({"occurred_on": "2099-01-01"}, "发生日期不能晚于今天。"),
    ({"occurred_on": "昨天"}, "请按“年-月-日”填写发生日期。"),
    ({"person": ""}, "请选择居民。"),
    ({"category": ""}, "请选择善行类别。"),
])
def test_a_deed_with_bad_input_is_refused_by_name(c1, w, changes, error):
    r = c1.post(reverse("bank:deed_new"), _deed_data(w, **changes))
    assert r.status_code == 200 and error in r.content.decode()
    assert not Deed.objects.exists()


def test_a_category_of_another_community_is_refused(c1, w):
    theirs = DeedCategory.objects.create(community=w.C2, name="和平志愿", min_points=5, max_points=8)
    r = c1.post(reverse("bank:deed_new"), _deed_data(w, category=theirs.pk))
    assert "请从列表中选择善行类别。" in r.content.decode() and not Deed.objects.exists()


def test_reviewing_a_deed(c1, w):
    deed = logged(w, w.s1, w.shequ1, w.zhangsan)
    url = reverse("bank:deed", args=[deed.pk])
    r = c1.post(url, {"action": "review", "review-decision": "approve", "review-points": "16", "review-reviewers": "王主任"})
    assert "“助人为乐”的分值应在 5-15 分之间。" in r.content.decode()
    r = c1.post(url, {"action": "review", "review-decision": "approve", "review-points": "", "review-reviewers": "王主任"})
    assert "评议通过须填写评议分值。" in r.content.decode()
    r = c1.post(url, {"action": "review", "review-decision": "reject", "review-reviewers": "王主任"})
    assert "不予通过须填写评议意见。" in r.content.decode()
    r = c1.post(url, {"action": "review", "review-decision": "approve", "review-points": "12", "review-reviewers": ""})
    assert "请填写评议会成员。" in r.content.decode()
    deed.refresh_from_db()
    assert deed.status == DeedStatus.REPORTED and deed.points is None
    r = c1.post(url, {"action": "review", "review-decision": "approve", "review-points": "12", "review-reviewers": "王主任、刘委员"}, follow=True)
    deed.refresh_from_db()
    assert (deed.status, deed.points, deed.publicity_ends_on) == (DeedStatus.PUBLICISED, 12, TODAY() + dt.timedelta(days=7))
    assert f"评议通过，12 分，公示至 {deed.publicity_ends_on}。" in messages_of(r)
    r = c1.post(url, {"action": "review", "review-decision": "approve", "review-points": "12", "review-reviewers": "王主任"}, follow=True)
    assert "该善行当前为“公示中”，不能进行此操作。" in messages_of(r)


def test_rejecting_a_deed(c1, w):
    deed = logged(w, w.s1, w.shequ1, w.zhangsan)
    c1.post(reverse("bank:deed", args=[deed.pk]), {"action": "review", "review-decision": "reject", "review-reviewers": "王主任",
                                                    "review-review_note": "事迹不属实"})
    deed.refresh_from_db()
    assert (deed.status, deed.review_note) == (DeedStatus.REJECTED, "事迹不属实")


def test_an_objection_logged_by_a_worker_and_dismissed(c1, w):
    deed = logged(w, w.s1, w.shequ1, w.zhangsan, points=10)
    url = reverse("bank:deed", args=[deed.pk])
    r = c1.post(url, {"action": "object", "object-raised_by": "", "object-reason": "不是他做的"})
    assert "请填写异议人。" in r.content.decode() and not DeedObjection.objects.exists()
    c1.post(url, {"action": "object", "object-raised_by": "赵大爷", "object-reason": "不是他做的"})
    objection = DeedObjection.objects.get()
    deed.refresh_from_db()
    assert deed.status == DeedStatus.OBJECTED and objection.recorded_by == w.shequ1
    r = c1.post(url, {"action": f"resolve-{objection.pk}", f"resolve-{objection.pk}-upheld": "no", f"resolve-{objection.pk}-resolution": ""})
    assert "请填写处理意见。" in r.content.decode()
    r = c1.post(url, {"action": f"resolve-{objection.pk}", f"resolve-{objection.pk}-upheld": "no",
                      f"resolve-{objection.pk}-resolution": "经核实确为张三所做"}, follow=True)
    assert "异议不成立，公示继续。" in messages_of(r)
    deed.refresh_from_db()
    objection.refresh_from_db()
    assert deed.status == DeedStatus.PUBLICISED and objection.upheld is False


def test_an_upheld_objection_rejects_the_deed(c1, w):
    deed = logged(w, w.s1, w.shequ1, w.zhangsan, points=10)
    objection = services.deed_object(deed=deed, raised_by="赵大爷", reason="虚报")
    c1.post(reverse("bank:deed", args=[deed.pk]), {"action": f"resolve-{objection.pk}", f"resolve-{objection.pk}-upheld": "yes",
                                                    f"resolve-{objection.pk}-resolution": "经核实为虚报"})
    deed.refresh_from_db()
    assert deed.status == DeedStatus.REJECTED and deed.review_note == "异议成立：经核实为虚报"


def test_the_credit_button_credits_the_deeds_whose_publicity_ended(c1, w):
    due = logged(w, w.s1, w.shequ1, w.zhangsan, points=12)
    running = logged(w, w.s1, w.shequ1, w.lisi, points=6)
    Deed.objects.filter(pk=due.pk).update(publicity_ends_on=TODAY() - dt.timedelta(days=1))
    theirs = logged(w, w.s2, w.shequ2, w.zhaoliu, points=9)
    Deed.objects.filter(pk=theirs.pk).update(publicity_ends_on=TODAY() - dt.timedelta(days=1))
    r = c1.post(reverse("bank:deeds") + "?status=publicised", {"action": "credit"}, follow=True)
    assert "已为 1 条公示期满的善行记入积分。" in messages_of(r)
    assert r.redirect_chain[-1][0] == reverse("bank:deeds") + "?status=publicised"
    assert [d.status for d in Deed.objects.filter(pk__in=[due.pk, running.pk, theirs.pk]).order_by("pk")] == ["credited", "publicised", "publicised"]
    assert services.holder_account(person=w.zhangsan).balance == 12
    r = c1.post(reverse("bank:deeds"), {"action": "credit"}, follow=True)
    assert "没有公示期满待入账的善行。" in messages_of(r)


def test_the_deed_list_filters(c1, w):
    logged(w, w.s1, w.shequ1, w.zhangsan, points=12)
    logged(w, w.s1, w.shequ1, w.lisi)
    names = lambda r: [d.person.name for d in r.context["page"].rows]  # noqa: E731
    assert sorted(names(c1.get(reverse("bank:deeds")))) == ["张三", "李四"]
    assert names(c1.get(reverse("bank:deeds") + "?status=reported")) == ["李四"]
    assert names(c1.get(reverse("bank:deeds") + "?q=张")) == ["张三"]
    assert names(c1.get(reverse("bank:deeds") + f"?category={w.helping.pk}&community={w.C1.pk}")) == ["李四", "张三"]


# ---- the public 公示 --------------------------------------------------------------------------------


def test_the_public_page_masks_names_and_takes_an_objection(client, w):
    showing = logged(w, w.s1, w.shequ1, w.zhangsan, points=12, description="雨夜护送走失老人回家")
    done = credited(w, w.s1, w.shequ1, w.lisi, 8, description="照顾独居邻居")
    logged(w, w.s1, w.shequ1, w.wangwu)  # not reviewed: not shown
    url = reverse("bank:public", args=[w.C1.pk])
    html = client.get(url).content.decode()
    assert "张*" in html and "雨夜护送走失老人回家" in html and "李*" in html and "照顾独居邻居" in html
    assert "张三" not in html and "李四" not in html and "王五" not in html
    r = client.post(url, {"deed": showing.pk, "raised_by": "", "reason": ""})
    assert "请填写您的姓名。" in r.content.decode() and "请填写异议理由。" in r.content.decode()
    r = client.post(url, {"deed": showing.pk, "raised_by": "赵大爷", "reason": "那天他不在家"}, follow=True)
    assert "感谢您的监督" in r.content.decode()
    objection = DeedObjection.objects.get()
    assert (objection.deed, objection.raised_by, objection.recorded_by) == (showing, "赵大爷", None)
    assert client.post(url, {"deed": done.pk, "raised_by": "赵大爷", "reason": "x"}).status_code == 404  # not on 公示
    assert client.get(reverse("bank:public", args=[w.S1.pk])).status_code == 404  # a 街道 has no 公示
    assert client.get(reverse("bank:public", args=[999999])).status_code == 404


def test_the_public_objection_form_takes_five_an_hour_from_one_address(client, w):
    showing = logged(w, w.s1, w.shequ1, w.zhangsan, points=12, description="雨夜护送走失老人回家")
    url = reverse("bank:public", args=[w.C1.pk])
    for i in range(5):
        client.post(url, {"deed": showing.pk, "raised_by": f"居民{i}", "reason": "核实一下"}, REMOTE_ADDR="10.0.0.7")
    r = client.post(url, {"deed": showing.pk, "raised_by": "居民6", "reason": "再来一条"}, REMOTE_ADDR="10.0.0.7")
    assert "提交过于频繁" in r.content.decode()
    assert DeedObjection.objects.count() == 5
    client.post(url, {"deed": showing.pk, "raised_by": "另一位居民", "reason": "换个地址"}, REMOTE_ADDR="10.0.0.8")
    assert DeedObjection.objects.count() == 6  # counted per address


def test_the_accounts_list_and_its_export(c1, w):
    credited(w, w.s1, w.shequ1, w.zhangsan, 12)
    services.earn(account=services.holder_account(person=w.lisi), points=30)
    services.earn(account=services.holder_account(person=w.zhaoliu), points=50)  # C2
    r = c1.get(reverse("bank:accounts"))
    assert [(a.person.name, a.balance) for a in r.context["page"].rows] == [("李四", 30), ("张三", 12)]
    assert [a.person.name for a in c1.get(reverse("bank:accounts") + "?q=张").context["page"].rows] == ["张三"]
    r = c1.get(reverse("bank:accounts") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(row[2], row[4], row[5]) for row in rows] == [("李四", "幸福社区", 30), ("张三", "幸福社区", 12)]
    assert rows[1][3] == "幸福家园 1号楼"


def test_an_account_page_with_its_statement_and_a_violation(c1, w):
    account = credited(w, w.s1, w.shequ1, w.zhangsan, 12).account
    services.earn(account=account, points=5, memo="志愿服务 2.5 小时")
    url = reverse("bank:account", args=[account.pk])
    r = c1.get(url)
    assert [(line.amount, line.balance) for line in r.context["lines"]] == [(5, 17), (12, 12)]
    r = c1.post(url, {"description": "  ", "recorded_on": f"{TODAY():%Y-%m-%d}"})
    assert "请填写违规情形。" in r.content.decode() and not Violation.objects.exists()
    r = c1.post(url, {"description": "虚报善行骗取积分", "recorded_on": f"{TODAY():%Y-%m-%d}"}, follow=True)
    account.refresh_from_db()
    violation = Violation.objects.get()
    assert account.balance == 0 and violation.barred_until == TODAY() + dt.timedelta(days=365)
    assert f"已记录违规，积分已清零，{violation.barred_until} 前停止兑换。" in messages_of(r)
    assert "停止兑换至" in r.content.decode()


def test_the_statement_loads_more_lines_before_a_transaction(c1, w, monkeypatch):
    from gongzhi.bank import account_views

    monkeypatch.setattr(account_views, "STATEMENT_LINES", 2)
    account = services.holder_account(person=w.zhangsan)
    txns = [services.earn(account=account, points=n) for n in (1, 2, 3)]
    url = reverse("bank:account", args=[account.pk])
    r = c1.get(url)
    assert [line.amount for line in r.context["lines"]] == [3, 2] and r.context["more"] == txns[1].pk
    r = c1.get(url + f"?before={txns[1].pk}", HTTP_HX_REQUEST="true")
    assert [line.amount for line in r.context["lines"]] == [1] and "加载更多" not in r.content.decode()
    assert "<html" not in r.content.decode()  # the rows alone, appended by htmx


# ---- counters, goods, settlement -----------------------------------------------------------------


def test_adding_a_merchant_with_an_operator(c1, w):
    from gongzhi.accounts.models import User

    clerk = User.objects.create_user(username="xinghua", password="x", display_name="杏花超市收银员")
    data = {"community": w.C1.pk, "kind": "merchant", "name": "杏花超市", "address": "幸福路 8 号", "offer": "积分抵扣日用品",
            "operators": [clerk.pk]}
    r = c1.post(reverse("bank:counter_new"), data | {"name": ""})
    assert "请填写名称。" in r.content.decode() and not Counter.objects.exists()
    r = c1.post(reverse("bank:counter_new"), data)
    assert r.status_code == 302, r.context["form"].errors
    counter = Counter.objects.get()
    assert r.url == reverse("bank:counter_manage", args=[counter.pk])
    assert (counter.kind, counter.account.kind, counter.joined_on, list(counter.operators.all())) == ("merchant", AccountKind.MERCHANT, TODAY(), [clerk])
    assert c1.post(reverse("bank:counter_new"), data | {"community": w.C2.pk}).status_code == 404


def test_goods_are_added_and_edited(c1, w):
    counter = station(w, w.s1, w.shequ1, w.C1, "幸福驿站")
    url = reverse("bank:counter_manage", args=[counter.pk])
    r = c1.post(url, {"action": "goods", "goods-name": "大米 5kg", "goods-kind": "goods", "goods-points": "0", "goods-active": "on"})
    assert "所需积分不能小于 1。" in r.content.decode() and not Goods.objects.exists()
    r = c1.post(url, {"action": "goods", "goods-name": "大米 5kg", "goods-kind": "goods", "goods-points": "三十"})
    assert "所需积分须为整数。" in r.content.decode()
    c1.post(url, {"action": "goods", "goods-name": "大米 5kg", "goods-kind": "goods", "goods-points": "30", "goods-stock": "10", "goods-active": "on"})
    rice = Goods.objects.get()
    assert (rice.name, rice.points, rice.stock, rice.active) == ("大米 5kg", 30, 10, True)
    assert "大米 5kg" in c1.get(url + f"?goods={rice.pk}").content.decode()
    c1.post(url, {"action": "goods", "goods-goods": rice.pk, "goods-name": "大米 5kg", "goods-kind": "goods", "goods-points": "28", "goods-stock": ""})
    rice.refresh_from_db()
    assert (rice.points, rice.stock, rice.active, Goods.objects.count()) == (28, None, False, 1)


def _redeemed(w, counter, account, goods, quantity, key, when):
    code = services.code_issue(account=account)
    receipt = services.redemption_confirm(scope=w.s1, acting_user=w.shequ1, counter=counter, code=code.code, items=[(goods.pk, quantity)], key=key)
    backdate(receipt.transaction, when)
    Redemption.objects.filter(pk=receipt.pk).update(at=when)
    return receipt


def test_a_month_is_previewed_settled_and_its_statement_exported(c1, w):
    counter = station(w, w.s1, w.shequ1, w.C1, "幸福驿站")
    soap = services.goods_save(scope=w.s1, acting_user=w.shequ1, counter=counter, name="洗衣皂", points=3, stock=None)
    oil = services.goods_save(scope=w.s1, acting_user=w.shequ1, counter=counter, name="食用油", points=10, stock=None)
    account = services.holder_account(person=w.zhangsan)
    services.earn(account=account, points=100)
    last = months_ago(1)
    first = _redeemed(w, counter, account, soap, 2, "k1", at(last.replace(day=3)))  # 6
    _redeemed(w, counter, account, oil, 1, "k2", at(last.replace(day=9)))  # 10
    refund = services.redemption_refund(scope=w.s1, acting_user=w.shequ1, redemption=first, reason="买错了")
    backdate(refund, at(last.replace(day=10)))  # −6
    _redeemed(w, counter, account, oil, 2, "k3", at(TODAY().replace(day=1)))  # this month: not in the statement
    url = reverse("bank:counter_manage", args=[counter.pk])
    r = c1.get(url + f"?month={last:%Y-%m}")
    assert (r.context["preview"]["count"], r.context["preview"]["points"]) == (1, 10)
    r = c1.get(reverse("bank:counter_statement", args=[counter.pk]) + f"?month={last:%Y-%m}")
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if any(c.value is not None for c in row)]
    assert [(row[1], row[2], row[3], row[4]) for row in rows[:3]] == [
        (f"No.{first.transaction_id}", "洗衣皂×2", 6, None), (rows[1][1], "食用油×1", 10, None), (f"No.{first.transaction_id}", "洗衣皂×2", -6, "退兑")]
    assert rows[3][0] == "合计" and rows[3][3] == 10
    r = c1.post(url, {"action": "settle", "month": f"{TODAY():%Y-%m}"})
    assert "只能结算已经结束的月份。" in r.content.decode() and not Settlement.objects.exists()
    r = c1.post(url, {"action": "settle", "month": f"{last:%Y-%m}"}, follow=True)
    settlement = Settlement.objects.get()
    assert (settlement.month, settlement.redemptions, settlement.points) == (last, 1, 10)
    assert f"已生成 {last:%Y-%m} 月度结算单：1 笔，10 分。" in messages_of(r)
    counter.account.refresh_from_db()
    assert counter.account.balance == 20  # this month's 2 × 10 stay until it is settled
    r = c1.post(url, {"action": "settle", "month": f"{last:%Y-%m}"})
    assert f"幸福驿站 {last:%Y-%m} 已结算。" in r.content.decode() and Settlement.objects.count() == 1


# ---- events --------------------------------------------------------------------------------------


def test_an_event_with_a_stall(c1, w):
    data = {"community": w.C1.pk, "kind": "market", "title": "十二月公益集市", "held_on": f"{TODAY():%Y-%m-%d}", "venue": ""}
    r = c1.post(reverse("bank:event_new"), data)
    assert "请填写地点。" in r.content.decode() and not CharityEvent.objects.exists()
    r = c1.post(reverse("bank:event_new"), data | {"venue": "社区广场"})
    event = CharityEvent.objects.get()
    assert r.url == reverse("bank:event", args=[event.pk])
    r = c1.post(r.url, {"name": "", "contact_name": "刘阿姨"})
    assert "请填写摊位名称。" in r.content.decode()
    c1.post(reverse("bank:event", args=[event.pk]), {"name": "手工编织摊", "contact_name": "刘阿姨"})
    stall = Counter.objects.get()
    assert (stall.kind, stall.event, stall.community, stall.account.kind) == ("stall", event, w.C1, AccountKind.STALL)
    services.goods_save(scope=w.s1, acting_user=w.shequ1, counter=stall, name="手编杯垫", points=4, stock=20)
    r = c1.get(reverse("bank:event", args=[event.pk]))
    assert [(s.name, s.receipts, s.redeemed) for s in r.context["stalls"]] == [("手工编织摊", 0, 0)]
    assert "手编杯垫（4分）" in r.content.decode()


# ---- rules and the year-end expiry -------------------------------------------------------------------


def test_the_rules_in_force_and_the_communitys_own_policy(c1, w):
    own = DeedCategory.objects.create(community=w.C1, name="垃圾分类示范户", min_points=3, max_points=6)
    r = c1.get(reverse("bank:rules"))
    assert r.context["community"] == w.C1 and r.context["own"] is False and own in r.context["categories"]
    fields = {"scored_by": "household", "publicity_days": "5", "volunteer_points_per_hour": "2.5", "volunteer_monthly_cap": "30",
              "garbage_daily_cap": "5", "expiry_months": "24", "penalty_bar_days": "180", "code_ttl_seconds": "180"}
    r = c1.post(reverse("bank:rules"), fields | {"publicity_days": "0"})
    assert "公示天数不能小于 1。" in r.content.decode() and not BankPolicy.objects.filter(community=w.C1).exists()
    r = c1.post(reverse("bank:rules"), fields | {"volunteer_points_per_hour": "两分"})
    assert "志愿服务每小时积分须为数字。" in r.content.decode()
    c1.post(reverse("bank:rules"), fields)
    policy = BankPolicy.objects.get(community=w.C1)
    assert (policy.scored_by, policy.publicity_days, str(policy.volunteer_points_per_hour), policy.penalty_bar_days) == ("household", 5, "2.5", 180)
    assert BankPolicy.objects.get(community__isnull=True).publicity_days == 7  # the district default is untouched
    assert c1.get(reverse("bank:rules")).context["own"] is True
    c1.post(reverse("bank:rules"), fields | {"publicity_days": "10"})
    assert BankPolicy.objects.get(community=w.C1).publicity_days == 10 and BankPolicy.objects.count() == 2


def test_the_year_end_expiry_is_previewed_and_run(c1, w):
    year = TODAY().year - 1  # the cut-off: 1 January two years before (24 months)
    zhang, li = services.holder_account(person=w.zhangsan), services.holder_account(person=w.lisi)
    backdate(services.earn(account=zhang, points=30), at(dt.date(year - 2, 6, 1)))  # old: 30, of which 10 spent since
    backdate(services.redeem(account=zhang, at=station(w, w.s1, w.shequ1, w.C1, "幸福驿站").account, points=10), at(dt.date(year - 1, 3, 1)))
    backdate(services.earn(account=zhang, points=15), at(dt.date(year, 5, 1)))  # recent: kept
    backdate(services.earn(account=li, points=7), at(dt.date(year - 2, 1, 5)))
    url = reverse("bank:expiry") + f"?community={w.C1.pk}&year={year}"
    r = c1.get(url)
    assert [(a.person.name, n) for a, n in r.context["rows"]] == [("张三", 20), ("李四", 7)] and r.context["total"] == 27
    r = c1.post(url, {"year": year})
    assert "请勾选确认后再执行到期清理。" in r.content.decode()
    assert not Transaction.objects.filter(kind=TransactionKind.LAPSE).exists()
    r = c1.post(url, {"year": year, "confirm": "on"}, follow=True)
    assert f"{year}年积分到期清理完成，共 27 分失效。" in messages_of(r)
    zhang.refresh_from_db()
    li.refresh_from_db()
    assert (zhang.balance, li.balance) == (15, 0)
    assert c1.get(url).context["rows"] == []


# ---- query counts ----------------------------------------------------------------------------------


def test_the_deed_list_reads_a_fixed_number_of_queries(c1, w, django_assert_max_num_queries):
    for person in (w.zhangsan, w.lisi, w.wangwu) * 5:
        logged(w, w.s1, w.shequ1, person, points=8)
    with django_assert_max_num_queries(12):
        assert len(c1.get(reverse("bank:deeds")).context["page"].rows) == 15


def test_the_accounts_list_reads_a_fixed_number_of_queries(c1, w, django_assert_max_num_queries):
    from gongzhi.people.tests.factories import PersonFactory

    for i in range(15):
        services.earn(account=services.holder_account(person=PersonFactory(place=w.B1, name=f"居民{i}")), points=i + 1)
    services.earn(account=Account.objects.create(kind=AccountKind.HOUSEHOLD, community=w.C1, household=w.H1), points=5)
    with django_assert_max_num_queries(8):
        assert len(c1.get(reverse("bank:accounts")).context["page"].rows) == 16
