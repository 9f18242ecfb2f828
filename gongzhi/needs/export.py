"""Workbooks (.xlsx, write-only, in Chinese whatever the page language): the open-items ledger
(挂账: one sheet of open needs and one of open projects, each the whole filtered list, oldest
first) and the resources list."""

from __future__ import annotations

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from gongzhi.core.xlsx import titled_sheet, workbook_bytes

NEED_COLUMNS = ("编号", "登记时间", "挂账天数", "类别", "标题", "社区", "地点", "来源渠道", "紧急程度", "状态", "逾期", "所属项目")
NEED_WIDTHS = (8, 17, 9, 12, 30, 14, 22, 14, 9, 9, 12, 24)
PROJECT_COLUMNS = ("编号", "立项日期", "挂账天数", "项目名称", "实施地点", "责任党组织", "责任人", "状态", "任务进度", "专项资金（元）", "已支出（元）", "任务逾期")
PROJECT_WIDTHS = (8, 12, 9, 30, 18, 24, 10, 9, 10, 14, 14, 9)
RESOURCE_COLUMNS = ("编号", "资源类型", "名称", "地点", "技能", "数量/容量", "金额（元）", "驻区单位", "承诺内容", "承诺截止", "当前可用",
                    "可用时间说明", "在办项目数", "联系方式备注", "登记时间")
RESOURCE_WIDTHS = (8, 10, 20, 18, 20, 10, 12, 20, 28, 12, 9, 16, 11, 24, 17)


def ledger_xlsx(*, title: str, needs, projects) -> bytes:
    """`needs`: (Need annotated with overdue flags, age, (社区, 地址)); `projects`: (Project
    annotated with progress, age, Progress)."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        bold = Font(bold=True)
        sheet = titled_sheet(workbook, "需求挂账", title, NEED_COLUMNS, NEED_WIDTHS, bold)
        for n, age, (community, address) in needs:
            late = "逾期未受理" if n.overdue_accept else "逾期未办结" if n.overdue_close else ""
            sheet.append([n.pk, f"{timezone.localtime(n.registered_at):%Y-%m-%d %H:%M}", age, n.category.name, n.title, community,
                          address or n.place.name, n.get_channel_display(), n.get_urgency_display(), n.get_status_display(), late,
                          n.project.name if n.project else ""])
        sheet = titled_sheet(workbook, "项目挂账", title, PROJECT_COLUMNS, PROJECT_WIDTHS, bold)
        for p, age, progress in projects:
            sheet.append([p.pk, f"{p.opened_on:%Y-%m-%d}", age, p.name, p.place.name, p.organization.name, p.leader_name,
                          p.get_status_display(), f"{progress.done}/{progress.tasks}", float(p.budget), float(progress.spent),
                          "是" if p.tasks_late else ""])
        return workbook_bytes(workbook)


def resources_xlsx(*, title: str, resources) -> bytes:
    """The filtered resources list as a workbook, in Chinese whatever the page language."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        sheet = titled_sheet(workbook, "资源清单", title, RESOURCE_COLUMNS, RESOURCE_WIDTHS, Font(bold=True))
        for r in resources:
            sheet.append([r.pk, r.get_kind_display(), r.name, r.place.name, "、".join(s.name for s in r.skills.all()), r.quantity,
                          float(r.amount) if r.amount is not None else None, r.unit_name, r.commitment,
                          f"{r.committed_until:%Y-%m-%d}" if r.committed_until else "", "是" if r.available else "否",
                          r.availability_note, r.load, r.contact_note, f"{timezone.localtime(r.recorded_at):%Y-%m-%d %H:%M}"])
        return workbook_bytes(workbook)
