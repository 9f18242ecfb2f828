"""The rankings as an .xlsx workbook: every row of the ranking asked for (not only the page
shown), in Chinese whatever the page language. Write-only."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

COLUMNS = ("排名", "姓名", "党组织", "加减分", "积分", "等级")
WIDTHS = (8, 12, 28, 10, 10, 10)
GRADES = {"excellent": "优秀", "pass": "合格", "basic": "基本合格", "fail": "不合格"}  # an official list: always Chinese


def ranking_xlsx(rows, *, title: str) -> bytes:
    """`rows`: selectors.Standing, best first; `title` names the scope and year (first line)."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("党员积分排名")
        for i, width in enumerate(WIDTHS):
            sheet.column_dimensions[chr(ord("A") + i)].width = width
        sheet.freeze_panes = "A3"
        bold = Font(bold=True)
        heading = WriteOnlyCell(sheet, value=title)
        heading.font = bold
        sheet.append([heading])
        sheet.append([_bold(sheet, c, bold) for c in COLUMNS])
        for s in rows:
            sheet.append([s.rank, s.name, s.organization, float(s.delta), float(s.score), GRADES[s.grade.code] if s.grade else ""])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _bold(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell
