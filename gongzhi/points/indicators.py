"""Headline figures of 党员积分 and 五星支部 for the dashboard, the alerts and the report: each a
thin call of `selectors` / `star_selectors` (gongzhi.core.indicators).

Points and ratings are yearly: a period is read as the year it ends in (`period.end.year`, the
cycle of the points and the year of the ratings). Scores are those of today's 在册 members, as
on the ranking page. The records behind a figure: the ranking (`?year=&org=`) and the 五星支部
summary (`?year=&org=&stars=`), with `org` when the scope is one party organisation; a scope
narrowed to a place has no organisation filter that fits ("")."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization

from . import selectors, star_selectors

SECTION = Section.MEMBERS
STARS_SECTION = Section.ORGANISATION
STAR_READS = ("partylife",)  # a rating reads the branch's organisational life (star_selectors)


def _year(period: Period) -> int:
    return period.end.year


def _url(name: str, scope: Scope, **query) -> str:
    """The page for the scope: the whole tree or several nodes as they are (the page shows the
    user's own scope), one party organisation by `?org=`, anything else ""."""
    if not (scope.everything or scope.whole_tree or len(scope.place_paths) + len(scope.org_paths) > 1):
        if len(scope.org_paths) != 1 or scope.place_paths or scope.grid_ids:
            return ""
        org = PartyOrganization.objects.filter(path=scope.org_paths[0]).values_list("pk", flat=True).first()
        if org is None:
            return ""
        query["org"] = org
    return f"{reverse(name)}?{urlencode(query)}"


@shared
def _scores(scope: Scope, period: Period) -> selectors.ScoreSummary:
    return selectors.score_summary(scope=scope, cycle=_year(period))


@shared
def _stars(scope: Scope, period: Period) -> star_selectors.StarCounts:
    return star_selectors.star_counts(scope=scope, year=_year(period))


def _average_stars(scope: Scope, period: Period) -> Figure:
    counts = _stars(scope, period)
    return Figure.average(Decimal(counts.stars_total) / counts.published if counts.published else None, of=counts.published)


register(
    Indicator(
        code="points.average", section=SECTION, name=_("党员平均积分"), order=50, kind=Kind.AVERAGE, unit=_("分"),
        formula=_("时段所在年度在册党员积分之和 ÷ 在册党员人数（积分 = 基础分 + 年度加减分，不低于最低分）"),
        compute=lambda scope, period: Figure.average((s := _scores(scope, period)).mean, of=s.members),
        records=lambda scope, period: _url("points:ranking", scope, year=_year(period)),
    ),
    Indicator(
        code="points.excellent", section=SECTION, name=_("积分优秀率"), order=51, kind=Kind.RATE,
        formula=_("时段所在年度积分达到优秀等次的在册党员人数 ÷ 在册党员人数"),
        compute=lambda scope, period: Figure.rate((s := _scores(scope, period)).grades.get("excellent", 0), s.members),
        records=lambda scope, period: _url("points:ranking", scope, year=_year(period)),
    ),
    Indicator(
        code="points.failing", section=SECTION, name=_("积分不合格党员"), order=52, kind=Kind.COUNT, unit=_("人"),
        formula=_("时段所在年度积分为不合格等次的在册党员人数"),
        compute=lambda scope, period: Figure.count(_scores(scope, period).grades.get("fail", 0)),
        records=lambda scope, period: _url("points:ranking", scope, year=_year(period)),
        higher_is_better=False,
    ),
    Indicator(
        code="points.five_star", section=STARS_SECTION, name=_("五星支部"), order=60, kind=Kind.COUNT,
        formula=_("时段所在年度已公布评定为五星的支部个数"),
        compute=lambda scope, period: Figure.count(_stars(scope, period).five_star),
        reads=STAR_READS,
        records=lambda scope, period: _url("points:stars", scope, year=_year(period), stars=5),
    ),
    Indicator(
        code="points.model_sites", section=STARS_SECTION, name=_("示范点"), order=61, kind=Kind.COUNT,
        formula=_("时段所在年度已公布的星级评定中认定为市级标杆式示范点的支部个数"),
        compute=lambda scope, period: Figure.count(_stars(scope, period).model_sites),
        reads=STAR_READS,
        records=lambda scope, period: _url("points:stars", scope, year=_year(period)),
    ),
    Indicator(
        code="points.average_stars", section=STARS_SECTION, name=_("支部平均星级"), order=62, kind=Kind.AVERAGE, unit=_("星"),
        formula=_("时段所在年度已公布的支部星级之和 ÷ 已公布评定的支部个数"),
        compute=_average_stars,
        reads=STAR_READS,
        records=lambda scope, period: _url("points:stars", scope, year=_year(period)),
    ),
)
