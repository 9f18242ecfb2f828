"""Headline figures of 三张清单 (needs, projects, resources) for the dashboard, the alerts and the
report: each a thin call of `selectors` / `resource_selectors` (gongzhi.core.indicators).

A need counts where it is (its place); a scope narrowed to a party organisation holds no needs
(`Need.scope_q` reads places only). The records behind a figure are the ledger (挂账, open
needs and projects) or the resources list, filtered by `?place=` when the scope is one node of
the place tree; the needs of a period have no list page yet ("")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place

from . import resource_selectors, selectors

SECTION = Section.SERVICE


def _place_pk(scope: Scope) -> int | None | bool:
    """The place a narrowed scope is (its pk), None for a scope of several nodes or of the whole
    tree (the page's own scope is right), False when the pages cannot show it (an organisation)."""
    if scope.everything or scope.whole_tree:
        return None
    if len(scope.place_paths) == 1 and not scope.org_paths and not scope.grid_ids:
        return Place.objects.filter(path=scope.place_paths[0]).values_list("pk", flat=True).first() or False
    return None if len(scope.place_paths) > 1 else False


def _url(name: str, scope: Scope, **query) -> str:
    place = _place_pk(scope)
    if place is False:
        return ""
    if place is not None:
        query["place"] = place
    return reverse(name) + ("?" + urlencode(query) if query else "")


@shared
def _needs(scope: Scope, period: Period) -> selectors.NeedFigures:
    return selectors.need_figures(scope=scope, start=period.start, end=period.end)


@shared
def _projects(scope: Scope, period: Period) -> selectors.ProjectFigures:
    return selectors.project_figures(scope=scope, start=period.start, end=period.end)


def _overdue_rows(scope: Scope, period: Period) -> list[Row]:
    rows = selectors.need_overdue_by_community(scope=scope, today=timezone.localdate())
    ledger = reverse("needs:ledger")
    out = [Row(key=c.pk, model="org.place", name=c.name, figure=Figure.count(n), url=f"{ledger}?{urlencode({'place': c.pk, 'overdue': 1})}",
               parent=c.parent_name or "") for c, n in rows]
    return sorted(out, key=lambda r: -r.figure.value)  # stable: tree order among equals


register(
    Indicator(
        code="needs.registered", section=SECTION, name=_("登记需求"), order=10, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内登记的需求件数（合并的重复需求不计）"),
        compute=lambda scope, period: Figure.count(_needs(scope, period).registered),
        higher_is_better=None,
    ),
    Indicator(
        code="needs.closed", section=SECTION, name=_("办结需求"), order=11, kind=Kind.COUNT, unit=_("件"),
        formula=_("时段内办结的需求件数（不论何时登记）"),
        compute=lambda scope, period: Figure.count(_needs(scope, period).closed),
    ),
    Indicator(
        code="needs.close_rate", section=SECTION, name=_("需求办结率"), order=12, kind=Kind.RATE,
        formula=_("时段内登记的需求中截至时段末已办结的件数 ÷ 时段内登记的需求件数（合并的重复需求不计）"),
        compute=lambda scope, period: Figure.rate((f := _needs(scope, period)).registered_closed, f.registered),
    ),
    Indicator(
        code="needs.open", section=SECTION, name=_("未办结需求（挂账）"), order=13, kind=Kind.COUNT, unit=_("件"),
        formula=_("当前处于登记、受理或办理中的需求件数"),
        compute=lambda scope, period: Figure.count(selectors.open_items(scope=scope, today=timezone.localdate(), limit=0).need_total),
        records=lambda scope, period: _url("needs:ledger", scope),
        higher_is_better=False, period_free=True,
    ),
    Indicator(
        code="needs.overdue", section=SECTION, name=_("逾期未办结需求"), order=14, kind=Kind.COUNT, unit=_("件"),
        formula=_("当前未办结的需求中超过类别受理时限仍未受理或超过办结时限仍未办结的件数"),
        compute=lambda scope, period: Figure.count(selectors.need_overdue_count(scope=scope, today=timezone.localdate())),
        breakdown=_overdue_rows, breakdown_label=_("社区"),
        records=lambda scope, period: _url("needs:ledger", scope, overdue=1),
        higher_is_better=False, period_free=True,
    ),
    Indicator(
        code="needs.satisfaction", section=SECTION, name=_("回访满意率"), order=15, kind=Kind.RATE,
        formula=_("时段内回访评价为满意或基本满意的件数 ÷ 时段内回访的需求件数"),
        compute=lambda scope, period: Figure.rate((f := _needs(scope, period)).satisfied, f.visited),
    ),
    Indicator(
        code="needs.projects_opened", section=SECTION, name=_("立项项目"), order=20, kind=Kind.COUNT,
        formula=_("时段内立项的项目个数"),
        compute=lambda scope, period: Figure.count(_projects(scope, period).opened),
    ),
    Indicator(
        code="needs.projects_closed", section=SECTION, name=_("销号项目"), order=21, kind=Kind.COUNT,
        formula=_("时段内销号的项目个数"),
        compute=lambda scope, period: Figure.count(_projects(scope, period).closed),
    ),
    Indicator(
        code="needs.projects_open", section=SECTION, name=_("在办项目（挂账）"), order=22, kind=Kind.COUNT,
        formula=_("当前处于立项或实施中的项目个数"),
        compute=lambda scope, period: Figure.count(_projects(scope, period).open_now),
        records=lambda scope, period: _url("needs:ledger", scope, kind="projects"),
        higher_is_better=None, period_free=True,
    ),
    Indicator(
        code="needs.resources", section=SECTION, name=_("资源清单"), order=30, kind=Kind.COUNT, unit=_("项"),
        formula=_("资源清单中登记的人、才、物、资金和驻区单位资源项数"),
        compute=lambda scope, period: Figure.count(sum(resource_selectors.resource_counts_by_kind(scope=scope).values())),
        records=lambda scope, period: _url("needs:resources", scope),
        period_free=True,
    ),
)
