"""A mediation case in a browser, on a desktop and on a phone: a 社区 worker (shequ1) registers a
neighbour dispute, assigns it to the 调解志愿者, records a session with its 笔录, records the
agreement, and downloads the 调解协议书 (.docx), which is read back; the print page shows it too.
The list shows the case; the volunteer's own login (no role grant) then finds it among their own
and opens it."""

import pytest
from docx import Document
from playwright.sync_api import expect

from gongzhi.mediation.models import Case, CaseStatus
from gongzhi.mediation.tests.factories import mediator


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_a_case_from_intake_to_agreement(page, live_server, world, login, shot, viewport, tmp_path):
    w = world
    mediator(w.shequ1, w.C1, name="刘调解", login=w.nobody)  # the volunteer's own login, no role grant
    login("shequ1")
    page.goto(f"{live_server.url}/mediation/")
    expect(page.locator("h1")).to_contain_text("矛盾调解")
    page.get_by_role("link", name="＋ 登记案件").click()

    # 登记受理
    page.get_by_label("纠纷类别").select_option(label="邻里")
    page.get_by_label("案件来源").select_option(label="当事人申请")
    page.get_by_label("纠纷发生地").fill("幸福家园1号楼")
    page.get_by_label("纠纷简要情况").fill("楼上卫生间漏水，楼下顶棚受损，双方就维修费用争执不下。")
    applicant, respondent = page.locator("fieldset.mediation-party").nth(0), page.locator("fieldset.mediation-party").nth(1)
    applicant.get_by_label("姓名或名称").fill("张三")
    applicant.get_by_label("性别").select_option(label="男")
    applicant.get_by_label("年龄").fill("51")
    applicant.get_by_label("手机号码").fill("13812345678")
    applicant.get_by_label("住所").fill("幸福家园1号楼1-101")
    respondent.get_by_label("姓名或名称").fill("李四")
    respondent.get_by_label("住所").fill("幸福家园1号楼2-101")
    shot("intake")
    page.get_by_role("button", name="登记受理").click()
    expect(page.locator(".msg.success")).to_contain_text("已登记受理")
    expect(page.locator("h1")).to_contain_text("待分派")
    expect(page.locator("table.mediation-parties")).to_contain_text("138****5678")

    # 分派 → 调解 (笔录) → 协议
    page.locator(".action-assign").get_by_label("调解员").select_option(label="刘调解")
    page.get_by_role("button", name="分派", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已分派给刘调解")
    session = page.locator(".action-session")
    session.get_by_label("参加人员").fill("张三、李四、刘调解")
    session.get_by_label("调解笔录").fill("双方陈述漏水经过。李四承认防水层老化，同意承担维修费用。")
    session.get_by_role("button", name="保存笔录").click()
    expect(page.locator(".msg.success")).to_contain_text("已记录调解笔录")
    expect(page.locator(".mediation-timeline")).to_contain_text("李四承认防水层老化")
    agree = page.locator(".action-agree")
    agree.get_by_label("主要事实和争议事项").fill("李四家卫生间防水层老化漏水，致张三家顶棚受损，双方对维修费用有争议。")
    agree.get_by_label("达成协议的内容").fill("李四赔偿张三顶棚维修费1500元，并于本月内修复防水层。")
    agree.get_by_label("履行方式").fill("现金一次性支付")
    agree.get_by_label("履行期限").fill("2099-12-31")
    shot("agreement-form")
    agree.get_by_role("button", name="生成调解协议书").click()
    expect(page.locator(".msg.success")).to_contain_text("调解成功")
    expect(page.locator("h1")).to_contain_text("调解成功")
    expect(page.locator("dl.facts").first).to_contain_text("可申请，至")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot("case-agreed")
    case = Case.objects.get()
    assert case.status == CaseStatus.AGREED and case.sessions.count() == 1

    with page.expect_download() as info:
        page.get_by_role("link", name="下载Word").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx") and "人民调解协议书" in download.suggested_filename
    path = tmp_path / "agreement.docx"
    download.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    for must in ("人民调解协议书", "申请人：张三，男，51岁，住幸福家园1号楼1-101。", "被申请人：李四", "防水层老化漏水", "李四赔偿张三顶棚维修费1500元",
                 "现金一次性支付；于2099年12月31日前履行完毕。", "人民调解员（签名）：____________（刘调解）", "幸福社区人民调解委员会（印章）",
                 "共同向人民法院申请司法确认"):
        assert must in text, must

    page.get_by_role("link", name="调解协议书", exact=True).click()
    expect(page.locator("article.print-doc h1")).to_have_text("人民调解协议书")
    expect(page.locator("article.print-doc")).to_contain_text("李四赔偿张三顶棚维修费1500元")
    shot("agreement-print")

    page.goto(f"{live_server.url}/mediation/")
    row = page.locator("table.mediation-cases tbody tr").first
    expect(row).to_contain_text(case.number)
    expect(row).to_contain_text("调解成功")
    shot("list")
    page.get_by_role("link", name="统计", exact=True).click()
    expect(page.locator("table.mediation-figures").first).to_contain_text("调解志愿者")
    shot("figures")
    page.get_by_role("link", name="调解员", exact=True).click()
    expect(page.locator("table.mediation-mediators")).to_contain_text("刘调解")
    shot("mediators")
    page.context.clear_cookies()
    login("nobody")
    page.goto(f"{live_server.url}/mediation/")
    page.get_by_role("link", name=case.number).click()
    expect(page.locator("h1")).to_contain_text(case.number)
    expect(page.locator("table.mediation-parties")).to_contain_text("张三")
    shot("mediator-login")
