"""Headline figures of 组织生活 (registered by PartylifeConfig.ready): 三会一课落实率, 参会率,
党员教育覆盖率, meetings held and 在外党员 reporting, for a scope and a period. Thin calls of
`partylife.selectors`; the breakdowns (what the alerts read) take a constant number of queries
whatever the number of organisations, and link each one to its organisational-life page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import org_rows, scope_org, with_query
from gongzhi.org.selectors.common import Coverage

from . import away, selectors

ORG_PAGE = "partylife:org_meetings"


def _rows(scope: Scope, coverages: dict[int, Coverage]) -> list[Row]:
    """A row per organisation with something to count (a denominator), in tree order."""
    figures = {pk: Figure.of_coverage(c) for pk, c in coverages.items() if c.denominator}
    return org_rows(scope, figures, ORG_PAGE) if figures else []


def _compliance_page(scope: Scope, period: Period) -> str:
    """The compliance table (落实率, 参会率, 教育覆盖率 along the tree) for the period, at the unit's
    organisation (a place unit: the one heading it; none there: no page)."""
    is_unit, org = scope_org(scope)
    if is_unit and org is None:
        return ""
    return with_query(reverse("partylife:compliance"), org=org.pk if org else "", **period.query)


# ---- 三会一课落实率 ------------------------------------------------------------------------------


# The figure and its breakdown (what the alerts read) come from one read each: `@shared`.

@shared
def _compliance(scope: Scope, period: Period):
    return selectors.compliance(scope=scope, start=period.start, end=period.end)


def compliance(scope: Scope, period: Period) -> Figure:
    return Figure.of_coverage(selectors.total(_compliance(scope, period)))


def compliance_rows(scope: Scope, period: Period) -> list[Row]:
    """Each organisation with frequency rules (支部, 党小组 …) and a whole month in the period."""
    return _rows(scope, {c.organization.pk: c.coverage for c in _compliance(scope, period)})


# ---- 参会率 -----------------------------------------------------------------------------------


@shared
def _attendance(scope: Scope, period: Period):
    return selectors.attendance_rates(scope=scope, start=period.start, end=period.end)


def attendance(scope: Scope, period: Period) -> Figure:
    rates = _attendance(scope, period).values()
    return Figure.rate(sum(r.numerator for r in rates), sum(r.denominator for r in rates))


def attendance_rows(scope: Scope, period: Period) -> list[Row]:
    """Each organisation that held a meeting with attendance recorded in the period."""
    return _rows(scope, _attendance(scope, period))


# ---- 党员教育覆盖率 ----------------------------------------------------------------------------


@shared
def _education(scope: Scope, period: Period) -> dict[str, tuple[int, int]]:
    return selectors.education_counts(scope=scope, start=period.start, end=period.end)


def education(scope: Scope, period: Period) -> Figure:
    counts = _education(scope, period).values()
    return Figure.rate(sum(n for n, _d in counts), sum(d for _n, d in counts))


def education_rows(scope: Scope, period: Period) -> list[Row]:
    """Each 支部 with members (its whole subtree: the members of its 党小组 count for it)."""
    branches = list(selectors.branches(scope=scope))
    if not branches:
        return []
    coverages = selectors.education_coverages(scope=scope, start=period.start, end=period.end, nodes=branches, counts=_education(scope, period))
    return _rows(scope, coverages)


# ---- meetings and 在外党员 ----------------------------------------------------------------------


def meetings(scope: Scope, period: Period) -> Figure:
    return Figure.count(selectors.meetings_held(scope=scope, start=period.start, end=period.end).count())


def _meetings_page(scope: Scope, period: Period) -> str:
    """The 台账 of the unit's organisation for the period (its meetings and those below it); the
    compliance table for the district or the user's own scope (the 台账 is per organisation)."""
    is_unit, org = scope_org(scope)
    if org is not None:
        return with_query(reverse("partylife:ledger", args=[org.pk]), **period.query)
    return "" if is_unit else with_query(reverse("partylife:compliance"), **period.query)


def away_reporting(scope: Scope, period: Period) -> Figure:
    members = away.away_members(scope=scope, quarter_start=period.start, quarter_end=period.end)
    total, reported = away.away_counts(members)
    return Figure.rate(reported, total)


def _away_page(scope: Scope, period: Period) -> str:
    """The away members of the unit's organisation (the page chooses quarters: this one when the
    period is a quarter)."""
    _is_unit, org = scope_org(scope)
    if org is None:
        return ""
    quarter = away.Quarter.of(period.start).value if period.kind == "quarter" else ""
    return with_query(reverse("partylife:away", args=[org.pk]), quarter=quarter)


register(
    Indicator(
        code="partylife.compliance", section=Section.PARTY_LIFE, order=10, kind=Kind.RATE,
        name=_("三会一课落实率"),
        formula=_("按频次规则已落实的会议次数 ÷ 应召开的会议次数（时段内的整月、整季度、整年；每个周期超出规定的次数不计）"),
        compute=compliance, breakdown=compliance_rows, breakdown_label=_("党组织"), records=_compliance_page,
    ),
    Indicator(
        code="partylife.attendance", section=Section.PARTY_LIFE, order=20, kind=Kind.RATE,
        name=_("参会率"), formula=_("实到人次 ÷ 应到人次（时段内召开的会议）"),
        compute=attendance, breakdown=attendance_rows, breakdown_label=_("党组织"), records=_compliance_page,
    ),
    Indicator(
        code="partylife.education", section=Section.PARTY_LIFE, order=30, kind=Kind.RATE,
        name=_("党员教育覆盖率"),
        formula=_("时段内至少出席一次党员教育活动（党课、主题党日等）的党员数 ÷ 时段末在册党员数"),
        compute=education, breakdown=education_rows, breakdown_label=_("党支部"), records=_compliance_page,
    ),
    Indicator(
        code="partylife.meetings", section=Section.PARTY_LIFE, order=40, kind=Kind.COUNT, unit=_("次"),
        name=_("组织生活会议次数"), formula=_("时段内召开的三会一课等组织生活会议次数"),
        compute=meetings, records=_meetings_page,
    ),
    Indicator(
        code="partylife.away_reporting", section=Section.PARTY_LIFE, order=50, kind=Kind.RATE,
        name=_("在外党员汇报率"), formula=_("时段内提交过思想汇报或情况汇报的在外党员数 ÷ 在册在外党员数"),
        compute=away_reporting, records=_away_page,
    ),
)
