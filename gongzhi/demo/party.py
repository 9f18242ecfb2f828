"""The party side of the demo district: the organisation tree, 两新 organisations, members, 报到.

Tree (paths computed in memory, see bulk.TreePaths):
    街道党工委 (root, place = 街道)
    ├─ 社区党委 (place = 社区)
    │   └─ 小区党支部 (place = 小区, covers 1 小区, or 2-3 small ones: 联合建)
    │       └─ 党小组 (place = 楼栋), for some branches
    └─ 两新组织党支部 (place = the 街道 or a 社区), for some 两新 organisations
About 8% of 小区 stay uncovered; their members belong to the 社区党委.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from gongzhi.org.models import NewOrganization, NewSector, OrgKind, PartyOrganization, Place
from gongzhi.people.models import CommunityCheckin, EmployerLevel, MemberCategory, MemberStatus, PartyMember, PoliticalStatus

from . import names
from .bulk import KeySequence, TreePaths
from .families import FamilyMaker, Resident, add_years
from .places import Community, Compound, DistrictPlan, Street

KIND_CODES = ("street_committee", "community_committee", "compound_branch", "new_branch", "party_group")
UNCOVERED_SHARE = 0.08  # 小区 without a party organisation, so that 覆盖率 is not 100%
JOINT_BELOW_HOUSEHOLDS = 150  # 小区 this small may share a 联合建 branch
SECTOR_WEIGHTS = {"office_building": 20, "market": 15, "internet": 15, "law_firm": 10, "social_org": 15, "other": 25}
# Share of residents who are party members, by age band (≈4% of all residents overall).
MEMBER_RATES = ((18, 25, 0.018), (26, 35, 0.041), (36, 50, 0.045), (51, 65, 0.05), (66, 200, 0.059))
NEW_BRANCH_SHARE = 0.15  # working-age members whose 组织关系 is in a 两新 branch of their street
JOIN_AGES = ((18, 22, 35), (23, 30, 35), (31, 40, 20), (41, 55, 10))


@dataclass
class OrgPlan:
    organizations: list[PartyOrganization] = field(default_factory=list)
    covers: list = field(default_factory=list)
    new_organizations: list[NewOrganization] = field(default_factory=list)
    branch_of_compound: dict[int, PartyOrganization] = field(default_factory=dict)
    committee_of_community: dict[int, PartyOrganization] = field(default_factory=dict)
    new_branches_of_street: dict[int, list[PartyOrganization]] = field(default_factory=dict)


class OrgPlanner:
    def __init__(self, rng: random.Random, as_of: dt.date, families: FamilyMaker, new_orgs_per_street: int):
        self.rng = rng
        self.new_orgs_per_street = new_orgs_per_street
        self.as_of = as_of
        self.families = families
        self.kinds = {k.code: k for k in OrgKind.objects.filter(code__in=KIND_CODES)}
        missing = [c for c in KIND_CODES if c not in self.kinds]
        if missing:
            raise RuntimeError(f"缺少党组织类别 {'、'.join(missing)}：请先运行 migrate 载入默认类别。")
        self.sectors = list(NewSector.objects.order_by("order", "code"))
        self.keys = KeySequence(PartyOrganization)
        self.cover_keys = KeySequence(PartyOrganization.covers.through)
        self.new_org_keys = KeySequence(NewOrganization)
        self.paths = TreePaths(PartyOrganization)
        self.plan = OrgPlan()
        self.new_org_names: set[str] = set()

    def build(self, district: DistrictPlan) -> OrgPlan:
        self.uncovered = self._uncovered(district.compounds())
        for street in district.streets:
            committee = self._org(None, "street_committee", f"{street.place.name}党工委", street.place, years=(1990, 2010))
            for community in street.communities:
                self._community(committee, community)
            self._new_organizations(committee, street)
        return self.plan

    def _org(self, parent, kind: str, name: str, place: Place, years=(2012, 2024)) -> PartyOrganization:
        org = PartyOrganization(
            pk=self.keys.take(), kind_id=self.kinds[kind].pk, name=name, place_id=place.pk,
            founded_on=self._date_in(years), secretary_name=self.families.full_name(),
        )
        self.paths.add_child(parent, org) if parent else self.paths.add_root(org)
        self.plan.organizations.append(org)
        return org

    def _date_in(self, years) -> dt.date:
        start = dt.date(years[0], 1, 1)
        end = min(dt.date(years[1], 12, 31), self.as_of - dt.timedelta(days=30))
        return start + dt.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    def _community(self, street_committee, community: Community) -> None:
        committee = self._org(street_committee, "community_committee", f"{community.place.name}党委", community.place, years=(2000, 2015))
        self.plan.committee_of_community[community.place.pk] = committee
        covered = [k for k in community.compounds if k.place.pk not in self.uncovered]
        for group in self._branch_groups(covered):
            self._branch(committee, group)

    def _uncovered(self, compounds: list[Compound]) -> set[int]:
        """About UNCOVERED_SHARE of 小区 (at least one) have no branch yet, 三无小区 more often."""
        count = max(1, round(len(compounds) * UNCOVERED_SHARE))
        ranked = sorted(compounds, key=lambda k: self.rng.random() * (0.2 if k.style == "three_no" else 1.0))
        return {k.place.pk for k in ranked[:count]}

    def _branch_groups(self, covered: list[Compound]) -> list[list[Compound]]:
        """单独建 for most 小区; neighbouring small ones share one branch (联合建) now and then."""
        groups, pending_small = [], []
        for compound in covered:
            if compound.households < JOINT_BELOW_HOUSEHOLDS and self.rng.random() < 0.7:
                pending_small.append(compound)
                if len(pending_small) == self.rng.choice((2, 3)):
                    groups.append(pending_small)
                    pending_small = []
            else:
                groups.append([compound])
        groups += [[k] for k in pending_small]
        return groups

    def _branch(self, committee, group: list[Compound]) -> None:
        first = group[0].place
        name = f"{first.name}党支部" if len(group) == 1 else "、".join(k.place.name for k in group) + "联合党支部"
        branch = self._org(committee, "compound_branch", name, first)
        for compound in group:
            self.plan.covers.append(PartyOrganization.covers.through(pk=self.cover_keys.take(), partyorganization_id=branch.pk, place_id=compound.place.pk))
            self.plan.branch_of_compound[compound.place.pk] = branch
        if self.rng.random() < 0.3:
            buildings = group[0].buildings
            for building in self.rng.sample(buildings, min(len(buildings), self.rng.randint(1, 3))):
                self._org(branch, "party_group", f"{first.name}{building.place.name}党小组", building.place)

    def _new_organizations(self, street_committee, street: Street) -> None:
        """两新 organisations of a street: ~40% with their own branch, ~30% with party work only."""
        sectors = [s for s in self.sectors if s.code in SECTOR_WEIGHTS] or self.sectors
        weights = [SECTOR_WEIGHTS.get(s.code, 10) for s in sectors]
        branches = self.plan.new_branches_of_street.setdefault(street.place.pk, [])
        for _ in range(self.new_orgs_per_street):
            sector = self.rng.choices(sectors, weights=weights)[0]
            place = street.place if self.rng.random() < 0.4 else self.rng.choice(street.communities).place
            org = self._new_organization(sector, place)
            coverage = self.rng.random()
            if coverage < 0.4:
                branch = self._org(street_committee, "new_branch", f"{org.name}党支部", place, years=(2008, 2024))
                org.party_org_id, org.has_party_work = branch.pk, True
                branches.append(branch)
            elif coverage < 0.7:
                org.has_party_work = True

    def _new_organization(self, sector: NewSector, place: Place) -> NewOrganization:
        patterns = names.NEW_ORG_PATTERNS.get(sector.code, names.NEW_ORG_PATTERNS["other"])
        name = self.rng.choice(patterns).format(w=self.rng.choice(names.COMPANY_WORDS))
        while name in self.new_org_names:
            name = self.rng.choice(patterns).format(w=self.rng.choice(names.COMPANY_WORDS) + self.rng.choice(names.COMPANY_WORDS))
        self.new_org_names.add(name)
        org = NewOrganization(pk=self.new_org_keys.take(), name=name, sector_id=sector.pk, place_id=place.pk, employees=self.rng.randint(8, 400))
        self.plan.new_organizations.append(org)
        return org


@dataclass
class Home:
    """Where a resident lives, as the party side needs it."""

    street: Place
    community: Place
    compound: Place


class MemberPlanner:
    """Decides, resident by resident, who is a party member, where, since when, and who 报到."""

    def __init__(self, rng: random.Random, as_of: dt.date, orgs: OrgPlan):
        self.rng = rng
        self.as_of = as_of
        self.orgs = orgs
        self.member_keys = KeySequence(PartyMember)
        self.new_branch_ids = {o.pk for branches in orgs.new_branches_of_street.values() for o in branches}

    def political_status(self, resident: Resident, member: PartyMember | None) -> str:
        if member is not None:
            return PoliticalStatus.MEMBER if member.category == MemberCategory.FULL else PoliticalStatus.PROBATIONARY
        if 14 <= resident.age <= 28 and self.rng.random() < 0.35:
            return PoliticalStatus.LEAGUE
        if resident.age >= 30 and self.rng.random() < 0.002:
            return PoliticalStatus.DEMOCRATIC
        return PoliticalStatus.MASSES

    def member_for(self, resident: Resident, person_id: int, home: Home, is_head: bool) -> PartyMember | None:
        rate = next((r for low, high, r in MEMBER_RATES if low <= resident.age <= high), 0.0)
        if self.rng.random() >= rate:
            return None
        dates = self._dates(resident)
        if dates is None:
            return None
        category, joined_on, full_on = dates
        member = PartyMember(
            pk=self.member_keys.take(), person_id=person_id, organization_id=self._organization(resident, home).pk,
            category=category, joined_on=joined_on, full_on=full_on,
        )
        self._away(member, resident)
        if not is_head:
            self._status(member, resident)
        return member

    def _organization(self, resident: Resident, home: Home) -> PartyOrganization:
        new_branches = self.orgs.new_branches_of_street.get(home.street.pk)
        if new_branches and 22 <= resident.age <= 55 and self.rng.random() < NEW_BRANCH_SHARE:
            return self.rng.choice(new_branches)
        branch = self.orgs.branch_of_compound.get(home.compound.pk)
        return branch or self.orgs.committee_of_community[home.community.pk]

    def _dates(self, resident: Resident):
        """(category, joined_on, full_on): 预备 if admitted within the last year, else 正式."""
        birth = resident.birth_date
        adult_on = add_years(birth, 18)
        probation = self.rng.random() < (0.08 if resident.age <= 35 else 0.01)
        if probation:
            joined = self.as_of - dt.timedelta(days=self.rng.randint(15, 350))
            return (MemberCategory.PROBATIONARY, joined, None) if joined >= adult_on else None
        latest = self.as_of - dt.timedelta(days=400)
        if adult_on > latest:
            return None
        start, end, _w = self.rng.choices(JOIN_AGES, weights=[w for *_, w in JOIN_AGES])[0]
        joined = add_years(birth, self.rng.randint(start, end)) + dt.timedelta(days=self.rng.randrange(365))
        joined = min(max(joined, adult_on), latest)
        return MemberCategory.FULL, joined, add_years(joined, 1)

    def _away(self, member: PartyMember, resident: Resident) -> None:
        if resident.age <= 65 and self.rng.random() < 0.06:
            member.is_away = True
            member.away_location = self.rng.choice(names.AWAY_LOCATIONS)
            member.away_reason = self.rng.choice(names.AWAY_REASONS)

    def _status(self, member: PartyMember, resident: Resident) -> None:
        roll = self.rng.random()
        if roll < 0.01:
            member.status = MemberStatus.TRANSFERRED_OUT
        elif roll < 0.015 and resident.age >= 70:
            member.status = MemberStatus.DECEASED
        else:
            return
        days = (self.as_of - member.joined_on).days
        member.status_changed_on = self.as_of - dt.timedelta(days=self.rng.randrange(max(1, min(days, 700))))

    def checkin_for(self, member: PartyMember, resident: Resident, home: Home) -> CommunityCheckin | None:
        """在职党员到社区报到: some working-age members employed by 市直/区直 units."""
        if member.status != MemberStatus.ACTIVE or member.is_away or member.organization_id in self.new_branch_ids:
            return None
        if not 23 <= resident.age <= 59 or self.rng.random() >= 0.15:
            return None
        level = self.rng.choices((EmployerLevel.CITY, EmployerLevel.DISTRICT, EmployerLevel.OTHER), weights=(4, 4, 2))[0]
        registered = max(member.joined_on, self.as_of - dt.timedelta(days=self.rng.randint(30, 1100)))
        return CommunityCheckin(
            member_id=member.pk, employer=self.rng.choice(names.EMPLOYERS[level]), employer_level=level,
            community_id=home.community.pk, registered_on=registered,
        )

