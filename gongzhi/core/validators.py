"""National data standards: 居民身份证号码 (GB 11643-1999) and mobile numbers."""

import datetime as dt
import re
from dataclasses import dataclass
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import squeeze

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
