"""The 调研报告 in the browser: from the dashboard's 生成调研报告 button to the confirmation page,
the job, the downloads; the .docx opened with python-docx (and, where LibreOffice is installed,
turned into a PDF whose text is Chinese)."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from gongzhi.reports.tests import report_fixtures

district = report_fixtures.district  # the hand-counted district, a fixture


@pytest.fixture
def thread_jobs(settings):
    """As in tests/e2e/test_import.py: a thread, except on the in-memory SQLite database."""
    from django.db import connection

    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        settings.GONGZHI_JOBS = "thread"


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_generate_and_download_the_report(page, live_server, district, login, shot, tmp_path, thread_jobs, viewport):
    login("jiedao1")
    page.goto(f"{live_server.url}/reports/?place={district.S1.pk}&year=2026&quarter=1")
    page.get_by_role("link", name="生成调研报告").click()
    expect(page.get_by_role("heading", name="生成调研报告")).to_be_visible()
    expect(page.locator(".report-confirm")).to_contain_text("东风街道党建引领基层治理调研报告（2026年第1季度）")
    shot("confirm")
    page.get_by_role("button", name="开始生成").click()
    expect(page.get_by_role("heading", name="调研报告已生成")).to_be_visible(timeout=30000)
    expect(page.locator(".report-done")).to_contain_text("5 条预警规则发现问题")
    shot("done")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word 报告").click()
    assert download.value.suggested_filename == "东风街道党建引领基层治理调研报告（2026年第1季度）.docx"
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.startswith("东风街道党建引领基层治理调研报告（2026年第1季度）")
    assert "三会一课落实率37.5%（6/16）" in text  # K1 4/8 + K3 2/8
    assert "对照“参会率低于80%”，在有数据的2个党组织中，有2个" in text and "×" not in text

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel 数据表").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book.sheetnames == ["指标", "问题预警", "下级单位"]

    if viewport == "desktop":
        _check_pdf(path, tmp_path)


def _check_pdf(docx_path, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        return  # LibreOffice is not installed here: the PDF check is skipped
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)], check=True, timeout=120,
                   capture_output=True)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert "党建引领基层治理调研报告" in text and "问题和不足" in text


def test_another_users_report_is_not_found(page, live_server, district, login, client):
    from django.urls import reverse

    client.force_login(district.jiedao1)
    response = client.post(reverse("reports:report_new"), {"place": district.S1.pk})
    job_url = response["Location"]
    login("shequ1")
    page.goto(f"{live_server.url}{job_url}")
    expect(page.locator("body")).to_contain_text("不存在")
    assert page.request.get(f"{live_server.url}{job_url}download/?format=docx").status == 404
