"""The 人民调解协议书 (人民调解法 第二十九条 to 第三十三条), one content for two forms: a Word
document (python-docx) and the print page (`mediation/agreement_print.html`, also served as PDF
through gongzhi.core.pdf).

What the law asks of it: the parties' basic information; the main facts of the dispute and what
is disputed; the agreed terms; how and by when they are performed; signatures (or fingerprints) of
the parties, the mediator's signature and the committee's seal; the date. Added: the note that the
agreement binds the parties and that they may apply jointly to the people's court for 司法确认
within 30 days of its taking effect (第三十三条). Phones are not part of it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from gongzhi.core.docx import paragraph as _paragraph
from gongzhi.core.docx import TITLE_FONT, chinese_document

from .models import Case, MediationRules



@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str
    info: str  # 性别、年龄、住所


@dataclass(frozen=True)
class Agreement:
    committee: str
    number: str
    parties: list[PartyLine]
    facts: str
    terms: str
    performance: str
    perform_by: dt.date
    mediator: str
    agreed_on: dt.date
    confirm_days: int
    confirm_until: dt.date

    @property
    def confirm_note(self) -> str:
        return _("本协议经各方当事人签名（或按指印）、人民调解员签名并加盖人民调解委员会印章后生效，具有法律约束力，当事人应当按照约定履行。"
                 "双方当事人认为有必要的，可以自本协议生效之日起%(days)s日内（即%(until)s前）共同向人民法院申请司法确认。") % {
            "days": self.confirm_days, "until": day_text(self.confirm_until)}


def day_text(d: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}


def _party_info(p) -> str:
    bits = [p.get_gender_display()] if p.gender else []
    if p.age is not None:
        bits.append(_("%(n)s岁") % {"n": p.age})
    if p.address:
        bits.append(_("住%(address)s") % {"address": p.address})
    return "，".join(bits)


def agreement_of(case: Case) -> Agreement:
    return Agreement(
        committee=_("%(community)s人民调解委员会") % {"community": case.community.name}, number=case.number,
        parties=[PartyLine(p.get_role_display(), p.name, _party_info(p)) for p in case.parties.all()],
        facts=case.facts, terms=case.terms, performance=case.performance, perform_by=case.perform_by,
        mediator=case.mediator.name if case.mediator_id else "", agreed_on=case.closed_on,
        confirm_days=MediationRules.current().confirm_days, confirm_until=case.confirm_until,
    )




def _heading(doc, text: str):
    return _paragraph(doc, text, size=13, bold=True, name=TITLE_FONT)


def agreement_docx(a: Agreement) -> bytes:
    doc = chinese_document()
    _paragraph(doc, _("人民调解协议书"), size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, name=TITLE_FONT)
    _paragraph(doc, f"{a.committee} {a.number}", size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    _heading(doc, _("当事人基本情况"))
    for p in a.parties:
        _paragraph(doc, f"{p.role}：{p.name}" + (f"，{p.info}" if p.info else "") + "。")
    _heading(doc, _("纠纷主要事实、争议事项"))
    _paragraph(doc, a.facts)
    _heading(doc, _("经调解，各方自愿达成如下协议"))
    _paragraph(doc, a.terms)
    _heading(doc, _("履行方式、时限"))
    _paragraph(doc, _("%(how)s；于%(day)s前履行完毕。") % {"how": a.performance, "day": day_text(a.perform_by)})
    _paragraph(doc, a.confirm_note, size=11)
    _paragraph(doc, _("本协议书一式%(n)s份，当事人各执一份，人民调解委员会留存一份。") % {"n": len(a.parties) + 1}, size=11)
    _paragraph(doc, "")
    for p in a.parties:
        _paragraph(doc, _("%(role)s（签名或按指印）：____________（%(name)s）") % {"role": p.role, "name": p.name})
    _paragraph(doc, _("人民调解员（签名）：____________（%(name)s）") % {"name": a.mediator})
    _paragraph(doc, "")
    _paragraph(doc, _("%(committee)s（印章）") % {"committee": a.committee}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, day_text(a.agreed_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
