"""The indicator registry's periods and figures, on hand-worked cases."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.core import indicators
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, register

D = dt.date


@pytest.mark.parametrize("period, previous", [
    (Period.year(2025), Period.year(2024)),
    (Period.year(2026).up_to(D(2026, 11, 27)), Period(D(2025, 1, 1), D(2025, 11, 27), "year")),  # the same part of the year before
    (Period.quarter(2026, 1), Period.quarter(2025, 4)),
    (Period.quarter(2026, 3), Period.quarter(2026, 2)),
    (Period.month(2026, 3), Period.month(2026, 2)),
    (Period.month(2024, 3).up_to(D(2024, 3, 30)), Period(D(2024, 2, 1), D(2024, 2, 29), "month")),  # clipped to February's end
    (Period(D(2026, 3, 1), D(2026, 3, 10)), Period(D(2026, 2, 19), D(2026, 2, 28))),  # ten days before
])
def test_previous_period(period, previous):
    assert period.previous() == previous


def test_labels_and_query():
    assert Period.year(2025).label == "2025年"
    assert Period.year(2026).up_to(D(2026, 11, 27)).label == "2026年（截至11月27日）"
    assert Period.quarter(2026, 2).label == "2026年第2季度"
    assert Period.month(2026, 2).label == "2026年2月" and Period.month(2026, 2).end == D(2026, 2, 28)
    assert Period(D(2026, 3, 1), D(2026, 3, 10)).query == {"start": "2026-03-01", "end": "2026-03-10"}
    with pytest.raises(ValueError):
        Period(D(2026, 3, 2), D(2026, 3, 1))


def test_figures_print_as_the_report_does():
    rate = Figure.rate(2, 3)
    assert (rate.percent, rate.display, rate.comparable) == (Decimal("66.7"), "66.7%", Decimal("66.7"))
    assert Figure.rate(0, 0).display == "—" and Figure.rate(0, 0).value is None
    assert Figure.count(12345).display == "12,345"
    assert Figure.average(Decimal("72.45")).display == "72.5"  # half up
    assert Figure.amount(Decimal("1234.56")).display == "1,234.6"


def test_register_refuses_a_second_indicator_with_the_same_code(monkeypatch):
    from gongzhi.core import indicators

    monkeypatch.setattr(indicators, "_registry", {})  # the real registry stays as the apps made it
    one = Indicator(code="test.one", section=Section.SERVICE, name="一", formula="一", kind=Kind.COUNT, compute=lambda s, p: Figure.count(1))
    register(one)
    register(one)  # the same again (a module imported twice) is fine
    with pytest.raises(ValueError):
        register(Indicator(code="test.one", section=Section.SERVICE, name="二", formula="二", kind=Kind.COUNT, compute=lambda s, p: Figure.count(2)))


def test_a_shared_read_runs_once_per_arguments_inside_sharing_only():
    calls = []

    @indicators.shared
    def read(scope, period):
        calls.append((scope, period))
        return len(calls)

    year = Period.year(2026)
    assert read("a", year) == 1 and read("a", year) == 2  # outside: every call reads afresh
    with indicators.sharing():
        assert read("a", year) == 3
        with indicators.sharing():  # a nested block shares the outer one
            assert read("a", year) == 3
        assert read("b", year) == 4 and read("a", year.previous()) == 5 and read("a", year) == 3
    assert read("a", year) == 6  # nothing outlives the block
