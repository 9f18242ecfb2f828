"""Workbooks of the 道德银行 (.xlsx, write-only, in Chinese whatever the page language): the
residents' accounts with their balances, and a counter's 月度结算单 (each redemption of the month
with its receipt No. and goods, refunds made in the month, the total to settle)."""

from __future__ import annotations

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from gongzhi.core.xlsx import styled_cell, titled_sheet, workbook_bytes
from gongzhi.people.selectors import place_labels

ACCOUNT_COLUMNS = ("账户编号", "账户类别", "居民/户主", "住址", "所属社区", "积分余额", "开户时间")
ACCOUNT_WIDTHS = (10, 10, 14, 28, 14, 10, 17)
SETTLEMENT_COLUMNS = ("兑换时间", "凭证号", "兑换物品", "积分", "备注")
SETTLEMENT_WIDTHS = (18, 10, 40, 10, 10)


def holder_name(account) -> str:
    if account.person_id:
        return account.person.name
    head = account.household.head if account.household_id else None
    return head.name if head else ""


def accounts_xlsx(*, title: str, accounts) -> bytes:
    """`accounts`: holder accounts with person, household (head, place) and community loaded."""
    accounts = list(accounts)
    places = [a.person.place if a.person_id else a.household.place for a in accounts]
    labels = place_labels(places)
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        sheet = titled_sheet(workbook, "积分账户", title, ACCOUNT_COLUMNS, ACCOUNT_WIDTHS)
        for account, place in zip(accounts, places):
            address = labels.get(place.pk, ("", ""))[1] or place.name
            if account.household_id:
                address = f"{address} {account.household.room}".strip()
            sheet.append([account.pk, account.get_kind_display(), holder_name(account), address, account.community.name, account.balance,
                          f"{timezone.localtime(account.opened_at):%Y-%m-%d %H:%M}"])
        return workbook_bytes(workbook)


def settlement_xlsx(*, counter, month, rows, settlement=None) -> bytes:
    """`rows`: selectors.settlement_rows; `settlement`: the statement made for the month, if any."""
    with translation.override("zh-hans"):
        workbook = Workbook(write_only=True)
        title = f"{counter.community.name} {counter.name} {month:%Y年%m月} 月度结算单"
        sheet = titled_sheet(workbook, "月度结算单", title, SETTLEMENT_COLUMNS, SETTLEMENT_WIDTHS)
        bold = Font(bold=True)
        for row in rows:
            sheet.append([f"{timezone.localtime(row.at):%Y-%m-%d %H:%M}", f"No.{row.number}", row.lines, row.points,
                          "退兑" if row.refund else ""])
        total = sum(r.points for r in rows)
        count = sum(1 for r in rows if not r.refund)
        sheet.append([])
        sheet.append([styled_cell(sheet, "合计", bold), styled_cell(sheet, f"{count} 笔", bold), "", styled_cell(sheet, total, bold), ""])
        state = (f"已于 {timezone.localtime(settlement.settled_at):%Y-%m-%d} 结算（经办人：{settlement.settled_by or '—'}），结算 {settlement.points} 分"
                 if settlement else "尚未结算")
        sheet.append([f"结算状态：{state}"])
        sheet.append(["说明：1 积分兑换 1 元的物品或服务，积分不兑换现金；社区按约定与商户结算。"])
        return workbook_bytes(workbook)
