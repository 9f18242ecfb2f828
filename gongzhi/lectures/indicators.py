"""Headline figures of the 法治讲座 loop for the dashboard, the alerts and the report: each a thin
call of `selectors.lecture_figures` (gongzhi.core.indicators), whose one read (`@shared`) serves all
four. Requests and orders belong to a 社区 (`scope_q` reads places only). The records behind a
figure: the orders list (`?status=held`) or the requests list, with `?community=` when the scope is
one 社区."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import community_list_url
from gongzhi.org.selectors.places import communities_in

from . import selectors

SECTION = Section.GOVERNANCE


@shared
def _totals(scope: Scope, period: Period) -> dict:
    return selectors.lecture_figures(scope=scope, start=period.start, end=period.end)


@shared
def _by_community(scope: Scope, period: Period) -> list:
    rows = selectors.lecture_figures(scope=scope, start=period.start, end=period.end, by_community=True)
    return [(c, rows.get(c.pk, {})) for c in communities_in(scope)]


def held(f: dict) -> Figure:
    return Figure.count(f.get("held"))


def attendance(f: dict) -> Figure:
    return Figure.count(f.get("attendance"))


def response_rate(f: dict) -> Figure:
    return Figure.rate(f.get("answered"), f.get("made"))


def rating(f: dict) -> Figure:
    return Figure.average(f.get("rating"), of=f.get("ratings") or 0)


def _rows(part):
    def rows(scope: Scope, period: Period) -> list[Row]:
        return [Row(key=c.pk, model="org.place", name=c.name, figure=part(f), parent=c.parent_name or "") for c, f in _by_community(scope, period)]

    return rows


def _indicator(code: str, part, name, formula, kind: str, order: int, records_name: str, **extra) -> Indicator:
    query = {"status": "held"} if records_name == "lectures:orders" else {"status": "answered"}
    return Indicator(
        code=f"lectures.{code}", section=SECTION, name=name, formula=formula, kind=kind, order=order,
        compute=lambda scope, period: part(_totals(scope, period)), breakdown=_rows(part), breakdown_label=_("社区"),
        records=lambda scope, period: community_list_url(records_name, scope, **query), **extra,
    )


register(
    _indicator("held", held, _("举办法治讲座"), _("时段内举办（已登记开讲或已结单）的法治讲座场次，按讲座日期计"), Kind.COUNT, 60,
               "lectures:orders", unit=_("场")),
    _indicator("attendance", attendance, _("法治讲座参加人次"), _("时段内举办的法治讲座登记的实到人数之和"), Kind.COUNT, 61,
               "lectures:orders", unit=_("人次")),
    _indicator("response_rate", response_rate, _("点单响应率"), _(
        "时段内居民点单中已开讲（社区下单、讲师接单并已举办）的件数 ÷ 时段内居民点单件数"), Kind.RATE, 62, "lectures:requests"),
    _indicator("rating", rating, _("讲座平均评分"), _("时段内举办的法治讲座收到的居民评分（1-5分）的平均值"), Kind.AVERAGE, 63,
               "lectures:orders", unit=_("分")),
)
