"""`demo --reset`: remove the district (people, organisations, places, grids, grants) and staff users.

The district's own tables are emptied with one DELETE each (a million people one by one through
the ORM, with a history row per deletion, would take longer than building them). Rows of other
apps that hang off the district (meetings, needs, …) are deleted first through the ORM, so that
their own cascades and signals run. Non-superuser users go last, through the ORM too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models
from django.db.models import ProtectedError

from gongzhi.accounts.models import RoleGrant, User
from gongzhi.bank.models import (Account, CharityEvent, Counter, Deed, DeedObjection, GarbageDrop, Goods, Posting, Redemption, RedemptionCode,
                                 RedemptionLine, Settlement, Transaction, Violation)
from gongzhi.culture.models import Campaign, FamilyStory, Nomination, PublicityRecord, Vote
from gongzhi.decisions.models import CommunitySetting, Convention, ConventionVersion, Matter, StepRecord
from gongzhi.lectures.models import Feedback, LectureOrder, LectureRequest, OrderInvite, OrderStep, RequestSecond, RequestStep, Teacher
from gongzhi.mediation.models import Assignment, Case, CaseParty, FollowUp, Mediator, Session
from gongzhi.notices.models import Notice
from gongzhi.org.models import Grid, NewOrganization, PartyOrganization, Place
from gongzhi.needs.models import Need, NeedPhoto, NeedStep, Project, ProjectResource, ProjectSpending, ProjectTask, Resource
from gongzhi.partylife.models import AgendaItem, Attendance, AwayReport, Exemption, Meeting, MemberLink
from gongzhi.people.models import CommunityCheckin, Household, MemberTransfer, PartyMember, Person
from gongzhi.points.models import IndicatorScore, MemberCycleTotal, PointEntry, StarEvaluation
from gongzhi.volunteers.models import (
    Activity, Post, ServiceRecord, Shift, ShiftAssignment, ShiftLog, Signup, Team, TeamMembership, Volunteer,
)

# Children before parents.
DISTRICT_MODELS: tuple[type[models.Model], ...] = (
    Vote, Nomination, Campaign, PublicityRecord, FamilyStory,  # 德治
    Feedback, RequestStep, OrderStep, OrderInvite, RequestSecond, LectureRequest, LectureOrder, Teacher.topics.through, Teacher,  # 法治讲座
    FollowUp, Session, Assignment, CaseParty, Case, Mediator,  # 矛盾调解 (categories, tiers and rules stay)
    ConventionVersion, Convention, StepRecord, Matter, CommunitySetting,  # 民主决策 (the methods stay)
    Notice,  # 公开栏
    RedemptionLine, Redemption, RedemptionCode, GarbageDrop, Settlement, Violation, DeedObjection, Deed,  # 道德银行: what happened
    Goods, Counter.operators.through, Counter, CharityEvent, Posting, Transaction, Account,  # its counters and ledger (rules stay)
    PointEntry, MemberCycleTotal, IndicatorScore, StarEvaluation,  # member points and star ratings
    ProjectResource, Resource.skills.through, Resource,  # 资源清单
    NeedStep, NeedPhoto, ProjectTask.depends_on.through, ProjectTask, ProjectSpending, Need, Project,  # 三张清单
    ShiftLog, ShiftAssignment, Shift, Post, TeamMembership, Team,  # teams, posts and shift rosters
    ServiceRecord, Signup, Activity, Volunteer.skills.through, Volunteer,  # volunteers
    Attendance, AgendaItem, Exemption, Meeting,  # the demo writes millions of these: one DELETE each
    AwayReport, MemberLink,  # 在外党员's reports (the demo writes them too) and personal links
    CommunityCheckin, MemberTransfer, PartyMember, Person, Household, NewOrganization, PartyOrganization.covers.through,
    RoleGrant, PartyOrganization, Grid, Place,
)


def demo_wipe(progress: Callable[[str], None] = lambda line: None) -> None:
    _delete_dependents_elsewhere(progress)
    for model in DISTRICT_MODELS:
        _empty_table(model)
        history = getattr(getattr(model, "history", None), "model", None)
        if history is not None:
            _empty_table(history)
    deleted, _ = User.objects.filter(is_superuser=False).delete()
    progress(f"  已清空区划、党组织、居民和授权，删除非超级用户 {deleted:,} 条记录")


def _delete_dependents_elsewhere(progress: Callable[[str], None]) -> None:
    """Through the ORM, retrying those that another one still protects until none is left."""
    waiting = _dependents_elsewhere()
    while waiting:
        blocked = []
        for model, field in waiting:
            rows = model._base_manager.all() if field is None else model._base_manager.filter(**{f"{field}__isnull": False})
            try:
                deleted, _ = rows.delete()
            except ProtectedError:
                blocked.append((model, field))
                continue
            progress(f"  已删除{model._meta.verbose_name} {deleted:,} 条（依附于演示区划）")
        if len(blocked) == len(waiting):
            names = "、".join(str(m._meta.verbose_name) for m, _f in blocked)
            raise ProtectedError(f"无法清空演示数据：{names}仍被其他记录引用。", set())
        waiting = blocked


def _empty_table(model: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _dependents_elsewhere() -> list[tuple[type[models.Model], str | None]]:
    """Models outside the district's tables whose rows point at them with a real constraint, with
    the pointing field (None for a many-to-many table: all its rows point there). Only rows that
    point at the district go (a rule set for an organisation, not the district's default)."""
    own = set(DISTRICT_MODELS)
    found: list[tuple[type[models.Model], str | None]] = []
    for model in DISTRICT_MODELS:
        for relation in model._meta.related_objects:
            other = relation.through if relation.many_to_many else relation.related_model
            entry = (other, None if relation.many_to_many else relation.field.name)
            if other in own or entry in found or not _constrained(relation):
                continue
            found.append(entry)
    return found


def _constrained(relation) -> bool:
    if relation.many_to_many:
        return True
    field = relation.field
    return field.db_constraint and relation.on_delete is not models.DO_NOTHING
