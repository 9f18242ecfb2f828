"""The whole record of a decision matter as one document: `.docx` (python-docx) here, and the
same content as the print page / PDF (`templates/decisions/record_print.html`). Every step of the
method in order with what was recorded: date, who recorded it and when, 应到/实到/比例, votes, the
threshold in force and the outcome, minutes, the notice text and its publication period; steps
not reached are listed as such."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from gongzhi.core.docx import font, paragraph
from gongzhi.core.docx import FONT, TITLE_FONT

from .models import Matter, MethodStep, StepRecord



@dataclass
class StepEntry:
    step: MethodStep
    records: list[StepRecord] = field(default_factory=list)


def record_entries(matter: Matter, records: list[StepRecord]) -> list[StepEntry]:
    """The method's steps in order, each with its records (a returned step has several)."""
    entries = {s.pk: StepEntry(s) for s in matter.method.steps.order_by("order")}
    for r in records:
        entries.setdefault(r.step_id, StepEntry(r.step)).records.append(r)
    return list(entries.values())


def day(d: dt.date | None) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day} if d else ""


def record_lines(r: StepRecord) -> list[tuple[str, str]]:
    """(label, value) of one record, as both documents show it."""
    lines = [(_("日期"), day(r.held_on))]
    if r.merged_with_previous:
        lines.append((_("合并召开"), _("书记、主任一肩挑，与上一步骤在同一次会议完成")))
    if r.due_count is not None:
        lines.append((_("应到/实到"), _("应到 %(d)s 人，实到 %(p)s 人，到会比例 %(r)s") % {"d": r.due_count, "p": r.present_count, "r": r.attendance_percent}))
    if r.votes_for is not None:
        lines.append((_("表决"), _("赞成 %(y)s 票，反对 %(n)s 票，弃权 %(a)s 票") % {"y": r.votes_for, "n": r.votes_against, "a": r.votes_abstain}))
    if r.threshold:
        lines.append((_("通过条件"), r.threshold))
    lines.append((_("结果"), r.get_outcome_display() + (f"（{r.fail_reason}）" if r.fail_reason else "")))
    if r.minutes:
        lines.append((_("会议纪要"), r.minutes))
    if r.signatures:
        lines.append((_("签字扫描件"), _("已上传，存档备查")))
    if r.notice_text:
        lines.append((_("公开内容"), r.notice_text))
    if r.published_from:
        lines.append((_("公开期"), _("%(a)s 至 %(b)s，已发布到社区公开栏") % {"a": day(r.published_from), "b": day(r.published_until)}))
    who = r.recorded_by.display_name if r.recorded_by and getattr(r.recorded_by, "display_name", "") else str(r.recorded_by or "—")
    lines.append((_("记录人"), _("%(who)s，%(at)s") % {"who": who, "at": f"{timezone.localtime(r.created_at):%Y-%m-%d %H:%M}"}))
    return lines




def _font(run, name: str = FONT, size: float = 11, bold: bool = False):
    return font(run, name, size, bold)


def _paragraph(doc, text: str, *, size: float = 11, bold: bool = False, align=None, name: str = FONT):
    return paragraph(doc, text, size=size, bold=bold, align=align, name=name)


def _facts(doc, matter: Matter) -> None:
    where = matter.community.name + (f" · {matter.compound.name}" if matter.compound_id else "")
    for label, value in ((_("社区"), where), (_("决策方法"), matter.method.name), (_("状态"), matter.get_status_display()),
                         (_("登记时间"), f"{timezone.localtime(matter.created_at):%Y-%m-%d %H:%M}")):
        p = doc.add_paragraph()
        _font(p.add_run(f"{label}："), bold=True)
        _font(p.add_run(value))
    if matter.description:
        _paragraph(doc, _("事项内容：") + matter.description)
    if matter.withdraw_reason:
        _paragraph(doc, _("撤回原因：") + matter.withdraw_reason)


def _step(doc, entry: StepEntry) -> None:
    heading = _("第%(n)s步 %(name)s（%(actor)s）") % {"n": entry.step.order, "name": entry.step.name, "actor": entry.step.get_actor_display()}
    _paragraph(doc, heading, size=13, bold=True, name=TITLE_FONT)
    if not entry.records:
        _paragraph(doc, _("尚未进行。"))
        return
    for i, record in enumerate(entry.records, 1):
        if len(entry.records) > 1:
            _paragraph(doc, _("第%(i)s次") % {"i": i}, bold=True)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in record_lines(record):
            cells = table.add_row().cells
            _font(cells[0].paragraphs[0].add_run(label), bold=True)
            _font(cells[1].paragraphs[0].add_run(value))


def record_docx(matter: Matter, records: list[StepRecord]) -> bytes:
    doc = Document()
    _paragraph(doc, _("%(method)s决策记录") % {"method": matter.method.name}, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, name=TITLE_FONT)
    _paragraph(doc, matter.title, size=15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, name=TITLE_FONT)
    _facts(doc, matter)
    for entry in record_entries(matter, records):
        _step(doc, entry)
    _paragraph(doc, _("本记录由共治平台生成于 %(at)s。") % {"at": f"{timezone.localtime():%Y-%m-%d %H:%M}"}, size=9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
