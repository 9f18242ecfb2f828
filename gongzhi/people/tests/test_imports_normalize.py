"""Import: header matching, reading .xlsx/.csv, normalising cell values."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongzhi.people.imports import normalize as N
from gongzhi.people.imports.columns import MEMBERS, RESIDENTS, match_header
from gongzhi.people.imports.reader import iter_raw_rows, open_sheet

from .imports_helpers import resident, write_csv, write_xlsx

# ---- headers -----------------------------------------------------------------------------


def test_header_tolerates_spaces_full_width_hints_and_any_order():
    header = match_header(MEMBERS, ["　公民身份 号码 ", "＊姓名", "党员类型（正式/预备）", "所在党组织", "入党日期", "籍贯"])
    assert header.positions == {"公民身份号码": 0, "姓名": 1, "党员类型": 2, "所在党组织": 3, "入党日期": 4}
    assert header.ignored == ("籍贯",)
    assert header.row_dict(["a", "b", "c", "d", "e", "f"])["转正日期"] is None


def test_missing_required_columns_are_named():
    with pytest.raises(ValidationError) as e:
        match_header(RESIDENTS, ["姓名", "联系电话", "小区"])
    assert "表头缺少必填列：公民身份号码、社区、楼栋。" in e.value.messages[0]


def test_a_column_twice_is_an_error():
    with pytest.raises(ValidationError, match="出现了不止一次：姓名"):
        match_header(RESIDENTS, ["姓名", "公民身份号码", "社区", "小区", "楼栋", "姓名"])


# ---- reading -----------------------------------------------------------------------------


@pytest.mark.parametrize("engine", [None, "openpyxl"])
def test_xlsx_rows_with_row_numbers_title_row_and_unknown_columns(tmp_path, engine):
    header = ["籍贯", *reversed(RESIDENTS.columns)]
    rows = [["河南", *reversed(resident(姓名="甲"))], [None] * 14, ["河北", *reversed(resident(姓名="乙"))]]
    path = write_xlsx(tmp_path / "r.xlsx", header, rows, title_rows=[["幸福社区居民登记表"]])
    sheet = open_sheet(path, RESIDENTS, engine=engine)
    assert sheet.header.row_number == 2
    assert sheet.header.ignored == ("籍贯",)
    got = list(sheet.rows)
    assert [(n, r["姓名"]) for n, r in got] == [(3, "甲"), (5, "乙")]  # the blank row 4 is skipped
    assert got[0][1]["社区"] == "幸福社区"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_in_utf8_and_gbk(tmp_path, encoding):
    path = write_csv(tmp_path / "r.csv", RESIDENTS.columns, [resident(姓名="欧阳娜娜", 备注="喆䶮")[:12] + [""] if encoding == "gbk" else resident(姓名="欧阳娜娜", 备注="喆䶮")], encoding=encoding)
    (number, row), = open_sheet(path, RESIDENTS).rows
    assert number == 2 and row["姓名"] == "欧阳娜娜" and row["社区"] == "幸福社区"


def test_csv_from_an_uploaded_file_object(tmp_path):
    path = write_csv(tmp_path / "r.csv", RESIDENTS.columns, [resident(姓名="甲")], encoding="gbk")
    with open(path, "rb") as f:
        rows = list(open_sheet(f, RESIDENTS, filename="上传.csv").rows)
        assert not f.closed
    assert rows[0][1]["姓名"] == "甲"


def test_unsupported_or_empty_files(tmp_path):
    (tmp_path / "a.xls").write_bytes(b"x")
    with pytest.raises(ValidationError, match="不支持的文件类型“.xls”"):
        list(iter_raw_rows(tmp_path / "a.xls"))
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(ValidationError, match="文件是空的"):
        open_sheet(tmp_path / "e.csv", RESIDENTS)
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="无法读取该Excel文件"):
        list(iter_raw_rows(tmp_path / "fake.xlsx"))


def test_a_sheet_without_the_template_header_names_the_missing_columns(tmp_path):
    path = write_csv(tmp_path / "r.csv", ["名字", "身份证"], [["甲", "1"]])
    with pytest.raises(ValidationError, match="表头缺少必填列：姓名、公民身份号码、社区、小区、楼栋"):
        open_sheet(path, RESIDENTS)


# ---- normalising -------------------------------------------------------------------------


def test_text_full_width_and_spaces():
    assert N.text("　幸福 　社区１号 ") == "幸福 社区1号"
    assert N.compact(" 张 三 ") == "张三"
    assert N.compact(13812345678.0) == "13812345678"
    assert N.text(None) == ""


def test_id_number_full_width_spaces_and_lower_x():
    assert N.id_number(" １１０１０５ 19491231002x ") == "11010519491231002X"


def test_id_number_stored_as_a_number_is_refused():
    with pytest.raises(ValueError, match="以数值格式保存"):
        N.id_number(4.10305198005170e17)


@pytest.mark.parametrize("value", [
    "2020-07-01", "2020/7/1", "2020.7.1", "2020年7月1日", "20200701", "２０２０年７月１日", " 2020 - 07 - 01 ",
    "2020-07-01 00:00:00", 44013, 44013.0, 44013.75, "44013", dt.date(2020, 7, 1), dt.datetime(2020, 7, 1, 0, 0), 20200701,
])
def test_dates(value):
    assert N.date(value, "入党日期") == dt.date(2020, 7, 1)


@pytest.mark.parametrize("value", ["2020-13-01", "2020/2/30", "七月一日", "2020", "0", "-3", "20201301"])
def test_bad_dates_name_the_column_and_value(value):
    with pytest.raises(ValueError) as e:
        N.date(value, "入党日期")
    assert str(e.value).startswith(f"入党日期“{N.text(value)}”不是有效日期")


def test_blank_date_is_none():
    assert N.date("  ", "转正日期") is None and N.date(None, "转正日期") is None


def test_choice_labels():
    assert N.category("正式") == "full" and N.category("预备党员") == "probationary"
    assert N.gender("女") == "F" and N.gender("M") == "M" and N.gender("") is None
    assert N.political_status("中共党员") == "member" and N.political_status("团员") == "league"
    assert N.political_status("") == "masses"
    for value in ("是", "Y", "y", "1", 1, True):
        assert N.yes_no(value) is True
    for value in ("否", "N", "0", 0, "", None):
        assert N.yes_no(value) is False


def test_choice_labels_work_whatever_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        assert N.category("预备") == "probationary" and N.political_status("群众") == "masses"


@pytest.mark.parametrize("call, message", [
    (lambda: N.category("候补"), "党员类型“候补”无法识别：应为正式或预备。"),
    (lambda: N.yes_no("也许"), "是否在外“也许”无法识别：应为是或否"),
    (lambda: N.gender("未知"), "性别“未知”无法识别：应为男或女。"),
    (lambda: N.political_status("党外"), "政治面貌“党外”无法识别：应为群众、中共党员"),
])
def test_unknown_labels(call, message):
    with pytest.raises(ValueError) as e:
        call()
    assert message in str(e.value)


def test_masked_values():
    assert N.is_masked("138****5678") and N.is_masked("410305********002X")
    assert not N.is_masked("13812345678") and not N.is_masked("")


@pytest.mark.parametrize("engine", [None, "openpyxl"])
def test_row_numbers_are_the_sheets_when_it_starts_below_and_right_of_a1(tmp_path, engine):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for i, column in enumerate(RESIDENTS.columns):
        sheet.cell(row=3, column=3 + i, value=column)
    sheet.cell(row=5, column=3, value="甲")
    workbook.save(tmp_path / "r.xlsx")
    sheet = open_sheet(tmp_path / "r.xlsx", RESIDENTS, engine=engine)
    assert sheet.header.row_number == 3
    assert [(n, r["姓名"]) for n, r in sheet.rows] == [(5, "甲")]
