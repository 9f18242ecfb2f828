"""The import pages end to end (jobs run inline in tests): upload, check, preview, error report,
confirm, apply; templates; the export/import round trip; privacy of jobs; bad uploads."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.core.validators import parse_id_number
from gongzhi.jobs.models import Job, JobStatus
from gongzhi.people.import_jobs import APPLY, CHECK
from gongzhi.people.imports.columns import MEMBERS, RESIDENTS
from gongzhi.people.models import PartyMember, Person

from .imports_helpers import id_number, resident, zhangsan_row

IMPORT = reverse("people:import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def c1(client, world):
    client.force_login(world.shequ1)
    return client


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def exported(client, kind: str, fmt: str) -> bytes:
    """Start an export (a job, inline in tests) and download its file."""
    response = client.post(reverse("people:export"), {"kind": kind, "fmt": fmt})
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    page = client.get(response.url).content.decode()
    assert "导出完成" in page and reverse("people:export_download", args=[job.pk]) in page
    download = client.get(reverse("people:export_download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def upload(client, content: bytes, *, name="居民.xlsx", kind="residents"):
    response = client.post(IMPORT, {"kind": kind, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    return job, client.get(response.url)


def test_sheet_with_errors_shows_problems_and_a_report_and_writes_nothing(c1, world):
    bad = resident(姓名="错号", 公民身份号码=id_number()[:17] + "0")
    good = resident(姓名="新人甲")
    before = Person.objects.count()
    job, page = upload(c1, xlsx_bytes(RESIDENTS.columns + ("籍贯",), [good, bad]))
    assert job.status == JobStatus.DONE and job.result["errors"] == 1 and job.result["ok"] is False
    html = page.content.decode()
    assert "第 3 行" in html and "公民身份号码校验位错误" in html
    assert "以下列不在模板中，已忽略" in html and "籍贯" in html
    assert reverse("people:import_confirm", args=[job.pk]) not in html
    report = c1.get(reverse("people:import_report", args=[job.pk]))
    assert report.status_code == 200 and report["Content-Type"] == XLSX
    assert "%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95.xlsx" in report["Content-Disposition"]  # 问题清单.xlsx
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "问题" and rows[1][-1] is None and "校验位错误" in rows[2][-1]
    assert Person.objects.count() == before
    # nothing to confirm
    assert c1.post(reverse("people:import_confirm", args=[job.pk])).status_code == 302
    assert not Job.objects.filter(kind=APPLY).exists()


def test_clean_sheet_preview_then_confirm_writes_once(c1, world):
    rows = [zhangsan_row(world, 备注="党员中心户"), resident(姓名="新人乙")]
    job, page = upload(c1, xlsx_bytes(RESIDENTS.columns, rows))
    assert (job.result["new"], job.result["updated"], job.result["unchanged"]) == (1, 1, 0)
    html = page.content.decode()
    assert "将新增" in html and reverse("people:import_confirm", args=[job.pk]) in html
    assert not Person.objects.filter(name="新人乙").exists()  # a preview writes nothing
    response = c1.post(reverse("people:import_confirm", args=[job.pk]))
    apply = Job.objects.get(kind=APPLY)
    assert response.url == reverse("people:import_job", args=[apply.pk])
    assert apply.status == JobStatus.DONE and apply.result["written"] and (apply.result["new"], apply.result["updated"]) == (1, 1)
    assert Person.objects.get(name="新人乙").place == world.B1
    world.zhangsan.refresh_from_db()
    assert world.zhangsan.note == "党员中心户"
    assert "导入完成" in c1.get(response.url).content.decode()
    assert not (job.directory / job.params["file"]).exists()  # the uploaded copy is not kept
    again = c1.post(reverse("people:import_confirm", args=[job.pk]))  # a second click
    assert again.url == response.url and Job.objects.filter(kind=APPLY).count() == 1
    assert "这份文件已确认导入" in c1.get(reverse("people:import_job", args=[job.pk])).content.decode()


def test_jobs_are_private_to_their_user(c1, client, world):
    job, _page = upload(c1, xlsx_bytes(RESIDENTS.columns, [resident(公民身份号码="1")]))
    client.force_login(world.shequ2)
    for name in ("people:import_job", "people:import_report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("people:import_confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:progress", args=[job.pk])).status_code == 404
    assert job.pk not in [j.pk for j in client.get(IMPORT).context["jobs"]]


@pytest.mark.parametrize("name, content, message", [
    ("居民.txt", b"abc", "不支持“居民.txt”的文件类型"),
    ("居民.xlsx", b"", "上传的文件是空的"),
])
def test_bad_uploads_are_refused_with_a_chinese_message(c1, name, content, message):
    response = c1.post(IMPORT, {"kind": "residents", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Job.objects.exists()


def test_unreadable_or_headerless_file_fails_the_check_with_its_reason(c1):
    job, page = upload(c1, b"not really a zip", name="x.xlsx")
    assert job.status == JobStatus.FAILED and "无法读取该Excel文件" in job.error
    job, page = upload(c1, xlsx_bytes(["姓名", "电话"], [["张三", "1"]]))
    assert job.status == JobStatus.FAILED and "表头缺少必填列" in page.content.decode()


def test_templates(c1):
    response = c1.get(reverse("people:import_template", args=["residents", "xlsx"]))
    book = load_workbook(io.BytesIO(response.getvalue()))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == RESIDENTS.header_labels()
    example = dict(zip(RESIDENTS.columns, [c.value for c in sheet[2]]))
    assert parse_id_number(example["公民身份号码"]).gender == "F" and example["性别"] == "女"
    assert book.worksheets[1].title == "填写说明"
    members = c1.get(reverse("people:import_template", args=["members", "csv"]))
    content = members.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == MEMBERS.header_labels()
    assert c1.get("/people/import/template/residents.xls").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(c1, world, fmt):
    content = exported(c1, "residents", fmt)
    assert world.zhangsan.id_number_mask.encode() in content or fmt == "xlsx"
    job, page = upload(c1, content, name=f"export.{fmt}")
    in_scope = Person.objects.filter(place__path__startswith=world.C1.path).count()
    assert job.result["errors"] == 0, job.result["problems"]
    assert (job.result["rows"], job.result["unchanged"], job.result["new"], job.result["updated"]) == (in_scope, in_scope, 0, 0)
    assert "没有需要导入的变化" in page.content.decode()
    job, page = upload(c1, exported(c1, "members", fmt), name=f"m.{fmt}", kind="members")
    assert job.result["errors"] == 0, job.result["problems"]
    assert job.result["rows"] == job.result["unchanged"] >= 1


def test_edited_export_updates_only_the_edited_row(c1, world):
    content = exported(c1, "residents", "xlsx")
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("姓名")].value == "张三":
            row[header.index("联系电话")].value = "13700001111"
    buffer = io.BytesIO()
    book.save(buffer)
    job, _page = upload(c1, buffer.getvalue())
    assert (job.result["updated"], job.result["new"], job.result["errors"]) == (1, 0, 0)
    c1.post(reverse("people:import_confirm", args=[job.pk]))
    world.zhangsan.refresh_from_db()
    assert world.zhangsan.phone_mask == "137****1111"
    assert PartyMember.objects.filter(person=world.zhangsan).exists()


def test_import_page_lists_my_recent_imports(c1, world):
    upload(c1, xlsx_bytes(RESIDENTS.columns, [resident(姓名="新人丙")]), name="三月份.xlsx")
    html = c1.get(IMPORT).content.decode()
    assert "三月份.xlsx" in html and "新增 1" in html
    assert Job.objects.get().kind == CHECK


def test_csv_export_guards_formulas_and_the_import_reads_them_back(c1, world):
    Person.objects.filter(pk=world.zhangsan.pk).update(note="=HYPERLINK(\"x\")")
    content = exported(c1, "residents", "csv")
    assert "'=HYPERLINK".encode() in content
    job, _page = upload(c1, content, name="e.csv")
    assert (job.result["errors"], job.result["updated"]) == (0, 0)


@pytest.mark.parametrize("username", ["wangge1", "zhibu1", "jiedao1"])
def test_narrower_and_wider_scopes_round_trip_their_members(client, world, username):
    """A grid worker's members belong to branches above the grid: keeping that branch is no change."""
    client.force_login(getattr(world, username))
    content = exported(client, "members", "xlsx")
    job, _page = upload(client, content, name="m.xlsx", kind="members")
    assert job.result["errors"] == 0, job.result["problems"]
    assert job.result["rows"] == job.result["unchanged"] >= 1


def test_a_grid_worker_cannot_move_a_member_to_a_branch_outside_the_grid(client, world):
    client.force_login(world.wangge1)
    content = exported(client, "members", "xlsx")
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("所在党组织") + 1).value = world.O_K3.name  # a branch of C2
    buffer = io.BytesIO()
    book.save(buffer)
    job, _page = upload(client, buffer.getvalue(), name="m.xlsx", kind="members")
    assert job.result["errors"] == 1
    assert job.result["problems"][0][1] == [f"所在党组织：“{world.O_K3.name}”不存在或不在您的管辖范围内（导入不会新建党组织）。"]


def test_exports_are_private_and_checked(c1, client, world):
    exported(c1, "members", "csv")
    job = Job.objects.get(kind="people.export")
    assert c1.post(reverse("people:export"), {"kind": "residents", "fmt": "pdf"}).status_code == 404
    assert c1.get(reverse("people:export")).status_code == 405
    assert "我最近的导出" in c1.get(IMPORT).content.decode()
    client.force_login(world.shequ2)  # (the same client as c1)
    for name in ("people:export_job", "people:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
