"""五星支部 in the browser: a street evaluator opens last year's evaluations, adjusts one
indicator with its evidence, publishes, and sees the branch in the summary; then the summary on a
phone."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gongzhi.points.models import EvaluationStatus, StarEvaluation


@pytest.fixture
def accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


def test_evaluator_rates_a_branch_and_sees_the_summary(page, live_server, world, login, shot, accept_dialogs):
    year = dt.date.today().year - 1
    login("jiedao1")
    page.goto(f"{live_server.url}/points/stars/")
    expect(page.get_by_role("heading", name=f"{year}年度五星支部评定")).to_be_visible()
    page.get_by_role("button", name="开始评定").click()
    expect(page.locator(".msg.success")).to_contain_text("已为 2 个支部开始")
    shot("opened")
    page.get_by_role("row", name="幸福家园党支部").get_by_role("link", name="评分").click()
    expect(page.get_by_role("heading", name=f"幸福家园党支部 · {year}年度星级评定")).to_be_visible()
    for name, points, basis in (("班子建设", "14", "支委会健全，书记述职良好"), ("服务群众", "13", "办结群众需求 42 件"),
                                ("阵地建设", "9", "活动室制度上墙"), ("特色创新", "12", "红色物业联盟")):
        page.get_by_label(f"{name}得分").fill(points)
        page.get_by_label(f"{name}调整依据").fill(basis)
    page.get_by_label("党员参会得分").fill("12")
    page.get_by_role("button", name="保存得分").click()
    expect(page.get_by_role("alert").first).to_contain_text("请填写调整依据")
    shot("evidence-required")
    page.get_by_label("党员参会调整依据").fill("线上参会记录经核实补录")
    page.get_by_label("创新项目").fill("楼栋微治理")
    page.get_by_role("button", name="保存得分").click()
    expect(page.locator(".msg.success")).to_contain_text("已保存得分")
    shot("scored")
    page.get_by_role("button", name="公布评定结果").click()
    expect(page.locator(".msg.success")).to_contain_text("已公布评定结果")
    expect(page.get_by_label("党员参会得分")).to_have_count(0)  # read-only now
    shot("published")
    evaluation = StarEvaluation.objects.get(organization=world.O_K1, year=year)
    assert evaluation.status == EvaluationStatus.PUBLISHED
    assert evaluation.scores.get(indicator__name="党员参会").evidence == "线上参会记录经核实补录"
    assert evaluation.total == sum(s.points for s in evaluation.scores.all()) and evaluation.total > Decimal("48")
    page.get_by_role("navigation", name="位置").get_by_role("link", name="五星支部").click()
    row = page.get_by_role("row", name="幸福家园党支部")
    expect(row).to_contain_text("已公布")
    expect(page.locator(".star-tiles")).to_contain_text("未评定")
    shot("summary")
    page.get_by_role("link", name="幸福家园党支部").click()
    expect(page.get_by_role("heading", name="幸福家园党支部 · 历年星级评定")).to_be_visible()
    shot("history")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_summary_on_a_phone(page, live_server, world, login, shot, accept_dialogs):
    login("quwei")
    page.goto(f"{live_server.url}/points/stars/")
    page.get_by_role("button", name="开始评定").click()
    expect(page.locator(".msg.success")).to_contain_text("已为 3 个支部开始")
    shot("summary")
    page.get_by_role("row", name="南山苑党支部").get_by_role("link", name="评分").click()
    expect(page.get_by_label("班子建设得分")).to_be_visible()
    shot("evaluation")
