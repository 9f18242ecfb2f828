"""Headline figures of 志愿服务 for the dashboard, the alerts and the report: each a thin call of
`selectors` (gongzhi.core.indicators).

Volunteers, teams, posts and hours belong to a 社区 (`scope_q` reads places only: a scope
narrowed to a party organisation holds none). The records behind a figure: the registry
(`?community=&kind=`, when the scope is the whole tree, several nodes, or one 社区), the teams and
posts lists (`?kind=`, whole-tree or several-node scopes only: they take no place); hours and
activities of a period have no list page that fits ("")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, register, shared
from gongzhi.core.scope import Scope
from gongzhi.org.indicators import community_list_url

from . import selectors
from .models import PostKind, TeamKind, VolunteerKind

SECTION = Section.VOLUNTEERS


def _is_unit(scope: Scope) -> bool:
    """A scope narrowed to one node (or to organisations or grids): the lists' own scope is not it."""
    if scope.everything or scope.whole_tree:
        return False
    return len(scope.place_paths) <= 1


def _list_url(name: str, scope: Scope, kind: str) -> str:
    return "" if _is_unit(scope) else f"{reverse(name)}?{urlencode({'kind': kind})}"


def _volunteers(kind: str, name, formula, order: int) -> Indicator:
    return Indicator(
        code=f"volunteers.{kind}", section=SECTION, name=name, formula=formula, kind=Kind.COUNT, unit=_("人"), order=order,
        compute=lambda scope, period: Figure.count(_volunteer_counts(scope)[kind]),
        records=lambda scope, period: community_list_url("volunteers:list", scope, kind=kind), period_free=True,
    )


def _teams(code: str, kinds: tuple[str, ...], name, formula, order: int, records_kind: str = "") -> Indicator:
    return Indicator(
        code=f"volunteers.{code}", section=SECTION, name=name, formula=formula, kind=Kind.COUNT, order=order,
        compute=lambda scope, period: Figure.count(sum(n for k, n in _team_counts(scope).items() if k in kinds)),
        records=(lambda scope, period: _list_url("volunteers:teams", scope, records_kind)) if records_kind else None, period_free=True,
    )


def _posts(kind: str, name, formula, order: int) -> Indicator:
    return Indicator(
        code=f"volunteers.{kind}_posts", section=SECTION, name=name, formula=formula, kind=Kind.COUNT, order=order,
        compute=lambda scope, period: Figure.count(_post_counts(scope)[kind]),
        records=lambda scope, period: _list_url("volunteers:posts", scope, kind), period_free=True,
    )


@shared
def _volunteer_counts(scope: Scope):
    return selectors.volunteer_counts_by_kind(scope=scope)


@shared
def _team_counts(scope: Scope):
    return selectors.team_counts_by_kind(scope=scope)


@shared
def _post_counts(scope: Scope):
    return selectors.post_counts_by_kind(scope=scope)


@shared
def _service(scope: Scope, period: Period):
    return selectors.service_totals(scope=scope, start=period.start, end=period.end)


register(
    _volunteers(VolunteerKind.MEMBER, _("党员志愿者"), _("在册的党员志愿者人数"), 10),
    _volunteers(VolunteerKind.RESIDENT, _("群众志愿者"), _("在册的群众志愿者人数"), 11),
    _volunteers(VolunteerKind.CHECKIN, _("在职党员报到志愿者"), _("到社区报到并在册的在职党员志愿者人数"), 12),
    Indicator(
        code="volunteers.hours", section=SECTION, name=_("志愿服务时长"), order=20, kind=Kind.AMOUNT, unit=_("小时"),
        formula=_("时段内服务并经认定的志愿服务时长之和（冲正相抵）"),
        compute=lambda scope, period: Figure.amount(_service(scope, period)[0]),
    ),
    Indicator(
        code="volunteers.served", section=SECTION, name=_("参与志愿服务人数"), order=21, kind=Kind.COUNT, unit=_("人"),
        formula=_("时段内有经认定且未冲正的服务记录的志愿者人数（每人计一次）"),
        compute=lambda scope, period: Figure.count(_service(scope, period)[1]),
    ),
    Indicator(
        code="volunteers.activities", section=SECTION, name=_("志愿服务活动"), order=22, kind=Kind.COUNT, unit=_("场"),
        formula=_("时段内开始的志愿服务活动场数（已取消的不计）"),
        compute=lambda scope, period: Figure.count(selectors.activity_count(scope=scope, start=period.start, end=period.end)),
    ),
    _posts(PostKind.PIONEER, _("党员先锋岗"), _("启用中的党员先锋岗个数"), 30),
    _posts(PostKind.DUTY, _("值守点"), _("启用中的值守点个数"), 31),
    _teams("teams", (TeamKind.GENERAL, TeamKind.PROFESSIONAL), _("志愿者队伍"), _("志愿者队伍个数（含专业志愿者队伍，不含社会组织）"), 40),
    _teams("professional_teams", (TeamKind.PROFESSIONAL,), _("专业志愿者队伍"), _("专业志愿者队伍个数"), 41, TeamKind.PROFESSIONAL),
    _teams("social_orgs", (TeamKind.SOCIAL_ORG,), _("社会组织"), _("社区孵化、登记为社会组织的队伍个数"), 42, TeamKind.SOCIAL_ORG),
)
