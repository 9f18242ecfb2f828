"""Headline figures of 人口与党员 (registered by PeopleConfig.ready): residents, households and
members of a scope, and 在职党员到社区报到. Thin calls of `people.selectors` and of the place
counters (`org.selectors.scope_totals`), for whatever scope they are given.

Residents and households are counted where they live (the place tree); members as the members
page lists them: 在册, reached through their organisation or where they live (PartyMember.scope_q).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org import selectors as org_selectors
from gongzhi.org.indicators import tree_page, scope_org, scope_unit, with_query
from gongzhi.org.models import Place

from . import selectors
from .models import MemberCategory, MemberStatus, PersonStatus


@shared
def _totals(scope: Scope):
    return org_selectors.scope_totals(scope=scope)


def _residents(scope: Scope, period: Period) -> Figure:
    return Figure.count(_totals(scope).residents)


def _households(scope: Scope, period: Period) -> Figure:
    return Figure.count(_totals(scope).households)


def _residents_page(scope: Scope, period: Period) -> str:
    """The residents search, 在册, under the unit's place (an organisation unit: none fits)."""
    unit = scope_unit(scope)
    if unit is not None and not isinstance(unit, Place):
        return ""
    return with_query(reverse("people:search"), place=unit.pk if unit else "", status=PersonStatus.RESIDENT)


# The members page's filters for each member count (the page lists 在册 members unless told otherwise).
MEMBER_FILTERS = {
    "members": ({}, {}),
    "probationary": ({"category": MemberCategory.PROBATIONARY}, {"category": MemberCategory.PROBATIONARY}),
    "away": ({"is_away": True}, {"away": "1"}),
}


def _members(which: str):
    filters, _query = MEMBER_FILTERS[which]

    def compute(scope: Scope, period: Period) -> Figure:
        return Figure.count(selectors.member_list(scope=scope, status=MemberStatus.ACTIVE, **filters).count())

    return compute


def _members_page(which: str):
    _filters, query = MEMBER_FILTERS[which]

    def records(scope: Scope, period: Period) -> str:
        """The members page, of the unit's organisation (a place unit: the one heading it)."""
        is_unit, org = scope_org(scope)
        if is_unit and org is None:
            return ""
        return with_query(reverse("people:members"), org=org.pk if org else "", **query)

    return records


def _checkins(scope: Scope, period: Period) -> Figure:
    """Members reported to a 社区 in scope (one who reported to two of them counts once)."""
    return Figure.count(selectors.checkin_list(scope=scope).order_by().values("member_id").distinct().count())


def _checkins_in(scope: Scope, period: Period) -> Figure:
    found = selectors.checkin_list(scope=scope, start=period.start, end=period.end)
    return Figure.count(found.order_by().values("member_id").distinct().count())


register(
    Indicator(
        code="people.residents", section=Section.MEMBERS, order=10, kind=Kind.COUNT, period_free=True,
        name=_("居民数"), formula=_("在册居民人数（按居住地统计）"), unit=_("人"),
        compute=_residents, records=_residents_page, higher_is_better=None,
    ),
    Indicator(
        code="people.households", section=Section.MEMBERS, order=20, kind=Kind.COUNT, period_free=True,
        name=_("户数"), formula=_("登记的户数（按居住地统计）"), unit=_("户"),
        compute=_households, records=tree_page, higher_is_better=None,
    ),
    Indicator(
        code="people.members", section=Section.MEMBERS, order=30, kind=Kind.COUNT, period_free=True,
        name=_("党员数"), formula=_("在册党员人数（含预备党员；按所在党组织或居住地统计）"), unit=_("人"),
        compute=_members("members"), records=_members_page("members"), higher_is_better=None,
    ),
    Indicator(
        code="people.probationary_members", section=Section.MEMBERS, order=40, kind=Kind.COUNT, period_free=True,
        name=_("预备党员数"), formula=_("在册党员中预备党员的人数"), unit=_("人"),
        compute=_members("probationary"), records=_members_page("probationary"), higher_is_better=None,
    ),
    Indicator(
        code="people.away_members", section=Section.MEMBERS, order=50, kind=Kind.COUNT, period_free=True,
        name=_("在外党员数"), formula=_("在册党员中在外党员的人数"), unit=_("人"),
        compute=_members("away"), records=_members_page("away"), higher_is_better=None,
    ),
    Indicator(
        code="people.checkins", section=Section.MEMBERS, order=60, kind=Kind.COUNT, period_free=True,
        name=_("到社区报到的在职党员数"), formula=_("到本范围内社区报到的在职党员人数（报到多个社区的计一人）"), unit=_("人"),
        compute=_checkins,
    ),
    Indicator(
        code="people.checkins_new", section=Section.MEMBERS, order=70, kind=Kind.COUNT,
        name=_("新报到在职党员数"), formula=_("报到日期在时段内的到社区报到在职党员人数"), unit=_("人"),
        compute=_checkins_in,
    ),
)
