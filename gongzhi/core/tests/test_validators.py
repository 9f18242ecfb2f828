import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongzhi.core.text import clean_text, squeeze, to_halfwidth
from gongzhi.core.validators import id_check_char, parse_id_number, validate_mobile


def test_the_standard_example_number_is_valid():
    info = parse_id_number("11010519491231002X")
    assert info.area_code == "110105"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "F"  # sequence 002: even


def test_check_character_worked_by_hand():
    # 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 % 11 = 2 -> "10X98765432"[2] = "X"
    assert id_check_char("11010519491231002") == "X"
    # 28+9+0+15+0+20+2+9+48+0+0+45+10+35+0+0+2 = 223; 223 % 11 = 3 -> "9"
    assert id_check_char("41030519800517001") == "9"


def test_normalisation_fullwidth_spaces_and_lower_x():
    assert parse_id_number("１１０１０５ １９４９１２３１００２ｘ").number == "11010519491231002X"
    assert parse_id_number(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "不能为空"),
        ("1101051949123100", "18位"),
        ("11010519491331002X", "出生日期"),  # month 13
        ("110105194912310021", "校验位错误"),
        ("11010521491231002X", "出生日期"),  # year 2149: in the future
    ],
)
def test_bad_id_numbers_say_what_is_wrong(value, fragment):
    with pytest.raises(ValidationError) as e:
        parse_id_number(value)
    assert fragment in e.value.messages[0]


def test_outdated_area_codes_are_accepted():
    first17 = "99999919800101001"
    assert parse_id_number(first17 + id_check_char(first17)).area_code == "999999"


def test_mobile_numbers():
    assert validate_mobile("１３８ １２３４ ５６７８") == "13812345678"
    assert validate_mobile("+86 139-1234-5678") == "13912345678"
    for bad in ("12812345678", "1381234567", "138123456789", "abc"):
        with pytest.raises(ValidationError) as e:
            validate_mobile(bad)
        assert "手机号码" in e.value.messages[0]


def test_text_helpers():
    assert to_halfwidth("ＡＢＣ１２３\u3000") == "ABC123 "
    assert clean_text("  张  三 ") == "张 三"
    assert squeeze(" 张　三 ") == "张三"
