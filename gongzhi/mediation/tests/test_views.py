"""The pages: intake, the actions on the case page, the 调解协议书 (Word read back with python-docx,
PDF, print page), the list with its filters and export, mediators, figures; the list's query count."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from ..models import Case, CaseStatus, Mediator, Session
from .factories import case, category, mediator, tier


def _intake(client, world, **extra):
    data = {"community": world.C1.pk, "category": category("housing").pk, "tier": tier("volunteer").pk, "source": "party",
            "received_on": f"{timezone.localdate():%Y-%m-%d}", "description": "两户因院墙界址发生争执", "address": "老厂宿舍",
            "p0-role": "applicant", "p0-name": "张三", "p0-gender": "male", "p0-age": "51", "p0-phone": "13812345678", "p0-address": "幸福家园1号楼1-101",
            "p1-role": "respondent", "p1-name": "王五", "p1-gender": "male", "p1-age": "47", "p1-phone": "", "p1-address": "老厂1栋",
            "p2-role": "respondent", "p2-name": "", **extra}
    return client.post(reverse("mediation:case_new"), data)


def test_intake_then_the_whole_way_to_the_agreement(client, world):
    client.force_login(world.shequ1)
    volunteer = mediator(world.shequ1, world.C1)
    r = _intake(client, world)
    c = Case.objects.get()
    assert r.status_code == 302 and r.url == reverse("mediation:case", args=[c.pk])
    page = reverse("mediation:case", args=[c.pk])
    html = client.get(page).content.decode()
    assert "138****5678" in html and "13812345678" not in html and "待分派" in html
    assert client.post(page, {"action": "assign", "assign-mediator": volunteer.pk}).status_code == 302
    today = f"{timezone.localdate():%Y-%m-%d}"
    scan = SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(page, {"action": "session", "session-held_on": today, "session-place": "第三调解室", "session-attendees": "张三、王五、刘调解",
                           "session-record": "双方同意以原有石桩为界。", "session-file": scan})
    assert r.status_code == 302, r.content.decode()[:2000]
    session = Session.objects.get()
    assert session.file and client.get(reverse("mediation:session_file", args=[session.pk])).status_code == 200
    r = client.post(page, {"action": "agree", "agree-agreed_on": today, "agree-facts": "两户院墙界址不清，王五砌墙占用张三院落约半米。",
                           "agree-terms": "王五于月底前拆除越界部分院墙，以原石桩为界。", "agree-performance": "王五自行拆除，费用自理",
                           "agree-perform_by": f"{timezone.localdate() + dt.timedelta(days=10):%Y-%m-%d}"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == CaseStatus.AGREED
    html = client.get(page).content.decode()
    assert "可申请，至" in html and "回访履行情况" in html

    docx = client.get(reverse("mediation:agreement", args=[c.pk]) + "?format=docx")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    for must in ("人民调解协议书", "幸福社区人民调解委员会", c.number, "申请人：张三，男，51岁，住幸福家园1号楼1-101。", "被申请人：王五",
                 "纠纷主要事实、争议事项", "王五砌墙占用张三院落约半米", "王五于月底前拆除越界部分院墙", "履行方式、时限", "王五自行拆除，费用自理；于",
                 "申请人（签名或按指印）", "被申请人（签名或按指印）", "人民调解员（签名）：____________（刘调解）",
                 "幸福社区人民调解委员会（印章）", "30日内", "共同向人民法院申请司法确认"):
        assert must in text, must
    assert "13812345678" not in text and "138****5678" not in text  # phones are not part of it
    pdf = client.get(reverse("mediation:agreement", args=[c.pk]) + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    printed = client.get(reverse("mediation:agreement", args=[c.pk])).content.decode()
    assert "人民调解协议书" in printed and "共同向人民法院申请司法确认" in printed

    r = client.post(page, {"action": "followup", "followup-visited_on": today, "followup-performance": "performed", "followup-note": ""})
    assert r.status_code == 302 and c.followups.count() == 1


def test_intake_errors_name_the_field(client, world):
    client.force_login(world.shequ1)
    r = _intake(client, world, **{"p1-name": "", "source": "grid", "description": ""})
    html = r.content.decode()
    assert r.status_code == 200 and not Case.objects.exists()
    assert "请填写纠纷简要情况。" in html


def test_escalation_from_the_page_needs_a_reason(client, world):
    client.force_login(world.shequ1)
    c = case(world.shequ1, world.C1)
    page = reverse("mediation:case", args=[c.pk])
    r = client.post(page, {"action": "escalate", "escalate-tier": tier("judge").pk, "escalate-reason": ""})
    assert "请填写升级原因。" in r.content.decode()
    r = client.post(page, {"action": "escalate", "escalate-tier": tier("judge").pk, "escalate-reason": "涉及人身损害赔偿"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.tier.code == "judge"
    assert "涉及人身损害赔偿" in client.get(page).content.decode()


def test_list_filters_overdue_and_export(client, world):
    client.force_login(world.shequ1)
    today = timezone.localdate()
    old = case(world.shequ1, world.C1, received_on=today - dt.timedelta(days=40), today=today)
    new = case(world.shequ1, world.C1, received_on=today - dt.timedelta(days=27), today=today, category_code="marriage")
    html = client.get(reverse("mediation:cases")).content.decode()
    assert "1 件案件超过办结期限仍未结案" in html and "1 件案件距办结期限不足 5 天" in html
    html = client.get(reverse("mediation:cases") + "?overdue=1").content.decode()
    assert old.number in html and new.number not in html
    html = client.get(reverse("mediation:cases") + f"?category={category('marriage').pk}").content.decode()
    assert new.number in html and old.number not in html
    assert client.get(reverse("mediation:cases") + f"?community={world.C2.pk}").status_code == 404
    r = client.get(reverse("mediation:cases") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("案号", "社区", "纠纷类别", "调解层级", "状态")
    assert len(rows) == 4 and {rows[2][8], rows[3][8]} == {"逾期", None}
    assert "张三" not in str(rows)


def test_mediators_pages(client, world):
    client.force_login(world.shequ1)
    r = client.post(reverse("mediation:mediator_new"), {"community": world.C1.pk, "name": "陈法官", "tier": tier("judge").pk, "phone": "13900002222",
                                                         "organisation": "区人民法院", "username": "nobody", "is_active": "on"})
    assert r.status_code == 302
    m = Mediator.objects.get()
    assert m.user == world.nobody and m.phone_mask == "139****2222"
    html = client.get(reverse("mediation:mediators")).content.decode()
    assert "陈法官" in html and "139****2222" in html and "13900002222" not in html
    r = client.post(reverse("mediation:mediator_new"), {"community": world.C1.pk, "name": "某人", "tier": tier("judge").pk, "username": "nosuch"})
    assert "没有用户名为“nosuch”的账号。" in r.content.decode()
    client.force_login(world.shequ2)
    assert client.get(reverse("mediation:mediator", args=[m.pk])).status_code == 404


def test_figures_page(client, world):
    client.force_login(world.shequ1)
    case(world.shequ1, world.C1, received_on=timezone.localdate(), today=timezone.localdate())
    html = client.get(reverse("mediation:figures")).content.decode()
    assert "按调解层级" in html and "按纠纷类别" in html and "社区法官" in html and "婚姻家庭" in html


@pytest.mark.django_db
def test_list_query_count(client, world):
    client.force_login(world.shequ1)
    for _ in range(12):
        case(world.shequ1, world.C1, received_on=timezone.localdate(), today=timezone.localdate())
    client.get(reverse("mediation:cases"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mediation:cases"))
    for _ in range(12):
        case(world.shequ1, world.C1, received_on=timezone.localdate(), today=timezone.localdate())
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("mediation:cases"))
    assert len(more) == len(few) and len(few) <= 16, [q["sql"] for q in few]
