"""The report's .xlsx on the hand-counted district (report_fixtures.py): every figure with its
counts, formula and previous period equals the registry's; the alert sheet lists exactly the
rows that trip each rule; the child units' sheet holds their key figures."""

import io

import pytest
from openpyxl import load_workbook

from gongzhi.core.indicators import Kind, all_indicators, compute
from gongzhi.reports import units
from gongzhi.reports.workbook import cell_value, report_xlsx

from . import report_fixtures
from .report_fixtures import Q1, TODAY, TRIPPED

district = report_fixtures.district  # the hand-counted district, a fixture


@pytest.fixture
def book(district):
    return load_workbook(io.BytesIO(report_xlsx(unit=units.place_unit(district.D), period=Q1, today=TODAY)))


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_three_sheets_in_chinese(book):
    assert book.sheetnames == ["指标", "问题预警", "下级单位"]
    assert [c.value for c in book["指标"][1]] == ["类别", "指标代码", "指标名称", "数值", "单位", "分子", "分母", "计算公式", "上期数值", "上期分子", "上期分母"]


def test_every_figure_with_its_counts_formula_and_previous_period(district, book):
    scope = units.place_unit(district.D).scope
    registered = all_indicators()
    now = compute(registered, scope, Q1)
    before = compute([i for i in registered if not i.period_free], scope, Q1.previous())
    records = {r["指标代码"]: r for r in _records(book["指标"])}
    assert list(records) == [i.code for i in registered]
    for indicator in registered:
        record, figure = records[indicator.code], now[indicator.code]
        assert record["指标名称"] == str(indicator.name) and record["计算公式"] == str(indicator.formula).replace("×", "乘以")
        assert record["数值"] == cell_value(figure), indicator.code
        if indicator.kind == Kind.RATE:
            assert (record["分子"], record["分母"]) == (figure.numerator, figure.denominator)
        assert record["上期数值"] == (None if indicator.period_free else cell_value(before[indicator.code])), indicator.code


def test_hand_counted_figures(book):
    records = {r["指标代码"]: r for r in _records(book["指标"])}
    attendance = records["partylife.attendance"]
    assert (attendance["数值"], attendance["分子"], attendance["分母"]) == (0.5, 5, 10)
    assert book["指标"].cell(row=list(records).index("partylife.attendance") + 2, column=4).number_format == "0.0%"
    assert (records["partylife.compliance"]["分子"], records["partylife.compliance"]["分母"]) == (6, 24)
    assert records["partylife.meetings"]["数值"] == 7 and records["partylife.meetings"]["上期数值"] == 0  # 2025 Q4: none
    assert records["needs.closed"]["数值"] == 1 and records["volunteers.pioneer_posts"]["数值"] == 2
    assert records["volunteers.hours"]["数值"] == 2.5 and records["volunteers.hours"]["单位"] == "小时"


def test_alert_sheet_lists_exactly_the_tripping_rows(book):
    found = {}
    for record in _records(book["问题预警"]):
        found.setdefault(record["预警规则"], set()).add(record["名称"])
    assert found == {rule: names for rule, (names, _total) in TRIPPED.items()}
    k1 = next(r for r in _records(book["问题预警"]) if r["预警规则"] == "参会率低于80%" and r["名称"] == "幸福家园党支部")
    assert (k1["数值"], k1["分子"], k1["分母"], k1["阈值"]) == (0.5, 4, 8, 0.8)


def test_child_units_sheet(book):
    records = {r["单位"]: r for r in _records(book["下级单位"])}
    assert list(records) == ["东风街道", "西山街道"]
    east, west = records["东风街道"], records["西山街道"]
    assert (east["三会一课落实率分子"], east["三会一课落实率分母"]) == (6, 16)  # K1 4/8 + K3 2/8
    assert (east["参会率"], east["参会率分子"], east["参会率分母"]) == (0.5, 5, 10)
    assert (west["三会一课落实率"], west["三会一课落实率分母"]) == (0, 8)  # K4 held nothing
    assert (west["参会率"], west["参会率分母"]) == (None, 0)
    assert east["层级"] == "街道"


def test_no_number_is_left_to_fill_in(book):
    assert not any("×" in str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
