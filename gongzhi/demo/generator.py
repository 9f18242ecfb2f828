"""The synthetic demo district: `demo_build(scale=..., seed=...)`.

One random.Random(seed) drives everything, in a fixed order (places, organisations, people,
logins), so a seed and a reference date (`as_of`, default today) give the same places, names,
ID numbers, phones and memberships every time; only ciphertexts differ (random nonces). The
random draws do not depend on the date, so another day gives the same district with dates
(and so birth dates and ID numbers) shifted.

Rows are streamed: places and organisations are planned in memory (a few thousand objects),
people are generated building by building and written in batches with bulk_create; counters
(Place.resident_count … and PartyOrganization.member_count) are tallied on the way and written
at the end. The whole build is one transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.test.utils import override_settings

from gongzhi.core.pinyin import name_initials
from gongzhi.needs.models import Need, NeedStep, Project, ProjectResource, ProjectTask, Resource
from gongzhi.org.models import Grid, NewOrganization, PartyOrganization, Place
from gongzhi.partylife.models import Attendance, AwayReport, Meeting
from gongzhi.people.models import CommunityCheckin, Household, MemberStatus, PartyMember, Person, PersonStatus
from gongzhi.people.services import identity_fields, phone_fields
from gongzhi.points.models import IndicatorScore, MemberCycleTotal, PointEntry, StarEvaluation
from gongzhi.volunteers.models import Activity, Post, ServiceRecord, Shift, ShiftAssignment, ShiftLog, Signup, Team, TeamMembership, Volunteer

from . import names
from .bank import bank_history
from .culture import culture_history
from .decisions import decisions_history
from .lectures import lectures_history
from .mediation import mediation_history
from .bulk import BatchWriter, KeySequence, Stopwatch, planner_statistics_refresh, sequences_reset, sqlite_page_cache, write_all
from .families import FamilyMaker, Resident
from .logins import DemoLogin, demo_logins_create
from .party import Home, MemberPlanner, OrgPlan, OrgPlanner
from .partylife import partylife_history
from .needs import needs_history
from .points import points_history
from .resources import resources_history
from .stars import stars_history
from .volunteers import volunteers_history
from .places import SCALES, Building, DistrictPlan, PlacePlanner, room_labels
from .wipe import demo_wipe

BATCH_ROWS = 5000  # people per flush
PROGRESS_EVERY = 100_000  # people between progress lines
LOADED_MODELS = (Place, Grid, PartyOrganization, PartyOrganization.covers.through, NewOrganization, Household, Person, PartyMember, CommunityCheckin,
                 Meeting, Attendance, AwayReport, PointEntry, MemberCycleTotal, StarEvaluation, IndicatorScore,
                 Need, NeedStep, Project, ProjectTask, Resource, ProjectResource, Volunteer, Activity, Signup, ServiceRecord,
                 Team, TeamMembership, Post, Shift, ShiftAssignment, ShiftLog)


class DemoRefused(Exception):
    """The database already holds a district and --reset was not given."""


@dataclass
class DemoSummary:
    scale: str
    seed: int
    as_of: dt.date
    counts: dict[str, int]
    seconds: float
    logins: list[DemoLogin]


def demo_status() -> str:
    """Either "empty" (no place yet: scripts/run then loads the small demo) or "present"."""
    return "present" if Place.objects.exists() else "empty"


def demo_build(
    *, scale: str = "small", seed: int = 1, reset: bool = False, as_of: dt.date | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> DemoSummary:
    if scale not in SCALES:
        raise ValueError(f"未知的规模“{scale}”，可选：{'、'.join(SCALES)}。")
    as_of = as_of or dt.date.today()
    # DEBUG would keep (and on SQLite re-quote) the SQL text of every insert: off while building.
    with override_settings(DEBUG=False), sqlite_page_cache(), transaction.atomic():
        if Place.objects.exists():
            if not reset:
                raise DemoRefused("数据库中已有区划数据，未生成演示数据。如需清空后重新生成，请加 --reset（将删除全部居民、党组织、区划、网格和非超级用户）。")
            watch = Stopwatch()
            progress("【清空已有数据】开始 …")
            demo_wipe(progress)
            progress(f"【清空已有数据】完成，用时 {watch.seconds:.1f} 秒")
        return DistrictBuild(scale=scale, seed=seed, as_of=as_of, progress=progress).run()


class DistrictBuild:
    def __init__(self, *, scale: str, seed: int, as_of: dt.date, progress: Callable[[str], None]):
        self.scale_name, self.seed, self.as_of = scale, seed, as_of
        self.scale = SCALES[scale]
        self.rng = random.Random(seed)
        self.progress = progress
        self.watch = Stopwatch()
        self.families = FamilyMaker(self.rng, as_of, names.DISTRICT_CODE)
        self.writer = BatchWriter([Household, Person, PartyMember, CommunityCheckin], batch_size=1000)
        # Records attached directly to each building / organisation: [residents, households, members].
        self.place_tally: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.org_tally: Counter[int] = Counter()
        self.tally: Counter[str] = Counter()

    def run(self) -> DemoSummary:
        plan = self._stage("区划、网格", self._places)
        orgs = self._stage("党组织、两新组织", lambda: self._organizations(plan))
        self._stage("居民、户、党员", lambda: self._people(plan, orgs))
        self._stage("计数", lambda: self._counters(plan, orgs))
        self.tally.update(self._stage("组织生活", lambda: partylife_history(
            rng=self.rng, as_of=self.as_of, years=self.scale.meeting_years, progress=self.progress)))
        self.tally.update(self._stage("三张清单", lambda: needs_history(
            rng=self.rng, as_of=self.as_of, needs=self.scale.needs, projects=self.scale.projects, progress=self.progress)))
        logins = self._stage("演示账号", lambda: demo_logins_create(plan, orgs))
        self.tally.update(self._stage("志愿服务", lambda: volunteers_history(rng=self.rng, as_of=self.as_of, progress=self.progress)))
        self.tally.update(self._stage("资源清单", lambda: resources_history(rng=self.rng, as_of=self.as_of, progress=self.progress)))
        # after every record that scores (meetings, volunteer hours, projects): one sync, one recount
        self.tally.update(self._stage("党员积分", lambda: points_history(
            rng=self.rng, as_of=self.as_of, years=self.scale.points_years, progress=self.progress)))
        self.tally.update(self._stage("五星支部", lambda: stars_history(rng=self.rng, as_of=self.as_of, progress=self.progress)))
        self.tally.update(self._stage("道德银行", lambda: bank_history(rng=self.rng, as_of=self.as_of, bulk=self.scale_name != "small", progress=self.progress)))
        for title, history in (("民主决策", decisions_history), ("矛盾调解", mediation_history), ("法治讲座", lectures_history), ("德治", culture_history)):
            self.tally.update(self._stage(title, lambda history=history: history(rng=self.rng, as_of=self.as_of, bulk=self.scale_name != "small",
                                                                                progress=self.progress)))
        self._stage("数据库统计信息", lambda: planner_statistics_refresh(LOADED_MODELS))
        sequences_reset(LOADED_MODELS)
        return DemoSummary(self.scale_name, self.seed, self.as_of, self._counts(plan, orgs), self.watch.seconds, logins)

    def _stage(self, title: str, work):
        watch = Stopwatch()
        self.progress(f"【{title}】开始 …")
        result = work()
        self.progress(f"【{title}】完成，用时 {watch.seconds:.1f} 秒")
        return result

    # places and organisations -------------------------------------------------------------
    def _places(self) -> DistrictPlan:
        plan = PlacePlanner(self.rng, self.scale).plan()
        write_all(Place, plan.upper_places())
        write_all(Grid, plan.grids())
        write_all(Place, plan.lower_places())
        self.progress(f"  {len(plan.upper_places()) + len(plan.lower_places()):,} 个地点，{len(plan.grids()):,} 个网格")
        return plan

    def _organizations(self, plan: DistrictPlan) -> OrgPlan:
        orgs = OrgPlanner(self.rng, self.as_of, self.families, self.scale.new_orgs_per_street).build(plan)
        write_all(PartyOrganization, orgs.organizations)
        write_all(PartyOrganization.covers.through, orgs.covers)
        write_all(NewOrganization, orgs.new_organizations)
        self.progress(f"  党组织 {len(orgs.organizations):,} 个，两新组织 {len(orgs.new_organizations):,} 个")
        return orgs

    # people ---------------------------------------------------------------------------------
    def _people(self, plan: DistrictPlan, orgs: OrgPlan) -> None:
        self.members = MemberPlanner(self.rng, self.as_of, orgs)
        self.household_keys, self.person_keys = KeySequence(Household), KeySequence(Person)
        self.people_watch, self.next_report = Stopwatch(), PROGRESS_EVERY
        for street in plan.streets:
            for community in street.communities:
                for compound in community.compounds:
                    home = Home(street=street.place, community=community.place, compound=compound.place)
                    for building in compound.buildings:
                        for room in room_labels(self.rng, building):
                            self._household(building, room, home)
                        self._flush_when_full()
        self.writer.flush()
        self._report_people()

    def _household(self, building: Building, room: str, home: Home) -> None:
        family = self.families.household()
        household_id = self.household_keys.take()
        person_ids = [self.person_keys.take() for _ in family]
        self.writer.add(Household(pk=household_id, place_id=building.place.pk, room=room, head_id=person_ids[0]))
        self.place_tally[building.place.pk][1] += 1
        for index, (resident, person_id) in enumerate(zip(family, person_ids)):
            member = self.members.member_for(resident, person_id, home, is_head=index == 0)
            self.writer.add(self._person(resident, person_id, household_id, building, member))
            if member is not None:
                self._add_member(member, resident, building, home)

    def _person(self, resident: Resident, person_id: int, household_id: int, building: Building, member) -> Person:
        status = _person_status(member)
        if status == PersonStatus.RESIDENT:
            self.place_tally[building.place.pk][0] += 1
        self.tally[f"person_{status}"] += 1
        political = self.members.political_status(resident, member)
        return Person(
            pk=person_id, name=resident.name, name_initials=name_initials(resident.name), ethnicity=resident.ethnicity,
            place_id=building.place.pk, household_id=household_id, relation_to_head=resident.relation,
            political_status=political, status=status,
            **identity_fields(resident.id_number, gender=resident.gender, birth_date=resident.birth_date),
            **phone_fields(resident.phone),
        )

    def _add_member(self, member: PartyMember, resident: Resident, building: Building, home: Home) -> None:
        self.writer.add(member)
        self.tally[f"member_{member.status}"] += 1
        self.tally[f"member_{member.category}"] += 1
        self.tally["member_away"] += member.is_away
        if member.status == MemberStatus.ACTIVE:
            self.org_tally[member.organization_id] += 1
            self.place_tally[building.place.pk][2] += 1
        checkin = self.members.checkin_for(member, resident, home)
        if checkin is not None:
            self.writer.add(checkin)

    def _flush_when_full(self) -> None:
        if self.writer.pending(Person) < BATCH_ROWS:
            return
        self.writer.flush()
        if self.writer.written[Person] >= self.next_report:
            self.next_report += PROGRESS_EVERY
            self._report_people()

    def _report_people(self) -> None:
        written = self.writer.written
        rate = self.people_watch.rate(written[Person])
        self.progress(f"  已写入居民 {written[Person]:,} 人、{written[Household]:,} 户、党员 {written[PartyMember]:,} 名（{rate:,.0f} 人/秒）")

    # counters and summary -------------------------------------------------------------------
    def _counters(self, plan: DistrictPlan, orgs: OrgPlan) -> None:
        buildings = [b.place for b in plan.buildings()]
        for place in buildings:
            place.resident_count, place.household_count, place.member_count = self.place_tally[place.pk]
        Place.objects.bulk_update(buildings, ["resident_count", "household_count", "member_count"], batch_size=500)
        for org in orgs.organizations:
            org.member_count = self.org_tally[org.pk]
        PartyOrganization.objects.bulk_update(orgs.organizations, ["member_count"], batch_size=500)

    def _counts(self, plan: DistrictPlan, orgs: OrgPlan) -> dict[str, int]:
        compounds = plan.compounds()
        written = self.writer.written
        kinds = Counter(o.kind_id for o in orgs.organizations)
        kind_names = dict(PartyOrganization.objects.values_list("kind_id", "kind__name").distinct())
        counts = {
            "街道": len(plan.streets), "社区": len(plan.communities()), "小区": len(compounds),
            "三无小区": sum(k.style == "three_no" for k in compounds),
            "已建党组织的小区": len(orgs.branch_of_compound), "楼栋": len(plan.buildings()), "网格": len(plan.grids()),
            "户": written[Household], "居民（含迁出、死亡）": written[Person], "在册居民": self.tally["person_resident"],
            "党员": written[PartyMember], "预备党员": self.tally["member_probationary"], "在外党员": self.tally["member_away"],
            "已转出党员": self.tally["member_transferred_out"], "已去世党员": self.tally["member_deceased"],
            "在职党员报到": written[CommunityCheckin], "两新组织": len(orgs.new_organizations),
            "会议": self.tally["meetings"], "出席记录": self.tally["attendance"], "在外党员汇报": self.tally["away_reports"],
            "免于参加组织生活": self.tally["exemptions"], "积分记录": self.tally["point_entries"],
            "星级评定": self.tally["star_evaluations"], "需求": self.tally["needs"], "项目": self.tally["projects"],
            "志愿者": self.tally["volunteers"], "志愿服务活动": self.tally["volunteer_activities"], "认定工时记录": self.tally["service_records"],
            "志愿者队伍": self.tally["volunteer_teams"], "志愿服务岗位": self.tally["volunteer_posts"], "值守班次": self.tally["shifts"],
            "资源": self.tally["resources"], "项目投入资源": self.tally["project_resources"],
        }
        counts.update({f"党组织·{kind_names[k]}": n for k, n in kinds.items()})
        return counts


def _person_status(member: PartyMember | None) -> str:
    if member is None or member.status == MemberStatus.ACTIVE:
        return PersonStatus.RESIDENT
    return PersonStatus.DECEASED if member.status == MemberStatus.DECEASED else PersonStatus.MOVED_OUT
