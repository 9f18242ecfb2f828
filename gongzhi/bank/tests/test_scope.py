"""Two sibling 社区 (幸福社区 C1 of shequ1, 和平社区 C2 of shequ2, both in 东风街道 S1): neither worker
sees the other's deeds, accounts, counters, events or exports (404, or left out of lists and
workbooks), nor acts on them; their 街道 (jiedao1) sees both; the public 公示 of a 社区 shows its
own deeds only."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.bank import figures, services
from gongzhi.bank.models import BankPolicy, Deed, DeedCategory, DeedObjection, DeedStatus, Goods, Violation


@pytest.fixture
def two(world, scope_of):
    w = world
    w.s1, w.s2 = scope_of(w.shequ1), scope_of(w.shequ2)
    helping = DeedCategory.objects.get(community__isnull=True, name="助人为乐")
    for side, user, scope, community, person in ((1, w.shequ1, w.s1, w.C1, w.zhangsan), (2, w.shequ2, w.s2, w.C2, w.zhaoliu)):
        deed = services.deed_report(scope=scope, acting_user=user, person=person, category=helping, description=f"第{side}社区的善行",
                                    occurred_on=timezone.localdate() - dt.timedelta(days=1), reported_by="社区登记")
        deed = services.deed_review(scope=scope, acting_user=user, deed=deed, approve=True, points=10, reviewers="评议会")
        account = services.holder_account(person=person)
        services.earn(account=account, points=20 * side)
        counter = services.counter_open(scope=scope, acting_user=user, community=community, kind="merchant", name=f"联盟商户{side}")
        goods = services.goods_save(scope=scope, acting_user=user, counter=counter, name=f"物品{side}", points=5, stock=None)
        event = services.event_create(scope=scope, acting_user=user, community=community, kind="day", title=f"公益日{side}",
                                      held_on=timezone.localdate(), venue="广场")
        setattr(w, f"deed{side}", deed)
        setattr(w, f"account{side}", account)
        setattr(w, f"counter{side}", counter)
        setattr(w, f"goods{side}", goods)
        setattr(w, f"event{side}", event)
    return w


def test_a_worker_gets_404_for_everything_of_the_sibling_community(client, two):
    w = two
    client.force_login(w.shequ1)
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    for url in (reverse("bank:deed", args=[w.deed2.pk]), reverse("bank:account", args=[w.account2.pk]),
                reverse("bank:counter_manage", args=[w.counter2.pk]), reverse("bank:event", args=[w.event2.pk]),
                reverse("bank:counter_statement", args=[w.counter2.pk]) + f"?month={last_month}"):
        assert client.get(url).status_code == 404, url
    for name in ("bank:deeds", "bank:accounts", "bank:counters", "bank:events", "bank:rules", "bank:expiry"):
        assert client.get(reverse(name) + f"?community={w.C2.pk}").status_code == 404, name


def test_a_worker_cannot_act_on_the_sibling_community(client, two):
    w = two
    client.force_login(w.shequ1)
    deed_url = reverse("bank:deed", args=[w.deed2.pk])
    assert client.post(deed_url, {"action": "object", "object-raised_by": "越权", "object-reason": "越权"}).status_code == 404
    assert client.post(reverse("bank:account", args=[w.account2.pk]), {"description": "越权", "recorded_on": "2026-01-01"}).status_code == 404
    assert client.post(reverse("bank:counter_manage", args=[w.counter2.pk]),
                       {"action": "goods", "goods-name": "越权", "goods-kind": "goods", "goods-points": "1"}).status_code == 404
    assert client.post(reverse("bank:counter_manage", args=[w.counter1.pk]),  # another counter's goods on one's own counter
                       {"action": "goods", "goods-goods": w.goods2.pk, "goods-name": "越权", "goods-kind": "goods", "goods-points": "1"}).status_code == 404
    assert client.post(reverse("bank:event", args=[w.event2.pk]), {"name": "越权"}).status_code == 404
    assert client.post(reverse("bank:deed_new"), {"person": w.zhaoliu.pk, "category": w.deed2.category_id, "occurred_on": "2026-01-01",
                                                  "description": "越权", "reported_by": "越权"}).status_code == 404
    assert client.post(reverse("bank:rules") + f"?community={w.C2.pk}", {"publicity_days": "1"}).status_code == 404
    Deed.objects.filter(pk=w.deed2.pk).update(publicity_ends_on=timezone.localdate() - dt.timedelta(days=1))
    client.post(reverse("bank:deeds"), {"action": "credit"})  # credits C1's due deeds only
    w.deed2.refresh_from_db()
    assert w.deed2.status == DeedStatus.PUBLICISED
    assert not DeedObjection.objects.exists() and not Violation.objects.exists() and not Goods.objects.filter(name="越权").exists()
    assert not BankPolicy.objects.filter(community=w.C2).exists() and not Deed.objects.filter(description="越权").exists()


def test_lists_and_exports_hold_nothing_of_the_sibling(client, two):
    w = two
    client.force_login(w.shequ1)
    assert [d.pk for d in client.get(reverse("bank:deeds")).context["page"].rows] == [w.deed1.pk]
    assert [a.pk for a in client.get(reverse("bank:accounts")).context["page"].rows] == [w.account1.pk]
    assert [c.pk for c in client.get(reverse("bank:counters")).context["page"].rows] == [w.counter1.pk]
    assert [e.pk for e in client.get(reverse("bank:events")).context["page"].rows] == [w.event1.pk]
    r = client.get(reverse("bank:accounts") + "?format=xlsx")
    text = " ".join(str(c.value) for row in load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows() for c in row)
    assert "张三" in text and "赵六" not in text and "和平社区" not in text
    assert figures.points_flow(scope=w.s1, start=dt.date(timezone.localdate().year, 1, 1), end=dt.date(timezone.localdate().year, 12, 31)).issued == 20


def test_the_street_sees_both_communities(client, two):
    w = two
    client.force_login(w.jiedao1)
    assert sorted(d.pk for d in client.get(reverse("bank:deeds")).context["page"].rows) == sorted([w.deed1.pk, w.deed2.pk])
    assert {a.pk for a in client.get(reverse("bank:accounts")).context["page"].rows} == {w.account1.pk, w.account2.pk}
    assert {c.pk for c in client.get(reverse("bank:counters")).context["page"].rows} == {w.counter1.pk, w.counter2.pk}
    for url in (reverse("bank:deed", args=[w.deed2.pk]), reverse("bank:account", args=[w.account2.pk]),
                reverse("bank:counter_manage", args=[w.counter1.pk]), reverse("bank:event", args=[w.event2.pk])):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("bank:rules")).context.get("community") is None  # two 社区: choose one
    assert client.get(reverse("bank:rules") + f"?community={w.C2.pk}").context["community"] == w.C2
    assert figures.points_flow(scope=w.s1, start=dt.date(timezone.localdate().year, 1, 1), end=dt.date(timezone.localdate().year, 12, 31)).issued == 20
    r = client.get(reverse("bank:overview"))
    assert r.context["totals"].issued == 60 and r.context["deeds"]["publicised"] == 2


def test_the_public_page_shows_that_community_only(client, two):
    w = two
    html = client.get(reverse("bank:public", args=[w.C1.pk])).content.decode()
    assert "第1社区的善行" in html and "第2社区的善行" not in html and "张*" in html and "赵" not in html
    r = client.post(reverse("bank:public", args=[w.C1.pk]), {"deed": w.deed2.pk, "raised_by": "某人", "reason": "越权"})
    assert r.status_code == 404 and not DeedObjection.objects.exists()
