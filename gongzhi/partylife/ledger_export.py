"""The 台账 of an organisation for a period as an .xlsx workbook: one sheet of meetings (with
应到/出席/请假/缺席 and the first topic), one of attendance, person by person. Write-only."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import AttendanceStatus

MEETING_COLUMNS = ("日期", "党组织", "会议类型", "主题", "地点", "主持人", "授课人", "第一议题", "应到", "出席", "请假", "缺席")
ATTENDANCE_COLUMNS = ("日期", "会议类型", "主题", "党员", "出席情况", "请假原因")
WIDTHS = {"日期": 12, "党组织": 22, "会议类型": 14, "主题": 30, "第一议题": 30, "党员": 10, "请假原因": 20}


def ledger_xlsx(meetings) -> bytes:
    with translation.override("zh-hans"):  # an official 台账: Chinese whatever the page language
        return _ledger_xlsx(meetings)


def _ledger_xlsx(meetings) -> bytes:
    workbook = Workbook(write_only=True)
    summary = _sheet(workbook, "会议台账", MEETING_COLUMNS)
    detail = _sheet(workbook, "出席明细", ATTENDANCE_COLUMNS)
    labels = dict(AttendanceStatus.choices)
    for m in meetings:
        rows = list(m.attendance.all())
        counts = {s: sum(1 for r in rows if r.status == s) for s in AttendanceStatus.values}
        first = next((a.title for a in m.agenda.all() if a.is_first_topic), "")
        lecturer = m.lecturer.person.name if m.lecturer else m.lecturer_name
        summary.append([
            f"{m.held_on:%Y-%m-%d}", m.organization.name, m.meeting_type.name, m.topic, "线上" if m.is_online else m.location,
            m.host.person.name if m.host else "", lecturer, first, len(rows),
            counts[AttendanceStatus.PRESENT], counts[AttendanceStatus.LEAVE], counts[AttendanceStatus.ABSENT],
        ])
        for r in rows:
            detail.append([f"{m.held_on:%Y-%m-%d}", m.meeting_type.name, m.topic, r.member.person.name, str(labels[r.status]), r.leave_reason])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook, title: str, columns):
    sheet = workbook.create_sheet(title)
    for i, column in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + i)].width = WIDTHS.get(column, 10)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    return sheet
