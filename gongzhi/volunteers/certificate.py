"""The 志愿服务记录证明 as a Word document (python-docx), from selectors.certificate_data: the
volunteer's name and masked ID number (the full number is never read), the issuing community, the
records with their total, the statement of 民政部令第67号, the date and a place for the seal.
Issued free of charge."""

import datetime as dt
import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from django.utils.translation import gettext as _

from gongzhi.core.docx import font as _font
from gongzhi.core.docx import paragraph as _paragraph
from gongzhi.core.docx import TITLE_FONT, chinese_document

from .selectors import Certificate





def _day(d: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}


def _hours(value) -> str:
    return f"{value:.1f}"


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT):
    p = cell.paragraphs[0]
    p.alignment = align
    _font(p.add_run(text), size=11, bold=bold)


def _records_table(doc, cert: Certificate) -> None:
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(table.rows[0].cells, (_("序号"), _("服务日期"), _("服务内容"), _("服务时长（小时）"))):
        _cell(cell, head, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for n, line in enumerate(cert.lines, 1):
        cells = table.add_row().cells
        _cell(cells[0], str(n), align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(cells[1], f"{line.served_on:%Y-%m-%d}", align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(cells[2], line.description)
        _cell(cells[3], _hours(line.hours), align=WD_ALIGN_PARAGRAPH.RIGHT)
    cells = table.add_row().cells
    cells[0].merge(cells[2])
    _cell(cells[0], _("合计"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(cells[3], _hours(cert.total), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)


def certificate_docx(cert: Certificate, *, issued_on: dt.date) -> bytes:
    doc = chinese_document()
    _paragraph(doc, _("志愿服务记录证明"), size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, name=TITLE_FONT)
    _paragraph(doc, _("志愿者姓名：%(name)s") % {"name": cert.name})
    _paragraph(doc, _("公民身份号码：%(id)s") % {"id": cert.id_number_mask or _("（未登记）")})
    _paragraph(doc, _("服务期间：%(start)s至%(end)s") % {"start": _day(cert.start), "end": _day(cert.end)})
    _paragraph(doc, _("经核实，该志愿者在上述期间参加%(issuer)s组织的志愿服务，经认定的志愿服务记录如下：") % {"issuer": cert.issuer})
    if cert.lines:
        _records_table(doc, cert)
    else:
        _paragraph(doc, _("（该期间内没有经认定的志愿服务记录。）"))
    _paragraph(doc, _("累计志愿服务时长：%(total)s小时。") % {"total": _hours(cert.total)}, bold=True)
    _paragraph(doc, _("以上志愿服务记录真实、准确、完整，依据《志愿服务记录与证明出具办法》（民政部令第67号）出具。"
                      "本证明无偿出具，不收取任何费用。"))
    _paragraph(doc, "")
    _paragraph(doc, _("出具单位：%(issuer)s（盖章）") % {"issuer": cert.issuer}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _("出具日期：%(day)s") % {"day": _day(issued_on)}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
