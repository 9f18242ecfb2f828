"""The six demo logins, one per kind of staff user, and what each of them can see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from gongzhi.accounts.models import Role, RoleGrant, User
from gongzhi.accounts.scopes import scope_for_user
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel
from gongzhi.people.models import Household, MemberStatus, PartyMember, Person, PersonStatus

from . import names
from .party import OrgPlan
from .places import DistrictPlan

DEMO_PASSWORD = "gongzhi-demo"


class DemoLoginTaken(Exception):
    pass


@dataclass
class DemoLogin:
    username: str
    role: str
    target: str


def demo_logins_create(plan: DistrictPlan, orgs: OrgPlan) -> list[DemoLogin]:
    """quwei (区), jiedao1 (街道 1), shequ1/shequ2 (two 社区 of 街道 1), wangge1, zhibu1."""
    street = plan.streets[0]
    first, second = street.communities[0], street.communities[1]
    branch = _first_compound_branch(first, orgs)
    password = make_password(DEMO_PASSWORD)  # hashed once for all six
    specs = (
        ("quwei", Role.DISTRICT_ADMIN, {"place": plan.place}),
        ("jiedao1", Role.STREET_STAFF, {"place": street.place}),
        ("shequ1", Role.COMMUNITY_WORKER, {"place": first.place}),
        ("shequ2", Role.COMMUNITY_WORKER, {"place": second.place}),
        ("wangge1", Role.GRID_WORKER, {"grid": first.grids[0]}),
        ("zhibu1", Role.BRANCH_SECRETARY, {"organization": branch}),
    )
    logins = []
    for username, role, target in specs:
        _grant(_user(username, password), role, target)
        logins.append(DemoLogin(username=username, role=Role(role).label, target=str(next(iter(target.values())))))
    PartyOrganization.objects.filter(pk=branch.pk).update(secretary_name=names.LOGIN_NAMES["zhibu1"])
    return logins


def _first_compound_branch(community, orgs: OrgPlan) -> PartyOrganization:
    for compound in community.compounds:
        branch = orgs.branch_of_compound.get(compound.place.pk)
        if branch is not None:
            return branch
    raise RuntimeError(f"{community.place.name}没有小区党支部，无法创建 zhibu1。")


def _user(username: str, password: str) -> User:
    if User.objects.filter(username=username, is_superuser=True).exists():
        raise DemoLoginTaken(f"已有名为 {username} 的超级用户，演示账号不能覆盖它。请改名后重试。")
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"display_name": names.LOGIN_NAMES[username], "password": password, "is_staff": True, "is_active": True},
    )
    RoleGrant.objects.filter(user=user).delete()
    return user


def _grant(user: User, role: str, target: dict) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, **target)
    grant.full_clean()
    grant.save()
    return grant


def what_they_see(login: DemoLogin) -> str:
    """One line: the scope's residents, households, members and party organisations."""
    scope = scope_for_user(User.objects.get(username=login.username))
    residents = scope.filter(Person.objects.filter(status=PersonStatus.RESIDENT)).count()
    households = scope.filter(Household.objects.all()).count()
    members = scope.filter(PartyMember.objects.filter(status=MemberStatus.ACTIVE)).count()
    organizations = scope.filter(PartyOrganization.objects.all()).count()
    buildings = scope.filter(Place.objects.filter(level=PlaceLevel.BUILDING)).count()
    return f"楼栋 {buildings:,} 栋，{households:,} 户，居民 {residents:,} 人，党员 {members:,} 名，党组织 {organizations:,} 个"
