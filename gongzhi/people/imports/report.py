"""The error report: the uploaded sheet's rows as read, plus a column 「问题」 naming each problem.

Written with openpyxl's write-only mode while the source is read again row by row (reader), so
neither file is ever held whole. Rows with problems are filled light red; the header row is bold
and frozen. Everything is written as read: ID numbers stay text (Excel would otherwise turn an
18-digit number into 4.10305E+17).
The report holds the user's own personal data: the step that serves it must store it only
briefly, for the user who uploaded it.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from .reader import iter_raw_rows
from .result import ImportResult

PROBLEM_COLUMN = "问题"
PROBLEM_FILL = PatternFill("solid", start_color="FFFDE2E1")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_error_report(source, result: ImportResult, target, *, filename: str | None = None, only_problems: bool = False) -> None:
    """Write the report of `result` for `source` (a path or file) to `target` (a path or file)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("问题清单")
    sheet.freeze_panes = f"A{result.header_row + 1}"
    width = 0
    for number, cells in iter_raw_rows(source, filename=filename):
        if number < result.header_row:
            continue
        if number == result.header_row:
            width = len(cells)
            sheet.append([_header_cell(sheet, c) for c in cells] + [_header_cell(sheet, PROBLEM_COLUMN)])
            continue
        problems = result.problems.get(number)
        if problems:
            sheet.append(_problem_row(sheet, cells, width, problems))
        elif not only_problems:
            sheet.append(_padded(cells, width))
    workbook.save(target)


def _padded(cells, width: int) -> list:
    return list(cells) + [None] * (width - len(cells))


def _header_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = HEADER_FONT
    return cell


def _problem_row(sheet, cells, width: int, problems: list[str]) -> list[WriteOnlyCell]:
    row = []
    for value in _padded(cells, width) + ["\n".join(problems)]:
        cell = WriteOnlyCell(sheet, value=value)
        cell.fill = PROBLEM_FILL
        row.append(cell)
    row[-1].alignment = WRAP
    return row
