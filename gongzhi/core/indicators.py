"""The one registry of headline figures (指标). Nothing outside it computes a figure that a
dashboard, an alert or the report quotes.

Each module registers its own indicators in its `indicators.py` (imported by its AppConfig.ready):
a code, a name, the formula in words (shown beside the figure, on hover and in the report), how to
compute it for a scope and a period, and optionally the records behind it (a URL) and a breakdown
by organisation or place (what the alerts read: which ones trip a threshold).

A *scope* here is any `core.scope.Scope`: the user's own, or a unit of the tree narrowed from it
(`reports.units`: a street, a community, a branch) — every selector already takes one, so an
indicator is a thin call of the module's own selectors. A *period* is a closed range of days.

    register(Indicator(
        code="partylife.attendance", section=Section.PARTY_LIFE, name=_("参会率"),
        formula=_("实到人次 ÷ 应到人次（时段内召开的会议）"), kind=Kind.RATE,
        compute=lambda scope, period: Figure.of_coverage(...),
        breakdown=..., records=lambda unit, period: reverse(...) + "?...",
    ))
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import figure_cache
from .scope import Scope


class Kind(models.TextChoices):
    RATE = "rate", gettext_lazy("比率")  # a share: numerator ÷ denominator
    COUNT = "count", gettext_lazy("数量")  # a number of things
    AVERAGE = "average", gettext_lazy("平均值")  # a mean (points …), one decimal
    AMOUNT = "amount", gettext_lazy("合计")  # a sum (hours, yuan …), one decimal


class Section(models.TextChoices):
    """Where a figure stands on the dashboard and in the report's 基本情况, in this order."""

    ORGANISATION = "organisation", gettext_lazy("组织建设")
    PARTY_LIFE = "party_life", gettext_lazy("组织生活")
    MEMBERS = "members", gettext_lazy("党员管理")
    SERVICE = "service", gettext_lazy("服务群众")
    VOLUNTEERS = "volunteers", gettext_lazy("志愿服务")
    GOVERNANCE = "governance", gettext_lazy("基层治理")
    BANK = "bank", gettext_lazy("道德银行")


SECTION_ORDER = {value: i for i, value in enumerate(Section.values)}
# The measure word of a count that names no unit of its own (5个社区). English has none: its
# translation is a zero-width space, so the English pages show the bare number.
MEASURE_WORD = pgettext_lazy("measure word", "个")


# ---- periods ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """[start, end], both days included. `kind` says how it was chosen (and how `previous` steps)."""

    start: dt.date
    end: dt.date
    kind: str = "custom"  # year, quarter, month, custom

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("a period ends on or after its start")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * quarter - 2, 1)
        return cls(first, _month_end(year, 3 * quarter), "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), _month_end(year, month), "month")

    def up_to(self, today: dt.date) -> Period:
        """The part that has happened by `today` (a running year counts to today)."""
        return Period(self.start, min(self.end, max(today, self.start)), self.kind)

    def previous(self) -> Period:
        """The period before, of the same kind (the year before, the quarter before …); a custom
        period: as many days, ending the day before it starts."""
        if self.kind == "year":
            return Period(self.start.replace(year=self.start.year - 1), _same_day(self.end, self.end.year - 1), "year")
        if self.kind in ("quarter", "month"):
            months = 3 if self.kind == "quarter" else 1
            start = _add_months(self.start, -months)
            full_end = _month_end(_add_months(self.start, -1).year, _add_months(self.start, -1).month)
            end = full_end if self.end == _month_end(self.end.year, self.end.month) else min(_add_months(self.end, -months), full_end)
            return Period(start, end, self.kind)
        days = (self.end - self.start).days
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=days), end, "custom")

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if self.kind == "year":
            whole = e == dt.date(s.year, 12, 31)
            return _("%(y)s年") % {"y": s.year} if whole else _("%(y)s年（截至%(m)s月%(d)s日）") % {"y": s.year, "m": e.month, "d": e.day}
        if self.kind == "quarter":
            return _("%(y)s年第%(q)s季度") % {"y": s.year, "q": (s.month - 1) // 3 + 1}
        if self.kind == "month":
            return _("%(y)s年%(m)s月") % {"y": s.year, "m": s.month}
        return _("%(start)s 至 %(end)s") % {"start": f"{s:%Y-%m-%d}", "end": f"{e:%Y-%m-%d}"}

    @property
    def query(self) -> dict[str, str]:
        """The period as query parameters of the records pages (`start`, `end`)."""
        return {"start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"}


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, _month_end(year, month + 1).day))


def _same_day(day: dt.date, year: int) -> dt.date:
    return dt.date(year, day.month, min(day.day, _month_end(year, day.month).day))


# ---- figures ---------------------------------------------------------------------------------------

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Figure:
    """One computed value with what it was computed from: a rate keeps its two counts (the
    report prints them), a count its number. `value` is None when there is nothing to count
    (a rate with no denominator)."""

    kind: str
    value: Decimal | int | None
    numerator: int | None = None
    denominator: int | None = None

    @classmethod
    def rate(cls, numerator: int | None, denominator: int | None) -> Figure:
        n, d = numerator or 0, denominator or 0
        return cls(Kind.RATE, Decimal(n) / Decimal(d) if d else None, n, d)

    @classmethod
    def of_coverage(cls, coverage) -> Figure:
        """From an `org.selectors.Coverage` (numerator, denominator, rate)."""
        return cls.rate(coverage.numerator, coverage.denominator)

    @classmethod
    def count(cls, n: int | None) -> Figure:
        return cls(Kind.COUNT, int(n or 0))

    @classmethod
    def average(cls, value: Decimal | float | None, of: int | None = None) -> Figure:
        """A mean to one decimal; `of`: how many it is the mean of."""
        v = None if value is None else Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
        return cls(Kind.AVERAGE, v, denominator=of)

    @classmethod
    def amount(cls, value: Decimal | float | int | None) -> Figure:
        return cls(Kind.AMOUNT, Decimal(str(value or 0)).quantize(TENTH, rounding=ROUND_HALF_UP))

    @property
    def percent(self) -> Decimal | None:
        """A rate in percent, one decimal (half up), as printed."""
        if self.kind != Kind.RATE or self.value is None:
            return None
        return (self.value * 100).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def display(self) -> str:
        """As the dashboard and the report print it: 85.3%, 1,234, 72.5, — when undefined."""
        if self.value is None:
            return "—"
        if self.kind == Kind.RATE:
            return f"{self.percent}%"
        if self.kind == Kind.COUNT:
            return f"{self.value:,}"
        return f"{self.value:,}"

    @property
    def comparable(self) -> Decimal | None:
        """The number compared with a threshold or the previous period (a rate in percent)."""
        if self.value is None:
            return None
        return self.percent if self.kind == Kind.RATE else Decimal(self.value)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: an organisation or a place with its figure. `key` is the object's
    primary key, `model` its kind ("org.partyorganization", "org.place"); `url`, where it is
    shown (the page of the organisation or place, or of its records)."""

    key: int
    model: str
    name: str
    figure: Figure
    url: str = ""
    parent: str = ""  # the name of the community or street above it, to tell namesakes apart


# ---- the registry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A headline figure. `compute(scope, period) -> Figure`; `breakdown(scope, period) -> list[Row]`
    by the units the alerts look at (branches, 小区, communities); `records(scope, period) -> str`
    the URL of the records behind it for that scope, or ""; `higher_is_better` colours the
    comparison with the previous period (None: neither)."""

    code: str
    section: str
    name: Any  # lazy strings
    formula: Any
    kind: str
    compute: Callable[[Scope, Period], Figure]
    unit: Any = ""
    order: int = 0
    breakdown: Callable[[Scope, Period], list[Row]] | None = None
    breakdown_label: Any = ""  # what the rows are: 党支部, 小区, 社区 …
    records: Callable[[Scope, Period], str] | None = None
    higher_is_better: bool | None = True
    period_free: bool = False  # a standing figure (how many 小区 there are): the period does not change it
    tags: frozenset[str] = field(default_factory=frozenset)
    # The apps whose records the figure is computed from (a write to any of their tables makes it
    # be computed again: core.figure_cache); its own app, the tree and the people are always in.
    reads: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind == Kind.COUNT and not self.unit:
            object.__setattr__(self, "unit", MEASURE_WORD)
        object.__setattr__(self, "reads", tuple(sorted({self.app, "org", "people", *self.reads})))

    @property
    def app(self) -> str:
        """The app that registers it: the code's first part (needs.open → needs)."""
        return self.code.partition(".")[0]

    def figure(self, scope: Scope, period: Period) -> Figure:
        """The figure for a scope and a period: computed, or kept from when its records were as now."""
        return figure_cache.kept("figure", self.code, scope, period, self.reads, lambda: self.compute(scope, period))

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        """The breakdown (what the alerts read), computed or kept like `figure`; [] without one."""
        if self.breakdown is None:
            return []
        return figure_cache.kept("rows", self.code, scope, period, self.reads, lambda: self.breakdown(scope, period))


_registry: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in _registry and _registry[indicator.code] != indicator:
            raise ValueError(f"indicator {indicator.code} registered twice")
        if indicator.section not in SECTION_ORDER or indicator.kind not in Kind.values:
            raise ValueError(f"indicator {indicator.code}: unknown section or kind")
        _registry[indicator.code] = indicator
        figure_cache.watch(indicator.reads)


def get(code: str) -> Indicator:
    return _registry[code]


def all_indicators(section: str | None = None) -> list[Indicator]:
    """Every registered indicator (of one section), in the dashboard's order."""
    found = [i for i in _registry.values() if section is None or i.section == section]
    return sorted(found, key=lambda i: (SECTION_ORDER[i.section], i.order, i.code))


def compute(codes, scope: Scope, period: Period) -> dict[str, Figure]:
    """The figures of these indicators (codes or Indicators) for one scope and period."""
    out = {}
    with sharing():
        for item in codes:
            indicator = item if isinstance(item, Indicator) else _registry[item]
            out[indicator.code] = indicator.figure(scope, period)
    return out


# ---- one read shared by several figures -------------------------------------------------------------
#
# Several indicators are parts of one selector's result (登记, 办结, 办结率 and 满意率 all come from
# `needs.selectors.need_figures`). A module's helper that reads such a result is decorated with
# `@shared`: inside `sharing()` (a dashboard, a report, one `compute` call) it runs once per
# arguments; outside, every call reads afresh. Nothing outlives the block, so no figure is stale.

_shared: ContextVar[dict | None] = ContextVar("gongzhi_indicator_reads", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """Within the block, each `@shared` read runs once per arguments (nested blocks share the outer one)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        with figure_cache.reading():
            yield
    finally:
        _shared.reset(token)


def shared(read: Callable) -> Callable:
    """`read(*args)` (hashable arguments: scopes, periods, codes) runs once per arguments inside `sharing()`."""

    @functools.wraps(read)
    def wrapper(*args):
        memo = _shared.get()
        if memo is None:
            return read(*args)
        key = (read, args)
        if key not in memo:
            memo[key] = read(*args)
        return memo[key]

    return wrapper
