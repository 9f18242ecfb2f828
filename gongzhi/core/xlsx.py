"""Workbooks the lists export (openpyxl, write-only): a sheet with a title row and a bold header
row, frozen below them; bold cells; the bytes of the finished workbook."""

from __future__ import annotations

import io

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

BOLD = Font(bold=True)


def titled_sheet(workbook, name: str, title: str, columns, widths, bold: Font = BOLD):
    sheet = workbook.create_sheet(name)
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A3"
    sheet.append([styled_cell(sheet, title, bold)])
    sheet.append([styled_cell(sheet, c, bold) for c in columns])
    return sheet


def styled_cell(sheet, value, font: Font = BOLD) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
