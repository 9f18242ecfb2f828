"""资源清单 in a browser: a 社区 worker (shequ1) records two resources of 1号楼 at once in the
door-to-door survey (地毯式摸底), one row with a phone number in its contact note is refused with
nothing saved and fixed, the list shows both, and one is committed to an open project from the
project page."""

import pytest
from playwright.sync_api import expect

from gongzhi.needs import services
from gongzhi.needs.models import ProjectResource, Resource
from gongzhi.needs.tests.factories import need


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_survey_then_list_then_commit_to_a_project(page, live_server, world, scope_of, login, shot, viewport):
    w = world
    s1 = scope_of(w.shequ1)
    project = services.project_open(scope=s1, acting_user=w.shequ1, name="幸福家园楼道照明改造", organization=w.O_C1, leader_name="刘书记",
                                     needs=[need(s1, w.shequ1, title="1号楼楼道灯不亮", place=w.B1)])
    login("shequ1")
    page.goto(f"{live_server.url}/needs/")
    page.get_by_role("link", name="资源清单").click()
    expect(page.locator("h1")).to_have_text("资源清单")
    page.get_by_role("link", name="地毯式摸底").click()
    expect(page.locator("h1")).to_have_text("地毯式摸底")
    expect(page.locator("tr.survey-row")).to_have_count(3)

    page.get_by_label("摸底地点").select_option(str(w.B1.pk))
    names, kinds = page.get_by_label("名称", exact=True), page.get_by_label("资源类型", exact=True)
    names.nth(0).fill("赵师傅")
    kinds.nth(0).select_option("talent")
    page.get_by_label("技能", exact=True).nth(0).select_option(label="电工")
    page.get_by_label("可用时间说明", exact=True).nth(0).fill("周末")
    names.nth(1).fill("1号楼架空层")
    kinds.nth(1).select_option("thing")
    page.get_by_label("数量/金额", exact=True).nth(1).fill("30")
    page.get_by_label("联系方式备注", exact=True).nth(1).fill("楼栋长 139 1234 5678")
    page.get_by_role("button", name="＋ 添加一行").click()
    expect(page.locator("tr.survey-row")).to_have_count(4)  # htmx adds a blank row (left out when saving)
    shot("survey-typed")
    page.get_by_role("button", name="全部登记").click()
    expect(page.locator(".form-errors")).to_contain_text("第2行：联系方式备注中不要填写电话号码或身份证号")
    expect(page.locator(".form-errors")).to_contain_text("本次未登记任何资源")
    expect(page.locator("#survey-row-2 .field.has-error")).to_have_count(1)
    expect(names.nth(0)).to_have_value("赵师傅")  # the rows stay as typed
    shot("survey-error")
    assert not Resource.objects.filter(name__in=["赵师傅", "1号楼架空层"]).exists()

    page.get_by_label("联系方式备注", exact=True).nth(1).fill("经楼栋长联系")
    page.get_by_role("button", name="全部登记").click()
    expect(page.locator(".msg.success")).to_contain_text("已登记 2 项资源")
    table = page.locator("table.resources-list")
    expect(table).to_contain_text("赵师傅")
    expect(table).to_contain_text("1号楼架空层")
    expect(table.locator("tbody tr", has_text="赵师傅")).to_contain_text("电工")
    shot("list")
    zhao = Resource.objects.get(name="赵师傅")
    assert (zhao.place, zhao.kind, zhao.availability_note) == (w.B1, "talent", "周末")

    page.goto(f"{live_server.url}/needs/projects/{project.pk}/")
    panel = page.locator("#resources")
    expect(panel).to_contain_text("还没有投入资源")  # loaded through htmx
    panel.locator("summary", has_text="投入资源").click()
    page.get_by_label("资源", exact=True).select_option(str(zhao.pk))
    page.get_by_label("投入内容").fill("每周六上午楼道灯检修")
    shot("commit-form")
    page.get_by_role("button", name="投入项目").click()
    expect(page.locator(".msg.success")).to_contain_text("已将资源“赵师傅”投入项目")
    expect(page.locator("table.project-resources")).to_contain_text("每周六上午楼道灯检修")
    shot("project-committed")
    assert ProjectResource.objects.get(project=project).resource == zhao

    page.locator("table.project-resources").get_by_role("link", name="赵师傅").click()
    expect(page.locator("#projects")).to_contain_text("幸福家园楼道照明改造")
    page.get_by_label("说明").fill("外出至月底")
    page.get_by_role("button", name="标记为暂不可用").click()
    expect(page.locator(".msg.success")).to_contain_text("已标记为暂不可用")
    expect(page.locator("h1")).to_contain_text("暂不可用")
    shot("resource-detail")
    page.goto(f"{live_server.url}/needs/resources/new/")
    shot("resource-new")
