"""Headline figures of 民主决策 for the dashboard, the alerts and the report: each a thin call of
`selectors` (gongzhi.core.indicators), section 基层治理.

Matters and 公约 belong to a 社区 (`scope_q` reads places only: a scope narrowed to a party
organisation holds none). Matters are counted by the day they were opened (Beijing). Per method:
the two default methods by their codes (a method an administrator adds is in the totals). 决策全程
记录率: of the matters whose resolution passed, the share whose two publications (决议公开, 实施结果
公开) are recorded too — the seed's complaint is that records stop half way. 公约 coverage: 社区 /
小区 in scope with a filed (current) version. The records behind a figure: the matters list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import lazy_percent
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import community_list_url
from gongzhi.org.models import PlaceLevel

from . import selectors
from .models import MatterStatus

SECTION = Section.GOVERNANCE
METHODS = (("sy2gk", _("四议两公开")), ("yz3y2gk", _("一征三议两公开")))


@shared
def _by_method(scope: Scope, period: Period) -> dict:
    return selectors.matters_by_method(scope=scope, start=period.start, end=period.end)


@shared
def _by_community(scope: Scope, period: Period) -> list:
    return selectors.matters_by_community(scope=scope, start=period.start, end=period.end)


def _total(scope: Scope, period: Period, part: str) -> int:
    return sum(getattr(f, part) for f in _by_method(scope, period).values())


def _part(scope: Scope, period: Period, code: str, part: str) -> int:
    figure = _by_method(scope, period).get(code)
    return getattr(figure, part) if figure else 0


def _community_rows(pick):
    def rows(scope: Scope, period: Period) -> list[Row]:
        return [Row(key=c.pk, model="org.place", name=c.name, figure=pick(opened, adopted, ended), parent=c.parent_name or "")
                for c, opened, adopted, ended in _by_community(scope, period)]

    return rows


def _method_indicators():
    for i, (code, name) in enumerate(METHODS):
        yield Indicator(
            code=f"decisions.{code}_matters", section=SECTION, name=lazy_percent(_("%(method)s事项"), {"method": name}),
            formula=_("时段内登记、按该方法决策的事项数"), kind=Kind.COUNT, unit=_("件"), order=52 + 2 * i,
            compute=lambda scope, period, code=code: Figure.count(_part(scope, period, code, "opened")),
        )
        yield Indicator(
            code=f"decisions.{code}_adopted", section=SECTION, name=lazy_percent(_("%(method)s决议通过"), {"method": name}), formula=_("时段内登记、按该方法决策且决议获得通过的事项数"),
            kind=Kind.COUNT, unit=_("件"), order=53 + 2 * i,
            compute=lambda scope, period, code=code: Figure.count(_part(scope, period, code, "adopted")),
        )


register(
    Indicator(
        code="decisions.matters", section=SECTION, name=_("民主决策事项"), order=50, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内登记的民主决策事项数（四议两公开、一征三议两公开等）"),
        compute=lambda scope, period: Figure.count(_total(scope, period, "opened")),
        breakdown=_community_rows(lambda opened, adopted, ended: Figure.count(opened)), breakdown_label=_("社区"),
        records=lambda scope, period: community_list_url("decisions:matters", scope),
    ),
    Indicator(
        code="decisions.adopted", section=SECTION, name=_("决议通过事项"), order=51, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内登记的民主决策事项中，经表决决议通过（含已办结）的事项数"),
        compute=lambda scope, period: Figure.count(_total(scope, period, "adopted")),
        breakdown=_community_rows(lambda opened, adopted, ended: Figure.count(adopted)), breakdown_label=_("社区"),
        records=lambda scope, period: community_list_url("decisions:matters", scope, status=MatterStatus.ENDED),
    ),
    Indicator(
        code="decisions.record_complete", section=SECTION, name=_("决策全程记录率"), order=58, kind=Kind.RATE,
        formula=_("时段内登记且决议通过的事项中，决议公开和实施结果公开均已记录（已办结）的事项所占比例"),
        compute=lambda scope, period: Figure.rate(_total(scope, period, "ended"), _total(scope, period, "adopted")),
        breakdown=_community_rows(lambda opened, adopted, ended: Figure.rate(ended, adopted)), breakdown_label=_("社区"),
    ),
    Indicator(
        code="decisions.convention_communities", section=SECTION, name=_("社区居民公约覆盖率"), order=60, kind=Kind.RATE,
        formula=_("有现行（已备案）居民公约的社区数 ÷ 社区数"), period_free=True,
        compute=lambda scope, period: Figure.rate(*selectors.convention_coverage(scope=scope, level=PlaceLevel.COMMUNITY)),
    ),
    Indicator(
        code="decisions.convention_compounds", section=SECTION, name=_("小区居民公约覆盖率"), order=61, kind=Kind.RATE,
        formula=_("有现行（已备案）小区公约的小区数 ÷ 小区数"), period_free=True,
        compute=lambda scope, period: Figure.rate(*selectors.convention_coverage(scope=scope, level=PlaceLevel.COMPOUND)),
    ),
    *_method_indicators(),
)
