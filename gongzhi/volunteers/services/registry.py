"""Registering volunteers, their skills, and teams."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.people.models import CommunityCheckin, MemberStatus, Person

from ..models import Skill, Team, TeamKind, TeamMembership, Volunteer, VolunteerKind, VolunteerStatus
from .common import require_community


def _member_of(person: Person):
    try:
        member = person.party_member
    except ObjectDoesNotExist:
        return None
    return member if member.status == MemberStatus.ACTIVE else None


def _check_kind(scope: Scope, person: Person, community, kind: str) -> CommunityCheckin | None:
    """The kind must fit the person; returns the 报到 record of an 在职党员."""
    member = _member_of(person)
    if kind not in VolunteerKind.values:
        raise ValidationError({"kind": _("请选择志愿者类别。")})
    if kind == VolunteerKind.CHECKIN:
        checkin = CommunityCheckin.objects.filter(member=member, community=community).first() if member else None
        if checkin is None:
            raise ValidationError({"kind": _("%(name)s没有到本社区报到的记录，不能登记为在职党员报到志愿者。") % {"name": person.name}})
        return checkin
    if not scope.contains(person):
        raise ValidationError({"person": _("所选居民不在您的管辖范围内。")})
    if kind == VolunteerKind.MEMBER and member is None:
        raise ValidationError({"kind": _("%(name)s不是在册党员，请登记为群众志愿者。") % {"name": person.name}})
    if kind == VolunteerKind.RESIDENT and member is not None:
        raise ValidationError({"kind": _("%(name)s是党员，请登记为党员志愿者。") % {"name": person.name}})
    return None


@transaction.atomic
def volunteer_register(*, scope: Scope, acting_user, person: Person, community, kind: str, skills=(),
                       registered_on: dt.date | None = None) -> Volunteer:
    """Register `person` with `community`. An 在职党员 needs their 报到 record with that community
    (they may live elsewhere); anyone else must be in the user's scope."""
    require_community(scope, community)
    checkin = _check_kind(scope, person, community, kind)
    if Volunteer.objects.filter(person=person, community=community, status=VolunteerStatus.ACTIVE).exists():
        raise ValidationError({"person": _("%(name)s已是本社区的志愿者。") % {"name": person.name}})
    volunteer = Volunteer(person=person, community=community, kind=kind, checkin=checkin,
                          registered_on=registered_on or timezone.localdate(), registered_by=acting_user)
    volunteer._history_user = acting_user
    volunteer.save()
    volunteer.skills.set(skills)
    return volunteer


@transaction.atomic
def volunteer_set_skills(*, scope: Scope, acting_user, volunteer: Volunteer, skills) -> Volunteer:
    scope.require(volunteer)
    volunteer.skills.set([s.pk if isinstance(s, Skill) else s for s in skills])
    return volunteer


@transaction.atomic
def volunteer_leave(*, scope: Scope, acting_user, volunteer: Volunteer, on: dt.date | None = None) -> Volunteer:
    """退出: the record stays (with its hours); current team memberships end the same day."""
    scope.require(volunteer)
    on = on or timezone.localdate()
    if volunteer.status == VolunteerStatus.LEFT:
        raise ValidationError({"status": _("%(name)s已退出志愿者队伍。") % {"name": volunteer.person.name}})
    if on < volunteer.registered_on:
        raise ValidationError({"left_on": _("退出日期不能早于注册日期。")})
    volunteer.status, volunteer.left_on = VolunteerStatus.LEFT, on
    volunteer._history_user = acting_user
    volunteer.save(update_fields=["status", "left_on", "updated_at"])
    for membership in volunteer.memberships.filter(left_on__isnull=True):
        membership.left_on = max(on, membership.joined_on)
        membership._history_user = acting_user
        membership.save(update_fields=["left_on"])
    return volunteer


def _team_values(*, community, name: str, kind: str, leader_name: str, description: str, founded_on: dt.date | None,
                 team: Team | None = None) -> dict:
    """The fields of a team, cleaned and checked (a name unique in its community, a known kind)."""
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("请填写队伍名称。")})
    same_name = Team.objects.filter(community=community, name=name)
    if team is not None:
        same_name = same_name.exclude(pk=team.pk)
    if same_name.exists():
        raise ValidationError({"name": _("本社区已有名为“%(name)s”的队伍。") % {"name": name}})
    if kind not in TeamKind.values:
        raise ValidationError({"kind": _("请选择队伍类别。")})
    return {"name": name, "kind": kind, "leader_name": clean_text(leader_name), "description": description or "", "founded_on": founded_on}


@transaction.atomic
def team_create(*, scope: Scope, acting_user, community, name: str, kind: str = TeamKind.GENERAL, leader_name: str = "",
                description: str = "", founded_on: dt.date | None = None) -> Team:
    require_community(scope, community)
    team = Team(community=community, **_team_values(community=community, name=name, kind=kind, leader_name=leader_name,
                                                     description=description, founded_on=founded_on))
    team.full_clean()
    team._history_user = acting_user
    team.save()
    return team


@transaction.atomic
def team_update(*, scope: Scope, acting_user, team: Team, name: str, kind: str, leader_name: str = "", description: str = "",
                founded_on: dt.date | None = None) -> Team:
    """Correct a team's name, kind, leader, founding date or description; its community and members stay."""
    scope.require(team)
    team = Team.objects.select_for_update(of=("self",)).select_related("community").get(pk=team.pk)
    values = _team_values(community=team.community, name=name, kind=kind, leader_name=leader_name, description=description,
                          founded_on=founded_on, team=team)
    for field, value in values.items():
        setattr(team, field, value)
    team.full_clean()
    team._history_user = acting_user
    team.save()
    return team


@transaction.atomic
def team_member_add(*, scope: Scope, acting_user, team: Team, volunteer: Volunteer, joined_on: dt.date | None = None) -> TeamMembership:
    scope.require(team)
    scope.require(volunteer)
    name = volunteer.person.name
    if volunteer.community_id != team.community_id:
        raise ValidationError({"volunteer": _("%(name)s不是本社区的志愿者。") % {"name": name}})
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("%(name)s已退出志愿者队伍。") % {"name": name}})
    if team.memberships.filter(volunteer=volunteer, left_on__isnull=True).exists():
        raise ValidationError({"volunteer": _("%(name)s已在“%(team)s”中。") % {"name": name, "team": team.name}})
    membership = TeamMembership(team=team, volunteer=volunteer, joined_on=joined_on or timezone.localdate())
    membership._history_user = acting_user
    membership.save()
    return membership


@transaction.atomic
def team_member_remove(*, scope: Scope, acting_user, membership: TeamMembership, on: dt.date | None = None) -> TeamMembership:
    scope.require(membership)
    on = on or timezone.localdate()
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("该队员已离队。")})
    if on < membership.joined_on:
        raise ValidationError({"left_on": _("离队日期不能早于加入日期。")})
    membership.left_on = on
    membership._history_user = acting_user
    membership.save(update_fields=["left_on"])
    return membership
