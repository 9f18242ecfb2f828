"""The orders list as a workbook (.xlsx, write-only, in Chinese whatever the page language)."""

from __future__ import annotations

from django.utils import timezone, translation
from openpyxl import Workbook

from gongzhi.core.xlsx import titled_sheet, workbook_bytes

COLUMNS = ("编号", "社区", "讲座题目", "主题", "开讲时间", "地点", "面向人群", "预计人数", "讲师", "状态", "实到人数", "回应点单")
WIDTHS = (8, 14, 28, 20, 17, 20, 16, 9, 24, 14, 9, 9)


def orders_xlsx(*, title: str, orders) -> bytes:
    """`orders`: from `selectors.order_list` (community, topic, invites with teachers, n_requests)."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        sheet = titled_sheet(workbook, "法治讲座", title, COLUMNS, WIDTHS)
        for o in orders:
            teachers = "、".join(f"{i.teacher.name}（{i.get_status_display()}）" for i in o.invites.all())
            sheet.append([o.pk, o.community.name, o.title, o.topic.title, f"{timezone.localtime(o.starts_at):%Y-%m-%d %H:%M}", o.venue, o.audience,
                          o.expected_size, teachers, o.get_status_display(), o.attendance, o.n_requests])
        return workbook_bytes(workbook)
