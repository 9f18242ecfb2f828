"""The staff board as an Excel workbook (one titled sheet, Chinese whatever the page language)."""

import datetime as dt

from django.utils import timezone, translation
from openpyxl import Workbook

from gongzhi.core.xlsx import titled_sheet, workbook_bytes

from .models import NoticeState

COLUMNS = ("编号", "社区", "小区", "类别", "标题", "公开日期", "截止日期", "状态", "发布人", "撤下时间", "撤下原因")
WIDTHS = (8, 14, 14, 12, 40, 12, 12, 10, 12, 18, 24)


def board_xlsx(*, title: str, notices, day: dt.date) -> bytes:
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        sheet = titled_sheet(workbook, "公开栏", title, COLUMNS, WIDTHS)
        states = dict(NoticeState.choices)
        for n in notices:
            sheet.append([n.pk, n.community.name, n.compound.name if n.compound_id else "", n.get_kind_display(), n.title,
                          n.starts_on, n.ends_on, str(states[n.state_on(day)]), str(n.published_by or ""),
                          f"{timezone.localtime(n.withdrawn_at):%Y-%m-%d %H:%M}" if n.withdrawn_at else "", n.withdraw_reason])
        return workbook_bytes(workbook)
