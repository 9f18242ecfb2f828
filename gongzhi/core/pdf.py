"""PDF of a printable record (决策记录, 调解协议书 …) from the same HTML as its print page.

WeasyPrint lays the HTML out with the system's fonts (fonts-noto-cjk: "Noto Serif CJK SC" /
"Noto Sans CJK SC"), entirely offline; the print templates extend `print_base.html`, whose
stylesheet names those fonts and sets A4 pages. Nothing is fetched over the network: a URL the
HTML refers to outside the project's static files is refused.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

STATIC_PREFIX = "/static/"


def _local_fetcher():
    """WeasyPrint's fetcher, limited to the project's static files (made on use: importing
    WeasyPrint loads Pango, which only PDF pages need)."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = url.split("://", 1)[-1]
            path = path[path.find(STATIC_PREFIX) + len(STATIC_PREFIX):] if STATIC_PREFIX in path else ""
            found = finders.find(path) if path else None
            if not found:
                raise ValueError(f"refused to fetch {url!r}: a PDF may use only the project's static files")
            return super().fetch(Path(found).as_uri(), headers)

    return LocalOnly(allowed_protocols=("file",))


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url="http://localhost/", url_fetcher=_local_fetcher()).write_pdf()


def pdf_response(request, template_name: str, context: dict, filename: str) -> HttpResponse:
    """The template rendered for print, as a PDF download named `filename` (.pdf added)."""
    html = render_to_string(template_name, {**context, "as_pdf": True}, request=request)
    try:
        data = pdf_from_html(html)
    except OSError:  # WeasyPrint could not load Pango: the server lacks the system library
        return HttpResponse(_("服务器缺少 PDF 排版组件（Pango），暂不能生成 PDF：请使用页面上的“打印”或下载 Word 版，并请管理员安装。"),
                            status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    name = filename if filename.endswith(".pdf") else f"{filename}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def in_chinese(view):
    """A view whose document (a record filed with the district, a legal agreement) is always in
    Chinese, whatever language the page is read in — as the 调研报告 is."""
    from functools import wraps

    from django.utils import translation

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("zh-hans"):
            return view(request, *args, **kwargs)

    return wrapped
