"""National data standards: 居民身份证号码 (GB 11643-1999) and mobile numbers; and no such numbers in
free-text notes."""

import datetime as dt
import re
from dataclasses import dataclass
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import squeeze, to_halfwidth

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_SHAPE = re.compile(r"^\d{17}[\dX]$")  # 17 digits and a check digit or X (not yet checked)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    area_code: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(map(mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def normalize_id_number(value: str | None) -> str:
    """Half-width digits, no spaces, an upper-case X."""
    return squeeze(value).upper()


def parse_id_number(value: str | None) -> IdNumberInfo:
    """Check an 18-digit ID number and read its birth date and gender.

    Outdated area codes are accepted (people keep their numbers when districts are renamed).
    Raises ValidationError with a Chinese message that says what is wrong.
    """
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(_("公民身份号码不能为空。"), code="required")
    if not ID_SHAPE.match(number):
        raise ValidationError(
            _("公民身份号码应为18位：前17位是数字，最后一位是数字或X（当前为%(n)d位）。"),
            code="id_shape",
            params={"n": len(number)},
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("公民身份号码中的出生日期 %(d)s 不存在。"), code="id_birth", params={"d": number[6:14]})
    if birth > dt.date.today() or birth.year < 1880:
        raise ValidationError(_("公民身份号码中的出生日期 %(d)s 不合理。"), code="id_birth", params={"d": number[6:14]})
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("公民身份号码校验位错误：按前17位计算应为 %(e)s，实际为 %(a)s。"),
            code="id_check",
            params={"e": expected, "a": number[17]},
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumberInfo(number=number, area_code=number[:6], birth_date=birth, gender=gender)


def normalize_phone(value: str | None) -> str:
    digits = squeeze(value).replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def validate_mobile(value: str | None) -> str:
    """A mainland mobile number (11 digits, 1[3-9]…), normalised; raises ValidationError."""
    phone = normalize_phone(value)
    if not _MOBILE.match(phone):
        raise ValidationError(
            _("手机号码“%(v)s”格式不正确：应为以1开头、第二位为3-9的11位数字。"), code="phone", params={"v": value}
        )
    return phone


# ---- numbers in free text -------------------------------------------------------------------------
# A contact note (联系方式备注) of a need or a resource says how to reach someone ("经社区居委会联系"),
# never their number: numbers live encrypted on the person (core.pii); a note holding one in clear
# would leak it to every page, list and export. Rejected, in half-width or full-width digits, with
# spaces or dashes between the digits: a mainland mobile number (1[3-9] and nine digits, +86
# allowed), a landline of 7–8 digits (with or without its 0xx area code) and an 18-character ID
# number. Dates (2026-03-01, 2026年3月1日) pass.

_DATE = re.compile(r"(?<!\d)\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)")
_DIGIT_RUN = re.compile(r"\d(?:[\d\s\-]*\d)?(?:\s*[Xx])?")  # digits, spaces and dashes between them, an ID's X at the end
_MOBILE_IN_TEXT = re.compile(r"(?:86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"(?:0\d{2,3})?\d{7,8}")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")


def holds_phone_or_id(text: str | None) -> bool:
    """Whether `text` holds a mobile number, a landline or an ID number (see above)."""
    text = _DATE.sub(" ", to_halfwidth(text or ""))
    for run in _DIGIT_RUN.findall(text):
        chars = re.sub(r"[\s\-]", "", run).upper()
        if len(chars) >= 7 and any(p.fullmatch(chars) for p in (_MOBILE_IN_TEXT, _LANDLINE, _ID_NUMBER)):
            return True
        if _MOBILE_IN_TEXT.search(chars) or _ID_NUMBER.search(chars):
            return True
    return False


def validate_contact_note(value: str | None) -> None:
    """Raises ValidationError when a contact note holds a full phone or ID number."""
    if holds_phone_or_id(value):
        raise ValidationError(_("联系方式备注中不要填写电话号码或身份证号，请写明联系途径（如“经社区居委会联系”）。"), code="contact_note_pii")
