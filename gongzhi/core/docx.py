"""What the Word documents share (志愿服务记录证明, 决策记录, 调解协议书): runs and paragraphs in a
Chinese font that Word and WPS both honour (the east-Asian font set as well as the Latin one)."""

from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "宋体"
TITLE_FONT = "黑体"


def font(run, name: str = FONT, size: float = 12, bold: bool = False):
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def paragraph(doc, text: str, *, size: float = 12, bold: bool = False, align=None, name: str = FONT):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    font(p.add_run(text), name, size, bold)
    return p


def chinese_document():
    """A new Word document whose Normal style is in the Chinese body font."""
    from docx import Document

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return doc
