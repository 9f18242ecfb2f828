"""The publicity register as a workbook (.xlsx, write-only, in Chinese whatever the page
language): one row per record, then the totals by kind."""

from __future__ import annotations

from django.utils import timezone, translation
from openpyxl import Workbook

from gongzhi.core.xlsx import styled_cell, titled_sheet, workbook_bytes

COLUMNS = ("日期", "所属社区", "宣传形式", "数量", "单位", "主题", "备注", "登记人")
WIDTHS = (12, 14, 14, 8, 6, 36, 24, 12)


def publicity_xlsx(records, totals, *, scope) -> bytes:
    """`records`: publicity records with community, kind and recorder loaded; `totals`:
    selectors.publicity_totals of the same filter."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        where = "、".join(map(str, scope.labels)) or "全部"
        title = f"{where} 宣传登记（导出于 {timezone.localdate():%Y-%m-%d}）"
        sheet = titled_sheet(workbook, "宣传登记", title, COLUMNS, WIDTHS)
        for r in records:
            sheet.append([f"{r.made_on:%Y-%m-%d}", r.community.name, r.kind.name, r.count, r.kind.unit, r.topic, r.note,
                          str(r.recorded_by or "")])
        sheet.append([])
        sheet.append([styled_cell(sheet, "合计")])
        for kind, items, n in totals:
            sheet.append(["", "", kind.name, items, kind.unit, f"{n} 条记录"])
        return workbook_bytes(workbook)
