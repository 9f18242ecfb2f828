"""Headline figures of 德治 for the dashboard, the alerts and the report: each a thin call of
`figures` (gongzhi.core.indicators), broken down by 社区.

Stories, campaigns, votes and publicity records belong to a 社区 (their `scope_q` reads places
only). A period's figures: stories collected (by `collected_on`) and published (by the moment),
campaigns whose results were published in it and the honours they awarded, votes cast in it,
publicity items made in it by kind (one figure for each default kind). The records behind a
figure: the stories list, the campaigns list and the publicity register, with `?community=` when
the scope is one 社区."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import lazy_percent
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import community_list_url
from gongzhi.org.selectors.places import communities_in

from . import figures

SECTION = Section.GOVERNANCE


def _rows(measure: str, kind_code: str = ""):
    def rows(scope: Scope, period: Period) -> list[Row]:
        counts = figures.by_community(scope=scope, measure=measure, start=period.start, end=period.end, kind_code=kind_code)
        return [Row(key=c.pk, model="org.place", name=c.name, figure=Figure.count(counts.get(c.pk, 0)), parent=c.parent_name or "")
                for c in communities_in(scope)]

    return rows


def _count(code: str, measure: str, name, formula, order: int, unit, records: str, kind_code: str = "", **query) -> Indicator:
    return Indicator(
        code=f"culture.{code}", section=SECTION, name=name, formula=formula, kind=Kind.COUNT, unit=unit, order=order,
        compute=lambda scope, period: Figure.count(figures.total(scope=scope, measure=measure, start=period.start, end=period.end,
                                                                 kind_code=kind_code)),
        breakdown=_rows(measure, kind_code), breakdown_label=_("社区"),
        records=lambda scope, period: community_list_url(records, scope, **query),
    )


# The default publicity kinds (migration 0002): code, name, unit.
PUBLICITY = (("banner", _("宣传横幅"), _("条")), ("board", _("宣传展板"), _("个")), ("booklet", _("宣传手册/活页"), _("份")),
             ("leaflet", _("宣传单"), _("份")), ("wechat", _("微信推文"), _("条")))

register(
    _count("stories_collected", "stories_collected", _("征集家风故事"), _("时段内各社区征集登记的家风故事和家风寄语篇数（按征集日期）"),
           60, _("篇"), "culture:stories"),
    _count("stories_published", "stories_published", _("发布家风故事"), _("时段内发布到公开栏和社区德治公开页的家风故事和寄语篇数"),
           61, _("篇"), "culture:stories", published="yes"),
    _count("campaigns_held", "campaigns_held", _("开展评选表彰"), _("时段内公布结果的评选活动场数（好党员、好媳妇、好婆婆、道德榜样等）"),
           62, _("场"), "culture:campaigns"),
    _count("votes_cast", "votes_cast", _("评选投票"), _("时段内居民在评选公开页投出的票数（每位居民每场评选限投一票）"),
           63, _("票"), "culture:campaigns"),
    _count("honours_awarded", "honours_awarded", _("表彰先进典型"), _("时段内公布结果的评选中当选的人数"),
           64, _("人"), "culture:campaigns"),
    *(_count(f"publicity_{code}", "publicity", name, lazy_percent(_("时段内各社区登记的“%(kind)s”数量之和（按制作或发布日期）"), {"kind": name}),
             70 + i, unit, "culture:publicity", kind_code=code, kind=code)
      for i, (code, name, unit) in enumerate(PUBLICITY)),
)
