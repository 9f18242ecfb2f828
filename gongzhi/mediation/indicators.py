"""Headline figures of mediation (第三调解室) for the dashboard, the alerts and the report: each a
thin call of `selectors.case_figures` / `case_figures_by` (one read of the period's cases,
`@shared`, serves received, closed, the success rate and the median days) or of the overdue count.
Cases belong to a 社区 (`scope_q` reads places only). The breakdown is by 社区; the same figures by
tier and by category are on the mediation figures page (`mediation:figures`). The records behind
a figure: the case list, with `?community=` when the scope is one 社区."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import community_list_url

from . import selectors

SECTION = Section.GOVERNANCE


@shared
def _figures(scope: Scope, period: Period) -> selectors.CaseFigures:
    return selectors.case_figures(scope=scope, start=period.start, end=period.end)


@shared
def _by_community(scope: Scope, period: Period) -> list:
    return selectors.case_figures_by(scope=scope, start=period.start, end=period.end, by="community")


def success_rate(f: selectors.CaseFigures) -> Figure:
    return Figure.rate(f.agreed, f.closed)


def median_days(f: selectors.CaseFigures) -> Figure:
    return Figure.average(f.median_days, of=len(f.days_to_close))


def _rows(part):
    def rows(scope: Scope, period: Period) -> list[Row]:
        return [Row(key=c.pk, model="org.place", name=c.name, figure=part(f), parent=c.parent_name or "") for c, f in _by_community(scope, period)]

    return rows


def _overdue_rows(scope: Scope, period: Period) -> list[Row]:
    cases = reverse("mediation:cases")
    out = [Row(key=c.pk, model="org.place", name=c.name, figure=Figure.count(n), url=f"{cases}?{urlencode({'community': c.pk, 'overdue': 1})}",
               parent=c.parent_name or "") for c, n in selectors.overdue_by_community(scope=scope, today=timezone.localdate())]
    return sorted(out, key=lambda r: -r.figure.value)


register(
    Indicator(
        code="mediation.received", section=SECTION, name=_("受理调解案件"), order=40, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内登记受理的矛盾纠纷调解案件件数"),
        compute=lambda scope, period: Figure.count(_figures(scope, period).received),
        breakdown=_rows(lambda f: Figure.count(f.received)), breakdown_label=_("社区"),
        records=lambda scope, period: community_list_url("mediation:cases", scope), higher_is_better=None,
    ),
    Indicator(
        code="mediation.closed", section=SECTION, name=_("办结调解案件"), order=41, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内结案的调解案件件数（调解成功、调解不成、撤回，不论何时受理）"),
        compute=lambda scope, period: Figure.count(_figures(scope, period).closed),
        breakdown=_rows(lambda f: Figure.count(f.closed)), breakdown_label=_("社区"),
    ),
    Indicator(
        code="mediation.success_rate", section=SECTION, name=_("调解成功率"), order=42, kind=Kind.RATE,
        formula=_("时段内达成调解协议结案的件数 ÷ 时段内结案的件数（调解成功、调解不成、撤回）"),
        compute=lambda scope, period: success_rate(_figures(scope, period)),
        breakdown=_rows(success_rate), breakdown_label=_("社区"),
    ),
    Indicator(
        code="mediation.median_days", section=SECTION, name=_("调解办结用时（中位数）"), order=43, kind=Kind.AVERAGE, unit=_("天"),
        formula=_("时段内结案的各件调解案件自受理日至结案日的天数，按大小排列居中的数（偶数件取中间两数的平均）"),
        compute=lambda scope, period: median_days(_figures(scope, period)),
        breakdown=_rows(median_days), breakdown_label=_("社区"), higher_is_better=False,
    ),
    Indicator(
        code="mediation.overdue", section=SECTION, name=_("逾期未结调解案件"), order=44, kind=Kind.COUNT, unit=_("件"),
        formula=_("当前未结案（待分派或调解中）且已超过办结期限（受理日起一个月，见调解规则）的案件件数"),
        compute=lambda scope, period: Figure.count(selectors.due_counts(scope=scope, today=timezone.localdate()).overdue),
        breakdown=_overdue_rows, breakdown_label=_("社区"),
        records=lambda scope, period: community_list_url("mediation:cases", scope, overdue=1),
        higher_is_better=False, period_free=True,
    ),
)
