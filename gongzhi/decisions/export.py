"""The matters list as a workbook (.xlsx, write-only, in Chinese whatever the page language)."""

from __future__ import annotations

from django.utils import timezone, translation
from openpyxl import Workbook

from gongzhi.core.xlsx import titled_sheet, workbook_bytes

COLUMNS = ("编号", "事项名称", "社区", "小区", "决策方法", "状态", "下一步骤", "登记时间")
WIDTHS = (8, 36, 14, 14, 16, 10, 24, 17)


def matters_xlsx(*, title: str, matters) -> bytes:
    """`matters`: selectors.matter_list (community, compound, method, current_step loaded)."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        sheet = titled_sheet(workbook, "民主决策事项", title, COLUMNS, WIDTHS)
        for m in matters:
            sheet.append([m.pk, m.title, m.community.name, m.compound.name if m.compound_id else "", m.method.name, m.get_status_display(),
                          m.current_step.name if m.current_step_id else "", f"{timezone.localtime(m.created_at):%Y-%m-%d %H:%M}"])
        return workbook_bytes(workbook)
