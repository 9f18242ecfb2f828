"""The 调研报告's figures as an .xlsx workbook (openpyxl), for those who rework the numbers:

    指标        every registered indicator: section, code, name, value, numerator, denominator,
                formula, the previous period's value (rates as fractions formatted in percent)
    问题预警    each alert rule's tripping rows: rule, indicator, which unit, its value and counts
    下级单位    the child units' key rates (value, numerator, denominator)

From the same `content.report_content` as the Word document.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gongzhi.core.indicators import Figure, Kind, Period

from .content import ReportContent, clean, report_content
from .document import report_title

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
PERCENT, DECIMAL, INTEGER = "0.0%", "#,##0.0", "#,##0"


def cell_value(figure: Figure | None):
    """The number written to a cell: a rate as a fraction (shown in percent), a count as an
    integer, an average or amount as a decimal; None when undefined."""
    if figure is None or figure.value is None:
        return None
    if figure.kind == Kind.COUNT:
        return int(figure.value)
    return float(Decimal(figure.value))


def number_format(kind: str) -> str:
    return {Kind.RATE: PERCENT, Kind.COUNT: INTEGER}.get(kind, DECIMAL)


def _sheet(book: Workbook, title: str, headers: list[str], widths: list[int], *, first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for n, (cell, width) in enumerate(zip(sheet[1], widths), 1):
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _append(sheet, values: list, formats: dict[int, str] | None = None) -> int:
    """Append a row with number formats {column: format}; its row number. (`sheet.max_row` reads
    every cell: asked once per row it made a district's alerts sheet take a second.)"""
    sheet.append(values)
    row = sheet._current_row  # what append just wrote
    for column, fmt in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = fmt
    return row


def _figures_sheet(book: Workbook, content: ReportContent) -> None:
    headers = [_("类别"), _("指标代码"), _("指标名称"), _("数值"), _("单位"), _("分子"), _("分母"), _("计算公式"),
               _("上期数值"), _("上期分子"), _("上期分母")]
    sheet = _sheet(book, _("指标"), headers, [10, 26, 24, 12, 8, 10, 10, 60, 12, 10, 10], first=True)
    for section in content.sections:
        for indicator, figure in section.items:
            before = content.previous.get(indicator.code)
            rate = figure.kind == Kind.RATE
            fmt = number_format(figure.kind)
            row = _append(sheet, [
                section.label, indicator.code, str(indicator.name), cell_value(figure), "" if rate else str(indicator.unit or ""),
                figure.numerator if rate else None, figure.denominator if rate else None, clean(indicator.formula),
                cell_value(before), before.numerator if rate and before else None, before.denominator if rate and before else None,
            ], {4: fmt, 9: fmt})
            sheet.cell(row=row, column=8).alignment = Alignment(wrap_text=True, vertical="top")


def _alerts_sheet(book: Workbook, content: ReportContent) -> None:
    headers = [_("问题"), _("预警规则"), _("指标代码"), _("比较"), _("阈值"), _("单位类型"), _("名称"), _("上级"),
               _("数值"), _("分子"), _("分母")]
    sheet = _sheet(book, _("问题预警"), headers, [28, 22, 24, 8, 8, 10, 24, 18, 10, 10, 10])
    for alert in content.tripping:
        rule = alert.rule
        for row in alert.tripped:
            figure = row.figure
            rate = figure.kind == Kind.RATE
            fmt = number_format(figure.kind)
            _append(sheet, [
                clean(rule.problem), clean(rule.name), rule.indicator, rule.get_comparison_display(), float(rule.threshold) / (100 if rate else 1),
                str(alert.indicator.breakdown_label or ""), row.name, row.parent, cell_value(figure),
                figure.numerator if rate else None, figure.denominator if rate else None,
            ], {5: fmt, 9: fmt})
    if not content.tripping:
        sheet.append([_("本时段未发现需要预警的问题。")])


def _children_sheet(book: Workbook, content: ReportContent) -> None:
    """One row per child unit, one column per key figure (a rate with its numerator and
    denominator beside it)."""
    columns = content.key_figures + [i for i in content.key_rates if i not in content.key_figures]
    headers, widths = [_("单位"), _("层级")], [24, 12]
    for indicator in columns:
        name = str(indicator.name)
        headers.append(name if indicator.kind == Kind.RATE else f"{name}（{indicator.unit}）" if indicator.unit else name)
        widths.append(14)
        if indicator.kind == Kind.RATE:
            headers += [_("%(name)s分子") % {"name": name}, _("%(name)s分母") % {"name": name}]
            widths += [10, 10]
    sheet = _sheet(book, _("下级单位"), headers, widths)
    for child in content.children:
        row, formats = [child.unit.label, child.unit.level_label], {}
        for indicator in columns:
            figure = child.figures[indicator.code]
            row.append(cell_value(figure))
            formats[len(row)] = number_format(figure.kind)
            if indicator.kind == Kind.RATE:
                row += [figure.numerator, figure.denominator]
        _append(sheet, row, formats)
    if not content.children:
        sheet.append([_("%(unit)s没有下级单位。") % {"unit": content.unit.label}])


def report_xlsx(*, unit, period: Period, today: dt.date, progress=None, content: ReportContent | None = None) -> bytes:
    """The report's figures of `unit` for `period` as .xlsx bytes (`content`: already computed),
    in Chinese whatever the page language."""
    with translation.override("zh-hans"):
        return _report_xlsx(unit=unit, period=period, today=today, progress=progress, content=content)


def _report_xlsx(*, unit, period: Period, today: dt.date, progress, content: ReportContent | None) -> bytes:
    if content is None:
        content = report_content(unit=unit, period=period, today=today, progress=progress, extra_steps=1)
    content.step(_("生成 Excel 数据表"))
    book = Workbook()
    _figures_sheet(book, content)
    _alerts_sheet(book, content)
    _children_sheet(book, content)
    book.properties.title = report_title(content.unit.label, content.period)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
