"""Member points in a browser: a 社区 worker enters a manual entry for 张三; the branch secretary
approves it and sees 张三 move up the rankings; on a desktop and on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.scopes import scope_for_user
from gongzhi.people.tests.factories import PartyMemberFactory
from gongzhi.points import services
from gongzhi.points.models import Rule


def _approved(world, member, code, quantity, evidence):
    rule = Rule.objects.get(version__ruleset__organization__isnull=True, code=code)
    scope = scope_for_user(world.quwei)
    entry = services.entry_create(scope=scope, acting_user=world.shequ1, member=member, rule=rule, occurred_on=dt.date.today(),
                                  quantity=Decimal(quantity), evidence=evidence)
    services.entry_approve(scope=scope, acting_user=world.quwei, entry=entry)


def _row(page, name):
    return page.locator("table.points-ranking tbody tr", has_text=name)


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_entry_then_approval_moves_zhangsan_up(page, live_server, world, login, shot, viewport):
    w = world
    lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1)
    _approved(w, lisi, "merit", 1, "协助调解邻里纠纷")  # 李四 65, 张三 60

    login("shequ1")
    page.goto(f"{live_server.url}/points/")
    expect(page.get_by_role("heading", name=f"{dt.date.today().year}年度党员积分")).to_be_visible()
    expect(page.locator("#points-distribution svg")).to_be_visible()  # ECharts, served locally
    expect(_row(page, "李四").locator(".rank")).to_have_text("1")
    expect(_row(page, "张三").locator(".rank")).to_have_text("2")
    shot("ranking-before")
    _row(page, "张三").get_by_role("link", name="张三").click()
    expect(page.locator("h1")).to_contain_text("张三")
    page.get_by_role("link", name="＋ 录入积分").click()
    expect(page.locator("h1")).to_contain_text("为张三录入积分")
    page.get_by_label("细则条目").select_option("article")
    page.get_by_label("次数").fill("2")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".field.has-error")).to_contain_text("请填写依据")  # evidence is required
    shot("entry-error")
    page.get_by_label("依据").fill("《我为社区治理出份力》两篇")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".msg.success")).to_contain_text("待支部书记审核")
    expect(page.locator("table.points-pending")).to_contain_text("《我为社区治理出份力》两篇")
    expect(page.locator(".tile", has_text="积分").first).to_contain_text("60")  # pending: not counted yet
    shot("statement-pending")
    page.get_by_role("button", name="退出").click()

    login("zhibu1")
    page.goto(f"{live_server.url}/points/approvals/")
    row = page.locator("table.points-pending tbody tr", has_text="张三")
    expect(row).to_contain_text("撰写心得文章")
    shot("approvals")
    row.get_by_role("button", name="通过").click()
    expect(page.locator(".msg.success")).to_contain_text("已计入积分")
    expect(page.locator("table.points-pending")).to_have_count(0)
    page.goto(f"{live_server.url}/points/")
    expect(_row(page, "张三").locator(".rank")).to_have_text("1")
    expect(_row(page, "张三").locator(".score")).to_have_text("66")
    expect(_row(page, "李四").locator(".rank")).to_have_text("2")
    shot("ranking-after")
    _row(page, "张三").get_by_role("link", name="张三").click()
    expect(page.locator("table.points-entries")).to_contain_text("《我为社区治理出份力》两篇")
    shot("statement-after")
    page.locator("table.points-entries summary", has_text="冲正").click()
    expect(page.get_by_label("冲正原因")).to_be_visible()
    shot("reverse-open")
