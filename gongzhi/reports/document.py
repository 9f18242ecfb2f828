"""The 调研报告 as a Word document (python-docx), in the seed report's structure:

    <单位>党建引领基层治理调研报告（<时段>）
    一、基本情况      every registered indicator by section, rates with their counts (n/d); the
                      table of all figures with their formulas; the charts of the child units
    二、主要做法      per section, the practice figures in template sentences (an indicator that is
                      not registered is left out)
    三、问题和不足    each alert rule that trips: its problem, how many of how many, the names
    四、意见建议      the suggestion of each rule that trips

Every number comes from `content.report_content` (the indicator registry and the alerts); the
seed's "×" (a number someone counted) never appears. Fonts: 方正小标宋-like 宋体 for the title,
黑体 for headings, 楷体 for sub-headings, 仿宋 for the body (GB/T 9704 style), set as East Asian
fonts so that Word and WPS use them. Headings use Word's heading styles (navigable, editable).
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section

from . import charts
from .content import ReportContent, clean, figure_text, names_text, report_content

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, TABLE_FONT = "宋体", "黑体", "楷体", "仿宋", "宋体"
BODY_SIZE, TABLE_SIZE = 14, 10.5
NUMBERS = "一二三四五六七八九十"
CHART_CHILDREN_MAX = 30

# 二、主要做法: the opening of each section's paragraph, and sentences quoting practice figures.
PRACTICE_LEADS = {
    Section.ORGANISATION: _lazy("建强组织体系，争先创优"),
    Section.PARTY_LIFE: _lazy("严肃组织生活"),
    Section.MEMBERS: _lazy("加强党员教育管理"),
    Section.SERVICE: _lazy("填好“三张清单”，为民服务提质增效"),
    Section.VOLUNTEERS: _lazy("壮大志愿服务力量"),
    Section.GOVERNANCE: _lazy("推进自治、法治、德治“三治并进”"),
    Section.BANK: _lazy("用好“道德银行”"),
}
PRACTICE_SENTENCES = {  # code: sentence with %(v)s (the figure) and %(u)s (its unit)
    "points.five_star": _lazy("已评定“五星支部”%(v)s%(u)s"),
    "points.model_sites": _lazy("打造“市级标杆式示范点”%(v)s%(u)s"),
    "org.organizations": _lazy("建有各级党组织%(v)s%(u)s"),
    "partylife.meetings": _lazy("召开“三会一课”等组织生活会议%(v)s%(u)s"),
    "people.checkins": _lazy("接收在职党员到社区报到%(v)s%(u)s"),
    "needs.registered": _lazy("收集群众需求%(v)s%(u)s"),
    "needs.closed": _lazy("办结群众需求%(v)s%(u)s"),
    "needs.projects_opened": _lazy("形成惠民项目%(v)s%(u)s"),
    "needs.projects_closed": _lazy("挂账销号项目%(v)s%(u)s"),
    "needs.resources": _lazy("盘活资源清单%(v)s%(u)s"),
    "volunteers.member": _lazy("招募党员志愿者%(v)s%(u)s"),
    "volunteers.resident": _lazy("群众志愿者%(v)s%(u)s"),
    "volunteers.pioneer_posts": _lazy("设立“党员先锋岗”%(v)s%(u)s"),
    "volunteers.duty_posts": _lazy("设置值守点%(v)s%(u)s"),
    "volunteers.activities": _lazy("开展志愿服务活动%(v)s%(u)s"),
    "volunteers.hours": _lazy("累计志愿服务%(v)s%(u)s"),
    "volunteers.professional_teams": _lazy("组建专业志愿者队伍%(v)s%(u)s"),
    "volunteers.social_orgs": _lazy("孵化社会组织%(v)s%(u)s"),
    "decisions.sy2gk_matters": _lazy("运用“四议两公开”决策事项%(v)s%(u)s"),
    "decisions.yz3y2gk_matters": _lazy("运用“一征三议两公开”决策事项%(v)s%(u)s"),
    "decisions.adopted": _lazy("经民主程序决议通过事项%(v)s%(u)s"),
    "mediation.received": _lazy("“第三调解室”受理矛盾纠纷%(v)s%(u)s"),
    "mediation.closed": _lazy("调结矛盾纠纷%(v)s%(u)s"),
    "lectures.held": _lazy("按居民点单举办法治讲座%(v)s%(u)s"),
    "lectures.attendance": _lazy("参加居民%(v)s%(u)s"),
    "culture.stories_collected": _lazy("征集家风故事%(v)s%(u)s"),
    "culture.campaigns_held": _lazy("开展“好党员”“好媳妇”“好婆婆”等评选表彰%(v)s%(u)s"),
    "culture.honours_awarded": _lazy("表彰先进典型%(v)s%(u)s"),
    "bank.stations": _lazy("建成积分驿站（爱心超市）%(v)s%(u)s"),
    "bank.merchants": _lazy("发展道德联盟商户%(v)s%(u)s"),
    "bank.deeds_credited": _lazy("评议公示并记入积分的善行义举%(v)s%(u)s"),
    "bank.points_issued": _lazy("发放道德积分%(v)s%(u)s"),
    "bank.points_redeemed": _lazy("居民兑换道德积分%(v)s%(u)s"),
}


# ---- fonts and paragraphs --------------------------------------------------------------------------

def _east_asian(rpr_owner, name: str) -> None:
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), name)


def _font(run, name: str = BODY_FONT, size: float = BODY_SIZE, bold: bool = False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element, name)
    return run


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_SIZE)
    _east_asian(normal.element, BODY_FONT)
    for style_name, font, size in (("Title", TITLE_FONT, 22), ("Heading 1", HEADING_FONT, 16), ("Heading 2", SUBHEADING_FONT, 15)):
        style = doc.styles[style_name]
        style.font.name, style.font.size, style.font.bold = font, Pt(size), style_name != "Heading 2"
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian(style.element, font)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)


def _paragraph(doc, text: str = "", *, lead: str = "", align=None, indent: bool = True, size: float = BODY_SIZE, name: str = BODY_FONT):
    """A body paragraph, first line indented two characters; `lead` in 楷体 before the text."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(size * 1.9)
    if lead:
        _font(p.add_run(clean(lead)), SUBHEADING_FONT, size, bold=True)
    if text:
        _font(p.add_run(clean(text)), name, size)
    return p


def _heading(doc, text: str, level: int = 1):
    heading = doc.add_heading(level=level)
    _font(heading.add_run(clean(text)), HEADING_FONT if level == 1 else SUBHEADING_FONT, 16 if level == 1 else 15, bold=level == 1)
    return heading


def _day(d: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}


def _number(n: int) -> str:
    """（一）… （十）, then （11）."""
    return f"（{NUMBERS[n - 1]}）" if 1 <= n <= len(NUMBERS) else f"（{n}）"


# ---- how a figure is written ---------------------------------------------------------------------

def fact(indicator: Indicator, figure: Figure) -> str:
    """One indicator in a sentence: 小区党组织覆盖率75.0%（3/4）, 五星支部2个, 党员平均积分72.5分."""
    name, unit = str(indicator.name), str(indicator.unit or "")
    if figure.kind == Kind.RATE:
        if figure.value is None:
            return _("%(name)s暂无可计算的记录") % {"name": name}
        return f"{name}{figure_text(figure)}"
    if figure.value is None:
        return _("%(name)s暂无可计算的记录") % {"name": name}
    return f"{name}{figure.display}{unit}"


def value_text(indicator: Indicator, figure: Figure) -> str:
    """The figure's cell in table 1: 75.0%（3/4）, 2个, — when undefined."""
    if figure.kind == Kind.RATE:
        return figure_text(figure)
    return figure.display if figure.value is None else f"{figure.display}{indicator.unit or ''}"


def practice(indicator: Indicator, figure: Figure) -> str:
    template = PRACTICE_SENTENCES.get(indicator.code)
    if template is None or figure.value is None:
        return fact(indicator, figure)
    return str(template) % {"v": figure.display, "u": str(indicator.unit or "")}


# ---- the parts ---------------------------------------------------------------------------------

def _title(doc, content: ReportContent) -> None:
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report_title(content.unit.label, content.period)), TITLE_FONT, 22, bold=True)
    _paragraph(doc, _(
        "为全面掌握%(unit)s党建引领基层治理工作情况，依据共治平台截至%(today)s的业务记录，对%(period)s的组织建设、"
        "组织生活、党员管理、服务群众、志愿服务等工作进行了梳理分析。本报告所列数字均由平台根据记录自动统计，"
        "计算公式见表1；时段内的数字按%(start)s至%(end)s统计，在册数、个数等时点数为截至%(today)s的数字。现将有关情况报告如下："
    ) % {"unit": content.unit.label, "today": _day(content.today), "period": content.period.label,
         "start": _day(content.period.start), "end": _day(content.period.end)})


def report_title(unit_label: str, period: Period) -> str:
    return _("%(unit)s党建引领基层治理调研报告（%(period)s）") % {"unit": unit_label, "period": period.label}


def _situation(doc, content: ReportContent) -> None:
    _heading(doc, _("一、%(unit)s党建引领基层治理基本情况") % {"unit": content.unit.label})
    for n, section in enumerate(content.sections, 1):
        facts = "，".join(fact(i, f) for i, f in section.items)
        _paragraph(doc, f"{facts}。", lead=f"{_number(n)}{section.label}。")
    _paragraph(doc, _("表1  主要指标及计算公式"), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, name=HEADING_FONT, size=12)
    _figures_table(doc, content)
    _charts(doc, content)


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT):
    p = cell.paragraphs[0]
    p.alignment = align
    _font(p.add_run(clean(text)), TABLE_FONT, TABLE_SIZE, bold=bold)


FIGURE_COLUMNS = (_lazy("类别"), _lazy("名称"), _lazy("数值"), _lazy("计算公式"))


def _figures_table(doc, content: ReportContent) -> None:
    table = doc.add_table(rows=1, cols=len(FIGURE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(2.2), Cm(3.8), Cm(3.0), Cm(6.6))
    for cell, head, width in zip(table.rows[0].cells, FIGURE_COLUMNS, widths):
        _cell(cell, str(head), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.width = width
    for section in content.sections:
        for indicator, figure in section.items:
            cells = table.add_row().cells  # (a row's cells once: each `row.cells` walks the whole table)
            texts = (section.label, str(indicator.name), value_text(indicator, figure), str(indicator.formula))
            for n, (cell, text, width) in enumerate(zip(cells, texts, widths)):
                _cell(cell, text, align=WD_ALIGN_PARAGRAPH.RIGHT if n == 2 else WD_ALIGN_PARAGRAPH.LEFT)
                cell.width = width


def _charts(doc, content: ReportContent) -> None:
    if not content.key_rates:
        return
    font = charts.cjk_font()
    if font is None:
        _paragraph(doc, _("（未找到可显示中文的字体，本报告未附统计图。可在设置 GONGZHI_REPORT_FONT 中指定中文字体文件后重新生成。）"))
        return
    for n, (title, png) in enumerate(chart_images(content, font), 1):
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(doc, _("图%(n)s  %(title)s") % {"n": n, "title": title}, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, name=HEADING_FONT, size=12)


def chart_images(content: ReportContent, font) -> list[tuple[str, bytes]]:
    """One chart per key rate across the child units (lowest first, at most CHART_CHILDREN_MAX);
    a unit without children: one chart of its own key rates."""
    if not content.children:
        rates = [(i, content.figures[i.code]) for i in content.key_rates if i.code in content.figures]
        title = _("%(unit)s主要比率") % {"unit": content.unit.label}
        return [(title, charts.rates_chart(title=title, categories=[str(i.name) for i, _f in rates],
                                           series={title: [f.percent for _i, f in rates]}, font=font))]
    images = []
    for indicator in content.key_rates:
        rows = [(c.unit.label, c.figures[indicator.code].percent) for c in content.children]
        rows.sort(key=lambda r: (r[1] is None, r[1] if r[1] is not None else 0))
        shown = rows[:CHART_CHILDREN_MAX]
        title = _("各下级单位%(name)s") % {"name": indicator.name}
        if len(rows) > len(shown):
            title += _("（最低的%(n)s个）") % {"n": len(shown)}
        images.append((title, charts.rates_chart(title=title, categories=[r[0] for r in shown], series={str(indicator.name): [r[1] for r in shown]}, font=font)))
    return images


def practice_paragraphs(content: ReportContent) -> list[tuple[str, str]]:
    """(lead, text) per section that has practice figures: the indicators with a sentence in
    PRACTICE_SENTENCES that are registered and not zero."""
    out = []
    for section in content.sections:
        said = [practice(i, f) for i, f in section.items if i.code in PRACTICE_SENTENCES and f.value]
        if said:
            lead = str(PRACTICE_LEADS.get(section.section, section.label))
            out.append((f"{_number(len(out) + 1)}{lead}。", "；".join(said) + "。"))
    return out


def _practices(doc, content: ReportContent) -> None:
    _heading(doc, _("二、%(unit)s党建引领基层治理主要做法") % {"unit": content.unit.label})
    paragraphs = practice_paragraphs(content)
    for lead, text in paragraphs:
        _paragraph(doc, text, lead=lead)
    if not paragraphs:
        _paragraph(doc, _("本时段内平台尚无可引用的工作记录。"))


def problem_paragraphs(content: ReportContent) -> list[tuple[str, str]]:
    """(lead, text) of each rule that trips, in the rules' order."""
    out = []
    for n, alert in enumerate(content.tripping, 1):
        label = str(alert.indicator.breakdown_label or _("单位"))
        text = _("对照“%(rule)s”，在有数据的%(total)s个%(label)s中，有%(k)s个：%(names)s。") % {
            "rule": alert.rule.name, "label": label, "k": len(alert.tripped), "total": alert.looked_at, "names": names_text(alert)}
        if alert.overall is not None and alert.overall.value is not None:
            text += _("%(unit)s整体%(fact)s。") % {"unit": content.unit.label, "fact": fact(alert.indicator, alert.overall)}
        out.append((f"{_number(n)}{alert.rule.problem}。", text))
    return out


def _problems(doc, content: ReportContent) -> None:
    _heading(doc, _("三、调研中发现的问题和不足"))
    paragraphs = problem_paragraphs(content)
    if not paragraphs:
        rules = len(content.alerts)
        _paragraph(doc, _("按现行%(n)s条问题预警规则，本时段未发现需要预警的党组织、小区或社区。") % {"n": rules})
    for lead, text in paragraphs:
        _paragraph(doc, text, lead=lead)


def _suggestions(doc, content: ReportContent) -> None:
    _heading(doc, _("四、对推进%(unit)s党建引领基层治理工作的意见建议") % {"unit": content.unit.label})
    seen, n = set(), 0
    for alert in content.tripping:
        suggestion = (alert.rule.suggestion or "").strip()
        if not suggestion or suggestion in seen:
            continue
        seen.add(suggestion)
        n += 1
        _paragraph(doc, suggestion, lead=_number(n) + _("针对%(problem)s。") % {"problem": alert.rule.problem})
    if n == 0:
        _paragraph(doc, _("巩固现有工作成效，持续落实“三会一课”、“三张清单”等制度，按月查看平台预警，发现问题及时整改。"))


def _closing(doc, content: ReportContent) -> None:
    _paragraph(doc)
    _paragraph(doc, _("（本报告由共治平台于%(today)s根据业务记录生成，数字可在平台中逐项查看明细。）") % {"today": _day(content.today)}, indent=False, size=12)
    _paragraph(doc, _day(content.today), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def report_docx(*, unit, period: Period, today: dt.date, progress=None, content: ReportContent | None = None) -> bytes:
    """The 调研报告 of `unit` for `period` as .docx bytes (`content`: figures already computed).
    Written in Chinese whatever the page language, like every document the platform files."""
    with translation.override("zh-hans"):
        return _report_docx(unit=unit, period=period, today=today, progress=progress, content=content)


def _report_docx(*, unit, period: Period, today: dt.date, progress, content: ReportContent | None) -> bytes:
    if content is None:
        content = report_content(unit=unit, period=period, today=today, progress=progress, extra_steps=1)
    content.step(_("生成 Word 报告"))
    doc = Document()
    _styles(doc)
    _title(doc, content)
    _situation(doc, content)
    _practices(doc, content)
    _problems(doc, content)
    _suggestions(doc, content)
    _closing(doc, content)
    doc.core_properties.title = report_title(content.unit.label, content.period)
    doc.core_properties.author = str(_("共治平台"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
