"""The 民主决策 pages as a community worker uses them: list, new matter, recording steps through
the matter page (POST action=step), the record as .docx / PDF / print page, the Excel export,
methods, 一肩挑 settings and 居民公约; plus the query count of the list."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from gongzhi.decisions import services
from gongzhi.decisions.models import Matter, MatterStatus, StepRecord
from gongzhi.decisions.tests.factories import four_two, matter, run_all, signatures


@pytest.fixture
def w(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_every_page_renders(c1, w):
    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1))
    conv = services.convention_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, title="幸福社区居民公约")
    for url in (reverse("decisions:matters"), reverse("decisions:matter_new"), reverse("decisions:matter", args=[m.pk]),
                reverse("decisions:record_print", args=[m.pk]), reverse("decisions:methods"), reverse("decisions:settings"),
                reverse("decisions:conventions"), reverse("decisions:convention_new"), reverse("decisions:convention", args=[conv.pk])):
        response = c1.get(url)
        assert response.status_code == 200, url


def test_new_matter(c1, w):
    response = c1.post(reverse("decisions:matter_new"), {"title": "小区停车管理", "community": w.C1.pk, "compound": w.K1.pk,
                                                         "method": four_two().pk, "description": "规范停车"})
    m = Matter.objects.get(title="小区停车管理")
    assert response.status_code == 302 and response.url == reverse("decisions:matter", args=[m.pk])
    assert m.compound == w.K1 and m.current_step.order == 1
    response = c1.post(reverse("decisions:matter_new"), {"title": "", "community": w.C1.pk, "method": four_two().pk})
    assert "请填写事项名称。" in response.content.decode()


def _post_step(client, m, **fields):
    data = {"action": "step", "step-held_on": timezone.localdate().isoformat()}
    data.update({f"step-{k}": v for k, v in fields.items()})
    return client.post(reverse("decisions:matter", args=[m.pk]), data, follow=True)


def test_recording_steps_through_the_page(c1, w):
    m = matter(w.s1, w.shequ1, w.C1)
    page = c1.get(reverse("decisions:matter", args=[m.pk])).content.decode()
    assert "第1步：党组织提议" in page and "merge_next" not in page
    response = _post_step(c1, m, minutes="党委会提议加装电梯")
    assert "已记录“党组织提议”，结果：通过。" in messages_of(response)
    response = _post_step(c1, m, minutes="两委商议", due_count=9, present_count=10)
    assert "实到人数（10）不能多于应到人数（9）。" in response.content.decode()
    _post_step(c1, m, minutes="两委商议", due_count=9, present_count=9)
    response = _post_step(c1, m, minutes="党员大会", due_count=30, present_count=19, votes_for=19, votes_against=0, votes_abstain=0,
                          signatures=signatures())
    text = messages_of(response)[0]
    assert text.startswith("“党员大会审议”未通过：到会人数不足") and "事项已退回“两委商议”" in text
    m.refresh_from_db()
    assert m.current_step.order == 2 and m.status == MatterStatus.OPEN


def test_missing_item_names_the_field_on_the_page(c1, w):
    m = matter(w.s1, w.shequ1, w.C1)
    response = _post_step(c1, m, minutes="")
    assert "“党组织提议”须填写会议纪要。" in response.content.decode()
    assert not StepRecord.objects.exists()


def test_merge_checkbox_only_under_one_post(c1, w):
    m = matter(w.s1, w.shequ1, w.C1)
    c1.post(reverse("decisions:settings"), {"community": w.C1.pk, "secretary_is_director": "on"})
    page = c1.get(reverse("decisions:matter", args=[m.pk])).content.decode()
    assert "一肩挑：与“两委商议”合并召开" in page
    response = _post_step(c1, m, minutes="提议并商议", due_count=7, present_count=7, merge_next="on")
    assert "已记录“党组织提议、两委商议”，结果：通过。" in messages_of(response)
    assert list(m.records.values_list("merged_with_previous", flat=True)) == [False, True]


def test_the_record_document_holds_every_step(c1, w):
    services.setting_save(scope=w.s1, acting_user=w.shequ1, community=w.C1, secretary_is_director=True)
    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1, title="加装电梯"))
    response = c1.get(reverse("decisions:record_docx", args=[m.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    assert "四议两公开决策记录" in text and "加装电梯" in text
    for n, name in enumerate(("党组织提议", "两委商议", "党员大会审议", "居民会议或居民代表会议决议", "决议公开", "实施结果公开"), 1):
        assert f"第{n}步 {name}" in text
    assert "应到 30 人，实到 25 人，到会比例 83.3%" in text
    assert "赞成 20 票，反对 3 票，弃权 2 票" in text
    assert "到会不少于应到人数的2/3；同意超过应到人数的1/2" in text
    assert "到会超过应到人数的1/2；同意超过实到人数的1/2" in text
    assert "党员大会审议会议纪要" in text and "决议公开：经居民代表会议表决通过" in text
    assert "2026年3月2日 至 2026年3月8日，已发布到社区公开栏" in text
    assert "shequ1，" in text and "通过" in text


def test_the_matter_page_links_the_published_notices(c1, w):
    from gongzhi.notices.models import Notice

    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1))
    page = c1.get(reverse("decisions:matter", args=[m.pk])).content.decode()
    for notice in Notice.objects.filter(kind__in=("resolution", "result")):
        assert reverse("notices:notice", args=[notice.pk]) in page
    assert Notice.objects.filter(kind__in=("resolution", "result")).count() == 2


def test_the_record_as_pdf_and_print(c1, w):
    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1))
    page = c1.get(reverse("decisions:record_print", args=[m.pk])).content.decode()
    assert "第3步 党员大会审议" in page and "应到 30 人，实到 25 人" in page
    response = c1.get(reverse("decisions:record_pdf", args=[m.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_signature_scan_is_served_in_scope(c1, w, client):
    m = matter(w.s1, w.shequ1, w.C1)
    for _ in range(3):
        from gongzhi.decisions.tests.factories import record_next
        record_next(w.s1, w.shequ1, m)
    record = m.records.get(step__order=3)
    response = c1.get(reverse("decisions:signatures", args=[record.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(w.shequ2)
    assert client.get(reverse("decisions:signatures", args=[record.pk])).status_code == 404


def test_list_filters_and_export(c1, w):
    done = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1, title="加装电梯"))
    matter(w.s1, w.shequ1, w.C1, title="停车管理")
    page = c1.get(reverse("decisions:matters"), {"status": "ended"}).content.decode()
    assert "加装电梯" in page and "停车管理" not in page
    page = c1.get(reverse("decisions:matters"), {"q": "停车"}).content.decode()
    assert "停车管理" in page and "加装电梯" not in page
    response = c1.get(reverse("decisions:matters"), {"format": "xlsx", "status": "ended"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:3] == ("编号", "事项名称", "社区")
    assert rows[2][:6] == (done.pk, "加装电梯", "幸福社区", None, "四议两公开", "已办结")
    assert len(rows) == 3


def test_withdraw(c1, w):
    m = matter(w.s1, w.shequ1, w.C1)
    c1.post(reverse("decisions:matter", args=[m.pk]), {"action": "withdraw", "withdraw-withdraw_reason": "方案调整"})
    m.refresh_from_db()
    assert m.status == MatterStatus.WITHDRAWN
    response = c1.post(reverse("decisions:matter", args=[m.pk]), {"action": "step"}, follow=True)
    assert "不能进行此操作" in messages_of(response)[-1]


def test_convention_pages(c1, w):
    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1, title="修订居民公约"))
    c1.post(reverse("decisions:convention_new"), {"community": w.C1.pk, "title": "幸福社区居民公约"})
    conv = w.C1.conventions.get()
    c1.post(reverse("decisions:convention", args=[conv.pk]), {"action": "adopt", "adopt-matter": m.pk, "adopt-text": "一、爱党爱国。"})
    version = conv.versions.get()
    response = c1.post(reverse("decisions:convention", args=[conv.pk]),
                       {"action": "file", "version": version.pk, "file-filed_on": timezone.localdate().isoformat()}, follow=True)
    assert "第1版已备案，成为现行公约，并已在公开栏公布。" in messages_of(response)
    page = c1.get(reverse("decisions:conventions")).content.decode()
    assert "100.0%" in page and "1 / 1 个社区" in page and "0 / 2 个小区" in page


def test_the_list_reads_a_fixed_number_of_queries(c1, w, django_assert_max_num_queries):
    for i in range(5):
        matter(w.s1, w.shequ1, w.C1, title=f"事项{i}")
    with django_assert_max_num_queries(14):
        assert c1.get(reverse("decisions:matters")).status_code == 200


def test_methods_are_configured_in_the_admin_by_district_admins(client, w):
    method = four_two()
    url = reverse("admin:decisions_decisionmethod_change", args=[method.pk])
    client.force_login(w.quwei)
    page = client.get(url).content.decode()
    assert "党员大会审议" in page and 'name="steps-2-attendance_num"' in page
    client.force_login(w.shequ1)
    response = client.get(url)
    assert response.status_code == 200 and 'name="steps-2-attendance_num"' not in response.content.decode()   # read only
    assert client.post(url, {"name": "改名"}).status_code == 403


def test_a_step_returning_forward_is_refused():
    from django.core.exceptions import ValidationError

    from gongzhi.decisions.models import MethodStep

    step = MethodStep(order=2, name="商议", actor="committees", on_fail="return", return_to_order=3, attendance_num=2)
    with pytest.raises(ValidationError) as e:
        step.clean()
    assert set(e.value.message_dict) == {"return_to_order", "attendance_den"}
