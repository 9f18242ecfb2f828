"""PDF of a printable record: Chinese text laid out with an embedded CJK font, offline."""

import re

import pytest
from django.test import RequestFactory

from gongzhi.core import pdf

pytestmark = pytest.mark.django_db


def test_a_chinese_page_becomes_a_pdf_with_an_embedded_cjk_font():
    data = pdf.pdf_from_html("<html><body><h1>调解协议书</h1><p>甲方张三，乙方李四。</p></body></html>")
    assert data.startswith(b"%PDF-")
    # the font is subset and embedded (a printer or an offline reader needs nothing else)
    assert re.search(rb"/Subtype /OpenType|/FontFile2", data), "no embedded font"


def test_the_print_template_is_served_as_a_pdf_download():
    request = RequestFactory().get("/")
    response = pdf.pdf_response(request, "print_base.html", {}, "决策记录")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E5%86%B3%E7%AD%96%E8%AE%B0%E5%BD%95.pdf"
    assert response.content.startswith(b"%PDF-")


def test_nothing_outside_the_projects_static_files_is_fetched(monkeypatch):
    fetched = []
    from weasyprint.urls import URLFetcher

    real = URLFetcher.fetch
    monkeypatch.setattr(URLFetcher, "fetch", lambda self, url, headers=None: fetched.append(url) or real(self, url, headers))
    data = pdf.pdf_from_html('<img src="http://example.com/logo.png"><img src="/static/web/nope.png">'
                             '<img src="/static/web/favicon.svg"><p>文字</p>')
    assert data.startswith(b"%PDF-")
    assert len(fetched) == 1 and fetched[0].startswith("file://") and fetched[0].endswith("/web/static/web/favicon.svg")
