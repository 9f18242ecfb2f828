"""民主决策 in a browser, on a desktop and on a phone: a 社区 worker (shequ1) registers a 四议两公开
matter and records it from 党组织提议 to both publications — a 党员大会 short of 2/3 sends it back to
两委商议 — then the record prints, and the public notice board, opened without logging in, shows
the resolution and the implementation result."""

import pytest
from playwright.sync_api import expect

from gongzhi.decisions.models import Matter, MatterStatus

PDF = {"name": "签字.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed sheet\n%%EOF"}


def _record(page, **fields):
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(str(value))
    page.get_by_role("button", name="记录本步骤").click()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_a_matter_from_proposal_to_both_publications(page, live_server, world, login, shot, viewport):
    w = world
    login("shequ1")
    page.goto(f"{live_server.url}/decisions/")
    expect(page.locator("h1")).to_contain_text("民主决策")
    page.get_by_role("link", name="＋ 登记事项").click()
    page.get_by_label("事项名称").fill("幸福家园1号楼加装电梯")
    page.get_by_label("小区").select_option(label="幸福社区 · 幸福家园")
    page.get_by_label("决策方法").select_option(label="四议两公开")
    page.get_by_label("事项内容").fill("1号楼居民申请加装电梯，费用按楼层分摊。")
    shot("new")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已登记事项")
    expect(page.locator("#next-step h2")).to_have_text("第1步：党组织提议")

    # ① 提议: the minutes are required
    _record(page, 会议纪要="")
    expect(page.locator(".field.has-error")).to_contain_text("“党组织提议”须填写会议纪要。")
    _record(page, 会议纪要="社区党委会议提议为1号楼加装电梯。")
    expect(page.locator(".msg.success")).to_contain_text("已记录“党组织提议”，结果：通过。")
    # ② 商议
    _record(page, 应到人数=9, 实到人数=9, 会议纪要="两委联席会议商议方案。")
    expect(page.locator("#next-step h2")).to_have_text("第3步：党员大会审议")
    # ③ 党员大会: 19 of 30 due is short of 2/3 — back to 两委商议
    page.get_by_label("签字扫描件").set_input_files(PDF)
    _record(page, 应到人数=30, 实到人数=19, 赞成=19, 反对=0, 弃权=0, 会议纪要="党员大会审议。")
    expect(page.locator(".msg.warning")).to_contain_text("到会人数不足：应到 30 人，实到 19 人，至少须到 20 人。")
    expect(page.locator("#next-step h2")).to_have_text("第2步：两委商议")
    shot("returned")
    _record(page, 应到人数=9, 实到人数=8, 会议纪要="两委再次商议，完善方案。")
    page.get_by_label("签字扫描件").set_input_files(PDF)
    _record(page, 应到人数=30, 实到人数=22, 赞成=18, 反对=3, 弃权=1, 会议纪要="党员大会再次审议。")
    expect(page.locator(".msg.success")).to_contain_text("已记录“党员大会审议”，结果：通过。")
    # ④ 居民代表会议: counts that do not add up are refused, then it passes
    page.get_by_label("签字扫描件").set_input_files(PDF)
    _record(page, 应到人数=40, 实到人数=30, 赞成=25, 反对=5, 弃权=2, 会议纪要="居民代表会议表决。")
    expect(page.locator(".field.has-error")).to_contain_text("赞成、反对、弃权票数之和（32）不能多于实到人数（30）。")
    page.get_by_label("签字扫描件").set_input_files(PDF)
    _record(page, 应到人数=40, 实到人数=30, 赞成=25, 反对=3, 弃权=2, 会议纪要="居民代表会议表决。")
    expect(page.locator("h1")).to_contain_text("决议通过")
    # ⑤ 决议公开 and ⑥ 实施结果公开
    _record(page, 公开内容="经居民代表会议表决通过，为幸福家园1号楼加装电梯一部。")
    expect(page.locator(".msg.success")).to_contain_text("并已发布到社区公开栏")
    _record(page, 公开内容="幸福家园1号楼电梯已安装完毕并通过验收，投入使用。")
    expect(page.locator("h1")).to_contain_text("已办结")
    expect(page.locator(".decisions-flow li.done")).to_have_count(6)
    shot("ended")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    matter = Matter.objects.get()
    assert matter.status == MatterStatus.ENDED and matter.records.count() == 8

    # the record, printable
    page.goto(f"{live_server.url}/decisions/{matter.pk}/print/")
    expect(page.locator(".print-doc")).to_contain_text("第3步 党员大会审议")
    expect(page.locator(".print-doc")).to_contain_text("应到 30 人，实到 22 人，到会比例 73.3%")
    shot("print")

    # the list, the methods and the 公约 pages
    page.goto(f"{live_server.url}/decisions/")
    expect(page.locator("table.decisions-matters")).to_contain_text("幸福家园1号楼加装电梯")
    shot("list")
    page.goto(f"{live_server.url}/decisions/methods/")
    expect(page.locator("body")).to_contain_text("到会不少于应到人数的2/3；同意超过应到人数的1/2")
    shot("methods")
    page.goto(f"{live_server.url}/decisions/conventions/")
    expect(page.locator(".tiles")).to_contain_text("0 / 1 个社区")
    shot("conventions")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # a 小区公约 adopted through the matter, filed and published
    page.get_by_role("link", name="＋ 登记公约").click()
    page.get_by_label("小区").select_option(label="幸福社区 · 幸福家园")
    page.get_by_label("公约名称").fill("幸福家园小区公约")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_label("通过事项").select_option(label="幸福家园1号楼加装电梯（已办结）")
    page.get_by_label("公约全文").fill("一、爱护电梯等公共设施。\n二、邻里和睦，互帮互助。")
    page.get_by_role("button", name="录入", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已录入第1版")
    page.get_by_role("button", name="备案并公布").click()
    expect(page.locator(".msg.success")).to_contain_text("第1版已备案，成为现行公约")
    expect(page.locator("h1")).to_contain_text("现行第1版")
    shot("convention")

    # the public board, without logging in
    public = page.context.browser.new_context(viewport=page.viewport_size, locale="zh-CN")
    board = public.new_page()
    board.goto(f"{live_server.url}/public/{w.C1.pk}/notices/")
    expect(board.locator("body")).to_contain_text("幸福家园1号楼加装电梯 · 决议公开")
    expect(board.locator("body")).to_contain_text("幸福家园1号楼加装电梯 · 实施结果公开")
    expect(board.locator("body")).to_contain_text("幸福家园小区公约（第1版）")
    board.screenshot(path=str(__import__("pathlib").Path(__file__).parent / "artifacts" / f"decisions-board-{viewport}.png"), full_page=True)
    public.close()
