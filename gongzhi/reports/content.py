"""What the 调研报告 says, computed once for both of its files (the .docx and the .xlsx): every
registered indicator for the unit and the period (by section), the same for the period before,
the alert rules read against their breakdowns, and the key rates of the child units.

Everything is a call of the indicator registry (`core.indicators`) and `alerts.evaluate`: no
figure is computed here. `progress` (a jobs `Progress`) hears each step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, all_indicators, compute, sharing

from . import units
from .alerts import Alert, evaluate
from .selectors import key_indicators

KEY_RATES_MAX = 4


@dataclass
class SectionFigures:
    section: str
    label: str
    items: list[tuple[Indicator, Figure]]


@dataclass
class ChildFigures:
    unit: units.Unit
    figures: dict[str, Figure]


@dataclass
class ReportContent:
    unit: units.Unit
    period: Period
    today: dt.date
    sections: list[SectionFigures] = field(default_factory=list)
    previous: dict[str, Figure] = field(default_factory=dict)  # the period before (not for period-free figures)
    alerts: list[Alert] = field(default_factory=list)
    key_figures: list[Indicator] = field(default_factory=list)  # the dashboard's key figures, tabled by child unit
    key_rates: list[Indicator] = field(default_factory=list)  # the rates among them, charted by child unit
    children: list[ChildFigures] = field(default_factory=list)
    step: Callable[[str], None] = lambda label: None  # reports the writers' steps to the same progress

    @property
    def figures(self) -> dict[str, Figure]:
        return {i.code: f for s in self.sections for i, f in s.items}

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for s in self.sections for i, _f in s.items}

    @property
    def tripping(self) -> list[Alert]:
        return [a for a in self.alerts if a.trips]


class _Steps:
    """Progress as labelled steps ("第 n 步，共 N 步"), for the jobs' progress bar."""

    def __init__(self, progress, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress.phase(_("%(label)s（第%(n)s步，共%(total)s步）") % {"label": label, "n": self.done, "total": self.total}, 0)


STEPS_AFTER_CONTENT = 2  # the .docx and the .xlsx


def report_content(*, unit: units.Unit, period: Period, today: dt.date, progress=None, extra_steps: int = 0) -> ReportContent:
    """All the report's figures for `unit` and `period`; `extra_steps`: steps the caller will
    report after this (writing the files), so that the step count is right.

    The period before and the child units are computed in a second thread, on a database
    connection of its own, while this one computes the period's figures and the alerts (they share
    reads): a report is a background job, and the database answers both at once on a machine of
    two cores or more. `GONGZHI_REPORT_THREADS = 1` computes everything here, one after the other
    (the tests, whose records are not committed, so another connection would not see them)."""
    registered = all_indicators()
    by_section = [(value, label, [i for i in registered if i.section == value]) for value, label in Section.choices]
    by_section = [s for s in by_section if s[2]]
    child_units = units.children(unit)
    step = _Steps(progress, len(by_section) + 2 + (1 if child_units else 0) + extra_steps)
    content = ReportContent(unit=unit, period=period, today=today)
    content.key_figures = key_indicators(registered)
    content.key_rates = key_rates(registered, content.key_figures)
    wanted = content.key_figures + [i for i in content.key_rates if i not in content.key_figures]

    def before_and_below() -> tuple[dict[str, Figure], list[ChildFigures]]:
        with sharing():
            previous = compute([i for i in registered if not i.period_free], unit.scope, period.previous())
            return previous, [ChildFigures(child, compute(wanted, child.scope, period)) for child in child_units]

    with ThreadPoolExecutor(max_workers=1) if _threads() > 1 else nullcontext() as pool:
        other = pool.submit(_closing_connection(before_and_below)) if pool else None
        with sharing():
            for value, label, indicators in by_section:
                step(_("统计%(section)s指标") % {"section": label})
                content.sections.append(SectionFigures(value, str(label), [(i, i.figure(unit.scope, period)) for i in indicators]))
            step(_("查找问题和不足"))
            content.alerts = evaluate(scope=unit.scope, period=period, figures=content.figures)
        step(_("统计上期数据"))
        content.previous, content.children = other.result() if other else before_and_below()
    if child_units:
        step(_("统计下级单位"))
    content.step = step
    return content


def _threads() -> int:
    return getattr(settings, "GONGZHI_REPORT_THREADS", 2)


def _closing_connection(work):
    """`work` for another thread: it closes the thread's database connection when done."""

    def run():
        try:
            return work()
        finally:
            connection.close()

    return run


def key_rates(registered: list[Indicator], key_figures: list[Indicator]) -> list[Indicator]:
    """The rates charted by child unit: the rates among the dashboard's key figures, else the
    first registered rates; at most KEY_RATES_MAX."""
    rates = [i for i in key_figures if i.kind == Kind.RATE] or [i for i in registered if i.kind == Kind.RATE]
    return rates[:KEY_RATES_MAX]


def names_text(alert: Alert, limit: int = 20) -> str:
    """The names of the rows that trip a rule: all of them, or the first `limit` 「等N个」. A name
    borne by two of them is told apart by the unit above it."""
    names = [row.name for row in alert.tripped]
    shown = [f"{row.name}（{row.parent}）" if row.parent and names.count(row.name) > 1 else row.name for row in alert.tripped]
    if len(shown) <= limit:
        return "、".join(shown)
    return _("%(names)s等%(n)s个") % {"names": "、".join(shown[:limit]), "n": len(shown)}


def clean(text) -> str:
    """Text from data (a formula, a rule's wording) for the report: no "×", the seed's mark of a
    number still to be counted, ever appears — a multiplication is written out."""
    return str(text).replace("×", _("乘以"))


def figure_text(figure: Figure) -> str:
    """A figure as the report prints it: 85.7%（6/7） for a rate, 1,234 otherwise; — undefined."""
    if figure.kind == Kind.RATE:
        return f"{figure.display}（{figure.numerator:,}/{figure.denominator:,}）"
    return figure.display
