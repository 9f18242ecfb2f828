"""A year's 五星支部 ratings as an .xlsx workbook: a sheet of branches (stars, total, last year's
stars and the change, innovation project, 示范点) and a sheet of the summary by star level with
its warnings. Write-only; the header style is the 台账's (gongzhi.partylife.ledger_export)."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from gongzhi.partylife.ledger_export import _sheet

from .models import EvaluationStatus
from .star_selectors import StarSummary, change

BRANCH_COLUMNS = ("党组织", "类别", "所在地", "年度", "状态", "总分", "星级", "上年星级", "变化", "市级标杆式示范点")
SUMMARY_COLUMNS = ("星级", "最低分", "须有创新项目", "支部数", "占比", "预期占比")


def summary_xlsx(summary: StarSummary, branches) -> bytes:
    with translation.override("zh-hans"):  # an official list: Chinese whatever the page language
        return _summary_xlsx(summary, branches)


def _summary_xlsx(summary: StarSummary, branches) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "星级评定", BRANCH_COLUMNS)
    statuses = dict(EvaluationStatus.choices)
    for b in branches.iterator(chunk_size=500):
        published = b.rating_status == EvaluationStatus.PUBLISHED
        moved = change(b.rating_stars, b.previous_stars)
        sheet.append([
            b.name, b.kind.name, b.place.name, summary.year, str(statuses[b.rating_status]) if b.rating_status else "未评定",
            float(b.rating_total) if published else None, b.rating_stars if published else None, b.previous_stars,
            None if moved is None else (f"+{moved}" if moved > 0 else str(moved)), "是" if published and b.model_site else "",
        ])
    levels = _sheet(workbook, "按星级汇总", SUMMARY_COLUMNS)
    for row in summary.levels:
        levels.append([f"{row.stars}星", None if row.min_score is None else float(row.min_score), "是" if row.needs_innovation else "",
                       row.count, _percent(levels, row.share), _percent(levels, row.expected_share)])
    levels.append(["未评定", None, None, summary.unrated, None, None])
    levels.append(["市级标杆式示范点", None, None, summary.model_sites, None, None])
    for warning in summary.warnings:
        levels.append(["提示", warning])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _percent(sheet, share) -> WriteOnlyCell | None:
    if share is None:
        return None
    cell = WriteOnlyCell(sheet, value=float(share))
    cell.number_format = "0.0%"
    return cell
