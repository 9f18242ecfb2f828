"""Headline figures of the 道德银行 for the dashboard, the alerts and the report: each a thin call of
`figures` (gongzhi.core.indicators).

The points figures are parts of one read of the postings (`figures.points_flow`, `@shared`), so
issued, redeemed, lapsed and the redemption rate cost one query together. Accounts, deeds and
counters belong to a 社区 (their `scope_q` reads places only): a scope narrowed to a 小区 or a
party organisation holds none. The records behind a figure: the deeds list (`?status=credited`)
and the counters list (`?kind=`), with `?community=` when the scope is one 社区; a street or any
other single node has no filter there that fits ("")."""

from __future__ import annotations


from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import community_list_url

from . import figures
from .models import CounterKind, DeedStatus

SECTION = Section.BANK


@shared
def _flow(scope: Scope, period: Period) -> figures.PointsFlow:
    return figures.points_flow(scope=scope, start=period.start, end=period.end)


@shared
def _by_community(scope: Scope, period: Period) -> list:
    return figures.points_by_community(scope=scope, start=period.start, end=period.end)


@shared
def _counters(scope: Scope) -> dict[str, int]:
    return figures.counter_counts(scope=scope)


def _rows(part: str):
    """The breakdown by 社区 of one part of the flow (issued, redeemed …)."""

    def rows(scope: Scope, period: Period) -> list[Row]:
        return [Row(key=c.pk, model="org.place", name=c.name, figure=Figure.count(getattr(flow, part)), parent=c.parent_name or "")
                for c, flow in _by_community(scope, period)]

    return rows


def _redemption_rate(flow: figures.PointsFlow) -> Figure:
    """None (—) when nothing was issued, or reversals outweighed it."""
    return Figure.rate(flow.redeemed, flow.issued if flow.issued > 0 else 0)


def _points(code: str, part: str, name, formula, order: int, **extra) -> Indicator:
    return Indicator(
        code=f"bank.{code}", section=SECTION, name=name, formula=formula, kind=Kind.COUNT, unit=_("分"), order=order,
        compute=lambda scope, period: Figure.count(getattr(_flow(scope, period), part)),
        breakdown=_rows(part), breakdown_label=_("社区"), **extra,
    )


register(
    _points("points_issued", "issued", _("发放道德积分"), _(
        "时段内各社区发行账户因获得积分（善行义举、垃圾分类、志愿服务等）付出的积分之和，减去时段内对这些交易的冲正"), 10),
    _points("points_redeemed", "redeemed", _("兑换道德积分"), _(
        "时段内在积分驿站（爱心超市）、道德联盟商户和集市摊位兑换的积分之和，减去时段内的退兑"), 11),
    _points("points_lapsed", "lapsed", _("失效道德积分"), _(
        "时段内转入失效积分账户的积分之和：年底到期失效与违规清零，减去时段内对它们的冲正"), 12, higher_is_better=None),
    Indicator(
        code="bank.redemption_rate", section=SECTION, name=_("积分兑换率"), order=13, kind=Kind.RATE,
        formula=_("时段内兑换的道德积分 ÷ 时段内发放的道德积分（兑换可用以前发放的积分，可超过100%）"),
        compute=lambda scope, period: _redemption_rate(_flow(scope, period)),
    ),
    Indicator(
        code="bank.deeds_credited", section=SECTION, name=_("入账善行义举"), order=20, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内经道德评议会评议、公示期满无异议而积分入账的善行件数（入账后被冲正的不计）"),
        compute=lambda scope, period: Figure.count(figures.deeds_credited(scope=scope, start=period.start, end=period.end)),
        records=lambda scope, period: community_list_url("bank:deeds", scope, status=DeedStatus.CREDITED),
    ),
    Indicator(
        code="bank.stations", section=SECTION, name=_("积分驿站"), order=30, kind=Kind.COUNT,
        formula=_("当前营业中的积分驿站（爱心超市）个数"),
        compute=lambda scope, period: Figure.count(_counters(scope)[CounterKind.STATION]),
        records=lambda scope, period: community_list_url("bank:counters", scope, kind=CounterKind.STATION), period_free=True,
    ),
    Indicator(
        code="bank.merchants", section=SECTION, name=_("道德联盟商户"), order=31, kind=Kind.COUNT, unit=_("家"),
        formula=_("当前营业中的道德联盟商户家数"),
        compute=lambda scope, period: Figure.count(_counters(scope)[CounterKind.MERCHANT]),
        records=lambda scope, period: community_list_url("bank:counters", scope, kind=CounterKind.MERCHANT), period_free=True,
    ),
)
