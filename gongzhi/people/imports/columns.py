"""The two import templates (居民, 党员) and matching a sheet's header row against them.

Headers are matched after normalisation (full-width to half-width, every space removed, a
trailing hint in brackets such as 「党员类型（正式/预备）」 and a leading or trailing * dropped), so
「 公民身份 号码」, 「＊姓名」 and 「党员类型(正式/预备)」 all match. Columns may come in any order;
columns the template does not know are ignored and reported; a missing required column is a
Chinese error naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core.text import squeeze

# Column names (the Chinese header text is the identifier: it is what the sheets carry).
NAME, ID_NUMBER, GENDER, ETHNICITY, PHONE = "姓名", "公民身份号码", "性别", "民族", "联系电话"
COMMUNITY, COMPOUND, BUILDING, UNIT, ROOM = "社区", "小区", "楼栋", "单元", "房号"
RELATION, POLITICAL, NOTE = "与户主关系", "政治面貌", "备注"
ORGANIZATION, CATEGORY, JOINED_ON, FULL_ON = "所在党组织", "党员类型", "入党日期", "转正日期"
IS_AWAY, AWAY_LOCATION, CHECKIN_EMPLOYER = "是否在外", "在外地点", "报到单位"
# Written by the export (the person's number in Gongzhi), so that a sheet exported with masked ID
# numbers can be edited and imported again: the row is matched on it and the mask checked.
RECORD = "系统编号"


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    columns: tuple[str, ...]  # in the order of the downloadable template
    required: frozenset[str]  # columns the header must contain (a cell may still be blank)
    hints: dict[str, str] = field(default_factory=dict)  # shown after the name in the template
    extra: tuple[str, ...] = (RECORD,)  # known columns that exports add and blank templates leave out

    @property
    def known(self) -> tuple[str, ...]:
        """Every column an import reads, in the order an export writes them."""
        return self.columns + self.extra

    def header_labels(self) -> list[str]:
        """The header row of the downloadable template."""
        return [f"{c}（{self.hints[c]}）" if c in self.hints else c for c in self.columns]


RESIDENTS = Template(
    kind="residents",
    title="居民",
    columns=(NAME, ID_NUMBER, GENDER, ETHNICITY, PHONE, COMMUNITY, COMPOUND, BUILDING, UNIT, ROOM, RELATION, POLITICAL, NOTE),
    required=frozenset({NAME, ID_NUMBER, COMMUNITY, COMPOUND, BUILDING}),
)
MEMBERS = Template(
    kind="members",
    title="党员",
    columns=(ID_NUMBER, NAME, ORGANIZATION, CATEGORY, JOINED_ON, FULL_ON, IS_AWAY, AWAY_LOCATION, CHECKIN_EMPLOYER),
    required=frozenset({ID_NUMBER, NAME, ORGANIZATION, CATEGORY, JOINED_ON}),
    hints={CATEGORY: "正式/预备", IS_AWAY: "是/否"},
)
TEMPLATES = {t.kind: t for t in (RESIDENTS, MEMBERS)}

_HINT = re.compile(r"\(.*\)$")


def header_key(value) -> str:
    """A header cell reduced to what is compared: half-width, no spaces, no hint, no *."""
    text = squeeze("" if value is None else str(value))
    text = text.replace("（", "(").replace("）", ")")
    return _HINT.sub("", text).strip("*")


@dataclass(frozen=True)
class HeaderMap:
    """Where each template column sits in the sheet, and what was ignored."""

    template: Template
    positions: dict[str, int]  # column → 0-based index in the sheet's rows
    ignored: tuple[str, ...]  # header texts of columns not in the template
    row_number: int = 1  # the sheet row holding the header

    def row_dict(self, cells) -> dict:
        """A data row's cells keyed by template column (None for a column the sheet lacks)."""
        n = len(cells)
        return {col: (cells[i] if i < n else None) for col, i in self.positions.items()} | {
            col: None for col in self.template.known if col not in self.positions
        }


def match_header(template: Template, cells, *, row_number: int = 1) -> HeaderMap:
    """Match a header row to a template; ValidationError (Chinese) if required columns are missing."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    known = {header_key(c): c for c in template.known}
    duplicates: list[str] = []
    for i, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        column = known.get(key)
        if column is None:
            ignored.append(squeeze(str(cell)))
        elif column in positions:
            duplicates.append(column)
        else:
            positions[column] = i
    missing = [c for c in template.columns if c in template.required and c not in positions]
    if missing:
        raise ValidationError(
            _("表头缺少必填列：%(missing)s。请使用%(title)s导入模板，表头应包含：%(all)s。")
            % {"missing": "、".join(missing), "title": template.title, "all": "、".join(template.columns)},
            code="missing_columns",
        )
    if duplicates:
        raise ValidationError(_("表头中以下列出现了不止一次：%(cols)s。") % {"cols": "、".join(duplicates)}, code="duplicate_columns")
    return HeaderMap(template=template, positions=positions, ignored=tuple(ignored), row_number=row_number)


def looks_like_header(template: Template, cells) -> bool:
    """At least two cells name template columns (a title row above the header does not)."""
    known = {header_key(c) for c in template.known}
    return sum(1 for cell in cells if header_key(cell) in known) >= 2
