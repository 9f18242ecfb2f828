"""The case list as .xlsx: only what everyone in scope may see (number, 社区, category, tier,
status, dates, overdue) — no party, description or record."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gongzhi.core.xlsx import titled_sheet, workbook_bytes


def cases_xlsx(cases, *, today) -> bytes:
    workbook = Workbook(write_only=True)
    columns = [_("案号"), _("社区"), _("纠纷类别"), _("调解层级"), _("状态"), _("受理日期"), _("办结期限"), _("结案日期"), _("是否逾期")]
    sheet = titled_sheet(workbook, _("调解案件"), _("矛盾纠纷调解案件（%(day)s导出）") % {"day": today}, columns, [22, 14, 12, 12, 10, 12, 12, 12, 10])
    for c in cases:
        sheet.append([c.number, c.community.name, c.category.name, c.tier.name, c.get_status_display(), c.received_on, c.due_on, c.closed_on,
                      _("逾期") if c.overdue_on(today) else ""])
    return workbook_bytes(workbook)
