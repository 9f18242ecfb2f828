"""Importing residents in the browser: a sheet with an error, the error report downloaded and
fixed, the fixed sheet previewed and imported; an export in the background; the progress bar."""

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from gongzhi.people.imports.columns import RESIDENTS
from gongzhi.people.models import Person
from gongzhi.people.tests.imports_helpers import id_number, resident


@pytest.fixture
def thread_jobs(settings):
    """Jobs in a thread, as in the default setup — except on the in-memory SQLite test database,
    whose shared-cache table locks make a page read fail while the job thread writes (a file
    database in WAL mode, as deployed, lets them run together); there they run inline. The
    PostgreSQL run covers the thread."""
    from django.db import connection

    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        settings.GONGZHI_JOBS = "thread"


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_upload_errors_download_report_fix_and_import(page, live_server, world, login, shot, tmp_path, thread_jobs, viewport):
    good_id, fixed_id = id_number(), id_number()
    wrong = fixed_id[:17] + ("0" if fixed_id[17] != "0" else "1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(RESIDENTS.columns) + ["籍贯"])
    sheet.append(resident(姓名="王新", 公民身份号码=good_id, 房号="2-201") + ["河南"])
    sheet.append(resident(姓名="李错", 公民身份号码=wrong, 房号="2-202", 联系电话="1381234") + ["山东"])
    first = tmp_path / "居民登记.xlsx"
    workbook.save(first)

    login("shequ1")
    page.goto(f"{live_server.url}/people/import/")
    expect(page.get_by_role("heading", name="上传 Excel 导入")).to_be_visible()
    shot("import-page")
    page.get_by_label("居民（含住户）").check()
    page.get_by_label("文件").set_input_files(str(first))
    page.get_by_role("button", name="上传并校验").click()

    expect(page.get_by_role("heading", name="问题清单")).to_be_visible(timeout=15000)
    expect(page.locator("table.problems")).to_contain_text("第 3 行")
    expect(page.locator("table.problems")).to_contain_text("公民身份号码校验位错误")
    expect(page.locator("table.problems")).to_contain_text("联系电话")
    expect(page.locator(".notice")).to_contain_text("籍贯")
    shot("problems")
    assert not Person.objects.filter(name="王新").exists()  # all or nothing

    with page.expect_download() as download:
        page.get_by_role("link", name="下载问题清单 .xlsx").click()
    report = tmp_path / "report.xlsx"
    download.value.save_as(report)
    assert download.value.suggested_filename == "居民登记-问题清单.xlsx"
    book = load_workbook(report)
    rows = book.active
    header = [c.value for c in rows[1]]
    assert header[-1] == "问题" and "校验位" in rows.cell(row=3, column=len(header)).value
    rows.cell(row=3, column=header.index("公民身份号码") + 1).value = fixed_id  # the fixes
    rows.cell(row=3, column=header.index("联系电话") + 1).value = "13812340000"
    fixed = tmp_path / "居民登记（改）.xlsx"
    book.save(fixed)

    form = page.locator("form.import-again")
    form.get_by_label("文件").set_input_files(str(fixed))
    form.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_role("heading", name="校验通过")).to_be_visible(timeout=15000)
    expect(page.locator(".tiles")).to_contain_text("将新增")
    expect(page.locator(".notice")).to_contain_text("问题")  # the report's extra columns are ignored
    shot("preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".notice[role=status]")).to_contain_text("导入完成", timeout=15000)
    shot("imported")
    assert set(Person.objects.filter(name__in=["王新", "李错"]).values_list("name", flat=True)) == {"王新", "李错"}
    assert Person.objects.get(name="李错").phone_mask == "138****0000"


def test_progress_bar_updates_then_the_page_shows_the_result(page, live_server, world, login, shot):
    from django.utils import timezone

    from gongzhi.jobs import progress
    from gongzhi.jobs.models import Job, JobStatus

    job = Job.objects.create(kind="people.import_check", user=world.shequ1, status=JobStatus.RUNNING, started_at=timezone.now(),
                             params={"kind": "residents", "file": "upload.xlsx", "name": "全社区居民.xlsx"})
    bar = progress.Progress(job.pk)
    bar.phase("校验数据", 100000)
    bar.update(25000)
    bar.flush()
    login("shequ1")
    page.goto(f"{live_server.url}/people/import/{job.pk}/")
    expect(page.locator(".job-progress")).to_contain_text("25,000 / 100,000")
    bar.update(60000)
    bar.flush()
    expect(page.locator(".job-progress")).to_contain_text("60,000 / 100,000 行 · 60%", timeout=5000)
    shot("progress")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now(), result={
        "kind": "residents", "rows": 100000, "errors": 0, "new": 99000, "updated": 1000, "unchanged": 0, "ignored": [], "problems": [], "ok": True,
    })
    expect(page.get_by_role("heading", name="校验通过")).to_be_visible(timeout=5000)  # the page refreshed itself
    expect(page.locator(".tiles")).to_contain_text("99,000")


def test_export_in_the_background_then_download(page, live_server, world, login, shot, tmp_path, thread_jobs):
    login("shequ1")
    page.goto(f"{live_server.url}/people/import/")
    page.get_by_role("button", name="导出本辖区居民 .xlsx").click()
    expect(page.get_by_role("heading", name="导出完成")).to_be_visible(timeout=15000)
    shot("export-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载文件").click()
    assert download.value.suggested_filename.startswith("居民-") and download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    zhangsan = next(r for r in rows if r[0] == "张三")
    assert zhangsan[1] == world.zhangsan.id_number_mask and zhangsan[-1] == world.zhangsan.pk
    page.goto(f"{live_server.url}/people/import/")
    expect(page.locator("body")).to_contain_text("我最近的导出")
