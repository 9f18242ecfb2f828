"""三张清单 in a browser: a 社区 worker (shequ1) registers a need at intake, accepts it, puts it
into a new project, adds a task and marks it done, closes the project (销号, the need 办结) and
records the 回访 with the requester's satisfaction; on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from gongzhi.needs.models import Need, NeedStatus, Project, ProjectStatus


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_need_from_intake_through_a_project_to_visit(page, live_server, world, login, shot, viewport):
    w = world
    login("shequ1")
    page.goto(f"{live_server.url}/needs/")
    expect(page.get_by_role("heading", name="挂账清单")).to_be_visible()
    shot("ledger-empty")

    page.get_by_role("link", name="＋ 登记需求").click()
    expect(page.locator("h1")).to_have_text("登记需求")
    page.get_by_label("需求类别").select_option(label="设施维修")
    page.get_by_label("标题").fill("1号楼楼道灯不亮")
    page.get_by_label("需求描述").fill("2单元3至5层楼道灯不亮，老人夜里上下楼不便。")
    page.get_by_label("地点（楼栋）").select_option(str(w.B1.pk))
    expect(page.get_by_label("求助人")).to_contain_text("张三")  # htmx reloads the building's residents
    page.get_by_label("求助人").select_option(str(w.zhangsan.pk))
    page.get_by_label("来源渠道").select_option("hotline")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".field.has-error")).to_contain_text("12345热线转办的需求请填写工单编号")
    shot("intake-error")
    page.get_by_label("工单编号").fill("GD20260301001")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".msg.success")).to_contain_text("已登记需求")
    need = Need.objects.get(title="1号楼楼道灯不亮")
    assert (need.place, need.requester, need.status) == (w.B1, w.zhangsan, NeedStatus.REGISTERED)

    page.locator(".action-accept").get_by_label("说明").fill("已与张三电话确认")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已受理")
    expect(page.locator("table.needs-steps")).to_contain_text("已与张三电话确认")
    shot("need-accepted")

    page.goto(f"{live_server.url}/needs/")
    row = page.locator("table.needs-ledger tbody tr", has_text="1号楼楼道灯不亮")
    expect(row).to_contain_text("0 天")
    expect(row).to_contain_text("受理")
    shot("ledger-open")
    row.get_by_role("link", name="1号楼楼道灯不亮").click()
    page.get_by_role("link", name="纳入项目").click()
    expect(page.locator("h1")).to_have_text("项目立项")
    expect(page.locator(".needs-picked")).to_contain_text("1号楼楼道灯不亮")
    page.get_by_label("项目名称").fill("幸福家园楼道照明改造")
    page.get_by_label("责任党组织").select_option(str(w.O_C1.pk))
    page.get_by_label("责任人").fill("刘书记")
    page.get_by_label("专项资金（元）").fill("3000")
    shot("project-new")
    page.get_by_role("button", name="立项").click()
    expect(page.locator(".msg.success")).to_contain_text("已立项")
    expect(page.locator(".needs-picked")).to_contain_text("办理中")

    page.locator("summary", has_text="添加任务").click()
    page.get_by_label("任务", exact=True).fill("更换楼道声控灯")
    page.get_by_label("负责人").fill("李师傅")
    page.get_by_role("button", name="添加任务").click()
    expect(page.locator("table.needs-tasks")).to_contain_text("更换楼道声控灯")
    shot("project-task")
    page.get_by_role("button", name="完成：更换楼道声控灯").click()
    expect(page.locator(".msg.success")).to_contain_text("已完成")
    expect(page.locator(".needs-bar")).to_have_attribute("aria-valuenow", "100")

    page.get_by_label("实施结果").fill("2单元楼道灯全部更换为声控灯")
    page.get_by_label("佐证材料").fill("验收单一份、照片3张")
    page.get_by_role("button", name="销号").click()
    expect(page.locator(".msg.success")).to_contain_text("项目已销号")
    expect(page.locator("h1")).to_contain_text("已销号")
    expect(page.get_by_role("button", name="添加任务")).to_have_count(0)
    shot("project-closed")
    assert Project.objects.get().status == ProjectStatus.CLOSED

    page.locator(".needs-picked").get_by_role("link", name="1号楼楼道灯不亮").click()
    expect(page.locator("h1")).to_contain_text("办结")
    page.get_by_label("满意度").select_option("satisfied")
    page.get_by_label("回访记录").fill("张三表示满意")
    page.get_by_role("button", name="记录回访").click()
    expect(page.locator(".msg.success")).to_contain_text("已记录回访")
    expect(page.locator("table.needs-steps")).to_contain_text("张三表示满意")
    shot("need-visited")
    need.refresh_from_db()
    assert (need.status, need.satisfaction, need.result) == (NeedStatus.VISITED, "satisfied", "2单元楼道灯全部更换为声控灯")

    page.goto(f"{live_server.url}/needs/")
    expect(page.locator(".tile", has_text="本月办结需求")).to_contain_text("1")
    shot("ledger-after")
