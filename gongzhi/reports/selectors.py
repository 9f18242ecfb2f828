"""Reads of the dashboard (数据看板): every registered indicator for a unit and a period with the
previous period beside it, the child units with a few key figures each, the alert rules that
trip, and the charts' data. Nothing here computes a figure itself: it calls the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, all_indicators, compute, sharing

from . import units
from .alerts import Alert, evaluate

# The figures of the drill-down table (one column each, in this order) and of the headline tiles;
# those not registered are left out.
KEY_INDICATORS = (
    "org.compound_coverage",  # 小区党组织覆盖率
    "partylife.compliance",  # 三会一课落实率
    "partylife.attendance",  # 参会率
    "partylife.education",  # 党员教育覆盖率
    "needs.open",  # 未办结需求（挂账）
    "volunteers.hours",  # 志愿服务时长
)
ALERT_NAMES_SHOWN = 5  # the worst few named in the panel; the rest behind 展开全部


@dataclass(frozen=True)
class Line:
    """One indicator on the dashboard: its figure, the previous period's and the records link."""

    indicator: Indicator
    figure: Figure
    previous: Figure | None = None  # None for a period-free indicator
    records_url: str = ""

    @property
    def delta(self) -> Decimal | None:
        if self.previous is None or self.figure.comparable is None or self.previous.comparable is None:
            return None
        return self.figure.comparable - self.previous.comparable

    @property
    def trend(self) -> str:
        """up, down, flat, or "" when there is nothing to compare."""
        d = self.delta
        return "" if d is None else "up" if d > 0 else "down" if d < 0 else "flat"

    @property
    def tone(self) -> str:
        """good or bad by `higher_is_better`; "" when flat, not comparable or neither is better."""
        better = self.indicator.higher_is_better
        if better is None or self.trend in ("", "flat"):
            return ""
        return "good" if (self.trend == "up") == better else "bad"

    @property
    def delta_display(self) -> str:
        d = self.delta
        if d is None:
            return ""
        size = abs(d)
        if self.figure.kind == Kind.COUNT:
            return f"{int(size):,}"
        return f"{size:,.1f}"

    @property
    def delta_unit(self) -> str:
        return _("个百分点") if self.figure.kind == Kind.RATE else str(self.indicator.unit or "")

    @property
    def change_label(self) -> str:
        """In words, for the title and for screen readers: 较上期上升 2.3 个百分点."""
        if self.indicator.period_free:
            return _("存量指标，不随时段变化")
        if self.trend == "":
            return _("上期无可比数据")
        if self.trend == "flat":
            return _("与上期持平")
        words = _("较上期上升 %(d)s%(unit)s") if self.trend == "up" else _("较上期下降 %(d)s%(unit)s")
        return words % {"d": self.delta_display, "unit": self.delta_unit}


@dataclass(frozen=True)
class SectionBlock:
    code: str
    label: str
    lines: list[Line]


@dataclass(frozen=True)
class ChildRow:
    unit: units.Unit
    cells: list[tuple[Indicator, Figure]]  # one per column of Dashboard.columns

    @property
    def figures(self) -> list[Figure]:
        return [figure for _indicator, figure in self.cells]


@dataclass
class Dashboard:
    unit: units.Unit
    period: Period
    previous: Period
    sections: list[SectionBlock]
    key_lines: list[Line]
    columns: list[Indicator]
    children: list[ChildRow]
    alerts: list[Alert]
    charts: dict = field(default_factory=dict)

    @property
    def tripped(self) -> list[Alert]:
        return [a for a in self.alerts if a.trips]

    @property
    def alert_rows(self) -> list[tuple[Alert, bool]]:
        """Each alert with whether its rule can work (its indicator is registered and has a
        breakdown); templates cannot test the breakdown, a function, themselves."""
        return [(a, a.indicator is not None and a.indicator.breakdown is not None) for a in self.alerts]


def key_indicators(registered: list[Indicator] | None = None) -> list[Indicator]:
    by_code = {i.code: i for i in (registered if registered is not None else all_indicators())}
    return [by_code[c] for c in KEY_INDICATORS if c in by_code]


def indicator_lines(*, scope, period: Period, indicators: list[Indicator]) -> list[Line]:
    """Each indicator's figure for the period and the previous one (not for period-free ones)."""
    now = compute(indicators, scope, period)
    before = compute([i for i in indicators if not i.period_free], scope, period.previous())
    return [Line(i, now[i.code], before.get(i.code), i.records(scope, period) if i.records else "") for i in indicators]


def sections_of(lines: list[Line]) -> list[SectionBlock]:
    """The lines grouped by section, in the registry's order (lines come sorted already)."""
    blocks: dict[str, list[Line]] = {}
    for line in lines:
        blocks.setdefault(line.indicator.section, []).append(line)
    return [SectionBlock(code, str(Section(code).label), found) for code, found in blocks.items()]


def child_rows(*, unit: units.Unit, period: Period, columns: list[Indicator]) -> list[ChildRow]:
    """One row per child unit with the key figures: children × columns computations, nothing else
    per row (the units come from one query, their scopes need none)."""
    rows = []
    for child in units.children(unit):
        figures = compute(columns, child.scope, period) if columns else {}
        rows.append(ChildRow(child, [(c, figures[c.code]) for c in columns]))
    return rows


@sharing()
def dashboard(*, unit: units.Unit, period: Period) -> Dashboard:
    registered = all_indicators()
    lines = indicator_lines(scope=unit.scope, period=period, indicators=registered)
    columns = key_indicators(registered)
    by_code = {line.indicator.code: line for line in lines}
    board = Dashboard(
        unit=unit, period=period, previous=period.previous(), sections=sections_of(lines),
        key_lines=[by_code[c.code] for c in columns], columns=columns,
        children=child_rows(unit=unit, period=period, columns=columns),
        alerts=evaluate(scope=unit.scope, period=period, figures={code: line.figure for code, line in by_code.items()}),
    )
    board.charts = {"children": children_chart(board), "sections": sections_chart(board)}
    return board


def _number(figure: Figure | None):
    value = None if figure is None else figure.comparable
    return None if value is None else float(value)


def children_chart(board: Dashboard) -> dict:
    """The key figures across the child units; the rates first (the chart opens on the first)."""
    order = sorted(range(len(board.columns)), key=lambda k: board.columns[k].kind != Kind.RATE)
    return {
        "labels": [row.unit.label for row in board.children],
        "series": [{
            "code": board.columns[k].code, "name": str(board.columns[k].name), "rate": board.columns[k].kind == Kind.RATE,
            "unit": "%" if board.columns[k].kind == Kind.RATE else str(board.columns[k].unit or ""),
            "values": [_number(row.figures[k]) for row in board.children],
        } for k in order],
    }


def sections_chart(board: Dashboard) -> dict:
    """Every rate, grouped by section, this period against the previous one (in percent)."""
    rates = [(block.label, line) for block in board.sections for line in block.lines if line.figure.kind == Kind.RATE]
    return {
        "labels": [str(line.indicator.name) for _section, line in rates],
        "sections": [section for section, _line in rates],
        "current": [_number(line.figure) for _section, line in rates],
        "previous": [_number(line.previous) for _section, line in rates],
        "current_name": board.period.label, "previous_name": board.previous.label,
    }
