"""问题和不足: each active alert rule read against its indicator's breakdown for a unit and a period.
A rule names which organisations or places trip it and how many were looked at; the dashboard
lists them and the report writes its problems (and its suggestions) from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongzhi.core.indicators import Figure, Indicator, Period, Row
from gongzhi.core.scope import Scope

from .models import AlertRule


@dataclass
class Alert:
    rule: AlertRule
    indicator: Indicator | None
    tripped: list[Row] = field(default_factory=list)
    looked_at: int = 0  # rows with a defined value
    overall: Figure | None = None  # the indicator for the whole unit

    @property
    def trips(self) -> bool:
        return bool(self.tripped)

    @property
    def names(self) -> list[str]:
        return [row.name for row in self.tripped]


def evaluate(*, scope: Scope, period: Period, rules: list[AlertRule] | None = None, figures: dict[str, Figure] | None = None) -> list[Alert]:
    """Every active rule (or those given) for this scope and period, in the rules' order, each
    with the rows that trip it (worst first). A rule whose indicator is unknown or has no
    breakdown trips nothing (its `indicator` is None or its rows empty), so a misconfigured rule
    shows up as such instead of failing the page. `figures`: those already computed for this
    scope and period, by code (the overall figure of a rule is not computed again)."""
    rules = list(AlertRule.objects.filter(is_active=True)) if rules is None else rules
    alerts = []
    for rule in rules:
        indicator = rule.indicator_definition
        alert = Alert(rule, indicator)
        if indicator is not None and indicator.breakdown is not None:
            rows = [r for r in indicator.rows(scope, period) if r.figure.comparable is not None]
            alert.looked_at = len(rows)
            alert.tripped = sorted((r for r in rows if rule.trips(r.figure.comparable)), key=lambda r: (_severity(rule, r), r.name))
            alert.overall = figures[indicator.code] if figures and indicator.code in figures else indicator.figure(scope, period)
        alerts.append(alert)
    return alerts


def _severity(rule: AlertRule, row: Row):
    """Worst first: the lowest value under a lower bound, the highest over an upper one."""
    value = row.figure.comparable
    return value if rule.comparison == "lt" else -value
