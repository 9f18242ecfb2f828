"""Cell values as read (str, int, float, date, …) to clean domain values, with Chinese errors.

Text goes through gongzhi.core.text (half-width, single spaces, trimmed), ID numbers and phones
through gongzhi.core.validators; this module adds what is particular to spreadsheets: numbers
that Excel stored as floats, dates in the styles people type and Excel serial numbers, and the
labels of choice columns (党员类型, 是否在外, 政治面貌, 性别). Every error is a ValueError whose
message is a Chinese sentence naming the column and the value.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from gongzhi.core.text import clean_text, squeeze
from gongzhi.core.validators import normalize_id_number

from ..models import Gender, MemberCategory, PoliticalStatus

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
_DATE_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel serials of five digits: 10000 = 1927-05-18 … 99999 = 2173 (a bare "2020" is a year, refused)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
FORMULA_STARTS = frozenset("=+-@")
_MASK = re.compile(r"^[\dX]*\*+[\dX]*$")
YES = frozenset({"是", "y", "yes", "1", "true", "对", "√"})
NO = frozenset({"否", "n", "no", "0", "false", "不是", "×", ""})


def cell_text(value) -> str:
    """A cell as text: an integral float (Excel's numbers) without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        value = value[1:]  # the export's guard against formulas in CSV (exports._csv_safe)
    return clean_text(str(value))


def text(value) -> str:
    """Half-width, trimmed, inner runs of spaces made one."""
    return cell_text(value)


def compact(value) -> str:
    """Half-width with every space removed: names, codes, room numbers (core.text.squeeze)."""
    return cell_text(value).replace(" ", "")  # cell_text is clean_text: squeeze without a second pass


@lru_cache(maxsize=4096)
def _compact_str(value: str) -> str:
    return squeeze(value)


def compact_repeated(value) -> str:
    """compact() for columns whose values repeat down the sheet (社区, 小区, 楼栋, 性别, 民族 …):
    cached, as core.text's character-by-character conversion dominates a large sheet's time."""
    return _compact_str(value) if isinstance(value, str) else compact(value)


def id_number(value) -> str:
    """An ID number as typed, normalised (half-width, no spaces, upper-case X); not yet checked.

    A number stored as a numeric cell has lost its last digits (Excel keeps 15 significant
    digits): that is an error, not something to guess at.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise ValueError(_("公民身份号码以数值格式保存，后几位已被Excel改为0：请把该列设为“文本”格式后重新填写。"))
    return normalize_id_number(value if isinstance(value, str) else cell_text(value))


def is_masked(value: str) -> bool:
    """A masked value as pages and exports show it (138****1234)."""
    return bool(value) and bool(_MASK.match(value))


def date(value, column: str) -> dt.date | None:
    """2020-07-01, 2020/7/1, 2020.7.1, 2020年7月1日, 20200701, an Excel serial or a date cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = cell_text(value)
    try:
        match = _DATE_SEPARATED.match(raw) or _DATE_COMPACT.match(raw)
        if match:
            return dt.date(*map(int, match.groups()))
        if _SERIAL.match(raw):
            return _from_serial(float(raw))
    except (ValueError, OverflowError):
        pass
    raise ValueError(
        _("%(column)s“%(value)s”不是有效日期：请写成2020-07-01、2020/7/1、2020.7.1、2020年7月1日或20200701。")
        % {"column": column, "value": raw}
    )


def _from_serial(serial: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


@lru_cache(maxsize=None)
def _labels(choices_name: str) -> dict[str, str]:
    """Chinese label → value of a model's choices (the msgids, whatever language is active)."""
    choices = {"gender": Gender, "category": MemberCategory, "political": PoliticalStatus}[choices_name]
    with translation.override(None):
        return {squeeze(str(label)): value for value, label in choices.choices}


GENDER_ALIASES = {"男性": "M", "女性": "F", "m": "M", "f": "F"}
CATEGORY_ALIASES = {"正式": MemberCategory.FULL, "预备": MemberCategory.PROBATIONARY}
POLITICAL_ALIASES = {
    "党员": PoliticalStatus.MEMBER, "共产党员": PoliticalStatus.MEMBER, "预备党员": PoliticalStatus.PROBATIONARY,
    "团员": PoliticalStatus.LEAGUE, "无党派": PoliticalStatus.NONPARTISAN,
}


def _choice(value, column: str, labels: dict, aliases: dict, allowed: str) -> str:
    key = compact_repeated(value)
    found = labels.get(key) or aliases.get(key) or aliases.get(key.lower())
    if found is None:
        raise ValueError(_("%(column)s“%(value)s”无法识别：应为%(allowed)s。") % {"column": column, "value": key, "allowed": allowed})
    return str(found)


def gender(value, column: str = "性别") -> str | None:
    """男/女 (or M/F) → "M"/"F"; blank → None (then the ID number decides)."""
    if not compact_repeated(value):
        return None
    return _choice(value, column, _labels("gender"), GENDER_ALIASES, "男或女")


def category(value, column: str = "党员类型") -> str:
    """正式/预备 (or 正式党员/预备党员) → MemberCategory."""
    return _choice(value, column, _labels("category"), CATEGORY_ALIASES, "正式或预备")


def political_status(value, column: str = "政治面貌") -> str:
    """政治面貌 label → PoliticalStatus; blank → 群众."""
    if not compact_repeated(value):
        return PoliticalStatus.MASSES
    allowed = "、".join(_labels("political"))
    return _choice(value, column, _labels("political"), POLITICAL_ALIASES, allowed)


def yes_no(value, column: str = "是否在外") -> bool:
    """是/否, Y/N, 1/0 (and yes/no, true/false); blank → 否."""
    key = compact_repeated(value).lower()
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(_("%(column)s“%(value)s”无法识别：应为是或否（也可写Y/N、1/0）。") % {"column": column, "value": compact(value)})
