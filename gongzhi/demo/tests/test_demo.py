"""The small demo district: sizes, valid personal data, sound trees, true counters, the logins."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from gongzhi.accounts.models import Role, RoleGrant, User
from gongzhi.core import pii
from gongzhi.core.testing import ensure_default_config
from gongzhi.core.validators import parse_id_number, validate_mobile
from gongzhi.demo import names
from gongzhi.demo.families import add_years, age_on
from gongzhi.demo.generator import DemoRefused, demo_build
from gongzhi.demo.logins import DEMO_PASSWORD
from gongzhi.demo.places import grid_numbers
from gongzhi.demo.wipe import demo_wipe
from gongzhi.org.models import THREE_NO_Q, Grid, PartyOrganization, Place, PlaceLevel
from gongzhi.people.models import Household, MemberCategory, MemberStatus, PartyMember, Person, PersonStatus

AS_OF = dt.date(2025, 6, 30)
SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, built once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        ensure_default_config()  # a browser test run before may have flushed them
        summary = demo_build(scale="small", seed=SEED, as_of=AS_OF)
        yield summary
        with transaction.atomic():
            demo_wipe()


def people_and_numbers():
    return [(p.name, pii.decrypt(p.id_number_enc)) for p in Person.objects.order_by("pk")]


@pytest.mark.django_db
def test_small_district_has_the_expected_size(demo):
    assert Place.objects.filter(level=PlaceLevel.DISTRICT).get().code == names.DISTRICT_CODE
    assert Place.objects.filter(level=PlaceLevel.STREET).count() == 1
    assert Place.objects.filter(level=PlaceLevel.COMMUNITY).count() == 3
    assert 2500 <= Person.objects.count() <= 3500
    households = Household.objects.count()
    assert 2.4 <= Person.objects.count() / households <= 3.0
    assert Place.objects.filter(THREE_NO_Q).exists()
    assert demo.counts["居民（含迁出、死亡）"] == Person.objects.count()


@pytest.mark.django_db
def test_place_codes_follow_the_statistical_division_codes(demo):
    street = Place.objects.get(level=PlaceLevel.STREET)
    assert street.code == names.DISTRICT_CODE + "001000"
    for community in Place.objects.filter(level=PlaceLevel.COMMUNITY):
        assert len(community.code) == 12 and community.code.startswith(street.code[:9])
        assert community.code[9:] != "000"


@pytest.mark.django_db
def test_every_id_number_and_phone_is_valid_and_matches_the_row(demo):
    phones = 0
    for person in Person.objects.all():
        info = parse_id_number(pii.decrypt(person.id_number_enc))
        assert info.area_code == names.DISTRICT_CODE
        assert (info.birth_date, info.gender) == (person.birth_date, person.gender)
        assert person.id_number_hash == pii.blind_index(info.number)
        assert person.id_number_mask == pii.mask_id_number(info.number)
        if person.phone_enc:
            phone = pii.decrypt(person.phone_enc)
            assert validate_mobile(phone) == phone and person.phone_mask == pii.mask_phone(phone)
            phones += 1
    assert 0 < phones < Person.objects.count()  # some residents (children first) have no phone


@pytest.mark.django_db
def test_households_have_one_head_and_ages_that_fit(demo):
    people = defaultdict(list)
    for person in Person.objects.all():
        people[person.household_id].append(person)
    for household in Household.objects.all():
        members = people[household.pk]
        assert 1 <= len(members) <= 6
        heads = [p for p in members if p.relation_to_head == "本人"]
        assert [p.pk for p in heads] == [household.head_id]
        assert all(p.place_id == household.place_id for p in members)
        head = heads[0]
        for person in members:
            assert person.relation_to_head in {"本人", "配偶", "子女", "父母", "孙子女", "兄弟姐妹"}
            if person.relation_to_head == "子女":
                assert age_on(person.birth_date, AS_OF) < age_on(head.birth_date, AS_OF) - 15
            if person.relation_to_head == "父母":
                assert age_on(person.birth_date, AS_OF) > age_on(head.birth_date, AS_OF) + 15
            if person.relation_to_head == "配偶":
                assert person.gender != head.gender


@pytest.mark.django_db
def test_every_building_is_in_one_grid_of_its_own_community(demo):
    buildings = Place.objects.filter(level=PlaceLevel.BUILDING).select_related("grid__community")
    assert buildings.exists()
    for building in buildings:
        assert building.grid is not None
        assert building.path.startswith(building.grid.community.path)
    for grid in Grid.objects.all():
        assert grid.code.startswith(grid.community.code + "-")


def test_grids_are_cut_in_order_into_about_300_to_500_households():
    sizes = [30, 48, 90, 132, 56, 56, 84, 120, 40, 64, 96, 72, 110, 60, 88, 44, 130, 70, 52, 100] * 5
    numbers = grid_numbers(sizes)
    assert numbers == sorted(numbers) and numbers[0] == 1
    per_grid = Counter()
    for size, number in zip(sizes, numbers):
        per_grid[number] += size
    assert set(per_grid) == set(range(1, max(numbers) + 1))
    assert all(300 <= households <= 500 for households in per_grid.values()), per_grid
    assert grid_numbers([120, 80]) == [1, 1]  # a small community is one grid


@pytest.mark.django_db
def test_treebeard_agrees_with_the_computed_paths(demo):
    assert all(problems == [] for problems in Place.objects.find_problems())
    assert all(problems == [] for problems in PartyOrganization.objects.find_problems())
    district = Place.objects.get(level=PlaceLevel.DISTRICT)
    street = Place.objects.get_children(district).get()
    assert street.level == PlaceLevel.STREET
    assert Place.objects.get_children(street).count() == 3
    committee = PartyOrganization.objects.get(kind__code="street_committee")
    assert committee.place == street and PartyOrganization.objects.get_children(committee).count() == committee.numchild


@pytest.mark.django_db
def test_place_and_organisation_counters_equal_the_records(demo):
    residents = Counter(Person.objects.filter(status=PersonStatus.RESIDENT).values_list("place_id", flat=True))
    households = Counter(Household.objects.values_list("place_id", flat=True))
    members = Counter(
        Person.objects.filter(status=PersonStatus.RESIDENT, party_member__status=MemberStatus.ACTIVE).values_list("place_id", flat=True)
    )
    for place in Place.objects.all():
        assert (place.resident_count, place.household_count, place.member_count) == (
            residents[place.pk], households[place.pk], members[place.pk]
        ), place.name
    by_org = Counter(PartyMember.objects.filter(status=MemberStatus.ACTIVE).values_list("organization_id", flat=True))
    for org in PartyOrganization.objects.all():
        assert org.member_count == by_org[org.pk], org.name


@pytest.mark.django_db
def test_party_organisations_and_members_are_plausible(demo):
    compounds = Place.objects.filter(level=PlaceLevel.COMPOUND)
    covered = compounds.filter(covering_organizations__kind__covers_compounds=True).distinct().count()
    assert 0 < covered < compounds.count()  # 小区党组织覆盖率 below 100%
    assert PartyOrganization.objects.filter(kind__code="community_committee").count() == 3
    assert PartyOrganization.objects.exclude(secretary_name="").count() == PartyOrganization.objects.count()
    adults = sum(1 for p in Person.objects.only("birth_date") if age_on(p.birth_date, AS_OF) >= 18)
    assert 0.03 <= PartyMember.objects.count() / adults <= 0.07
    for member in PartyMember.objects.select_related("person"):
        assert age_on(member.person.birth_date, member.joined_on) >= 18
        if member.category == MemberCategory.FULL:
            assert member.full_on == add_years(member.joined_on, 1) and member.joined_on <= AS_OF - dt.timedelta(days=365)
            assert member.person.political_status == "member"
        else:
            assert member.full_on is None and member.joined_on > AS_OF - dt.timedelta(days=366)
            assert member.person.political_status == "probationary"
        assert member.is_away == bool(member.away_location)


@pytest.mark.django_db
def test_six_demo_logins_with_their_grants(demo):
    street = Place.objects.get(level=PlaceLevel.STREET)
    expected = {
        "quwei": (Role.DISTRICT_ADMIN, "place"),
        "jiedao1": (Role.STREET_STAFF, "place"),
        "shequ1": (Role.COMMUNITY_WORKER, "place"),
        "shequ2": (Role.COMMUNITY_WORKER, "place"),
        "wangge1": (Role.GRID_WORKER, "grid"),
        "zhibu1": (Role.BRANCH_SECRETARY, "organization"),
    }
    grants = {}
    for username, (role, target) in expected.items():
        user = User.objects.get(username=username)
        assert user.is_staff and not user.is_superuser and user.display_name and user.check_password(DEMO_PASSWORD)
        grant = RoleGrant.objects.get(user=user)
        assert grant.role == role and getattr(grant, f"{target}_id")
        grants[username] = grant
    assert grants["quwei"].place.level == PlaceLevel.DISTRICT
    assert grants["jiedao1"].place == street
    c1, c2 = grants["shequ1"].place, grants["shequ2"].place
    assert c1 != c2 and c1.level == c2.level == PlaceLevel.COMMUNITY and Place.objects.get_parent(c1) == Place.objects.get_parent(c2) == street
    assert grants["wangge1"].grid == Grid.objects.filter(community=c1).order_by("code").first()
    branch = grants["zhibu1"].organization
    assert branch.kind.code == "compound_branch" and branch.path.startswith(PartyOrganization.objects.get(place=c1).path)
    assert branch.secretary_name == names.LOGIN_NAMES["zhibu1"]


@pytest.mark.django_db
def test_without_reset_the_command_refuses(demo):
    with pytest.raises(DemoRefused):
        demo_build(scale="small", seed=SEED, as_of=AS_OF)
    with pytest.raises(CommandError) as e:
        call_command("demo", "--scale", "small", "--seed", "1")
    assert "--reset" in str(e.value)


@pytest.mark.django_db
def test_same_seed_gives_the_same_people_another_seed_does_not(demo):
    first = people_and_numbers()
    demo_build(scale="small", seed=SEED, as_of=AS_OF, reset=True)
    assert people_and_numbers() == first
    demo_build(scale="small", seed=SEED + 1, as_of=AS_OF, reset=True)
    assert people_and_numbers() != first
    assert User.objects.filter(username="quwei").count() == 1


@pytest.mark.django_db
def test_organisational_life_history_makes_every_figure_show_something(demo):
    from gongzhi.core.scope import EVERYTHING
    from gongzhi.partylife import selectors
    from gongzhi.partylife.models import Attendance, AttendanceStatus, Meeting
    from gongzhi.partylife.services import members_due

    assert demo.counts["会议"] == Meeting.objects.count() > 500 and demo.counts["出席记录"] == Attendance.objects.count()
    # three years of whole months up to May 2025 (AS_OF is 30 June): nothing in June or later
    assert Meeting.objects.filter(held_on__gte=dt.date(2025, 6, 1)).count() == 0
    assert Meeting.objects.filter(held_on__lt=dt.date(2023, 1, 1)).count() == 0
    rows = selectors.compliance(scope=EVERYTHING, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    rate = selectors.total(rows).rate
    assert 0.75 < rate < 0.99 and any(c.lagging for c in rows) and any(not c.lagging for c in rows)
    assert 0.7 < selectors.education_coverage(scope=EVERYTHING, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)).rate < 1
    warnings = selectors.member_warnings(scope=EVERYTHING, today=AS_OF)
    assert {w.kind for w in warnings} == {"absences", "inactive"}
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses[AttendanceStatus.PRESENT] > statuses[AttendanceStatus.LEAVE] > 0 and statuses[AttendanceStatus.ABSENT] > 0
    meeting = Meeting.objects.order_by("id").first()  # attendance is exactly who was due that day
    assert set(meeting.attendance.values_list("member_id", flat=True)) == set(members_due(meeting.organization, meeting.held_on).values_list("id", flat=True))


def test_resources_teams_and_shifts_are_there_and_closed_projects_score_their_members(demo):
    from gongzhi.needs.models import Project, ProjectResource, ProjectStatus, Resource, ResourceKind
    from gongzhi.points.models import PointEntry
    from gongzhi.volunteers.models import Post, ServiceRecord, ServiceSource, Shift, ShiftLog, Team

    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == set(ResourceKind.values) and demo.counts["资源"] == Resource.objects.count()
    assert Resource.objects.filter(kind=ResourceKind.TALENT, skills__isnull=True).count() == 0  # 才 always has a skill
    assert demo.counts["项目投入资源"] == ProjectResource.objects.count() > 0
    assert Team.objects.count() == demo.counts["志愿者队伍"] > 0 and Post.objects.count() == demo.counts["志愿服务岗位"] > 0
    assert ShiftLog.objects.filter(shift__post__name="防汛应急值守点").exists() and Shift.objects.count() == demo.counts["值守班次"]
    assert ServiceRecord.objects.filter(source=ServiceSource.SHIFT).exists()
    closed = Project.objects.filter(status=ProjectStatus.CLOSED)
    assert closed.exclude(public_summary="").count() == closed.count() > 0
    served = set(ProjectResource.objects.filter(project__in=closed, resource__person__party_member__isnull=False,
                                                project__closed_on__gte=dt.date(AS_OF.year - 2, 1, 1))
                 .values_list("resource__person__party_member", "project_id"))
    scored = set(PointEntry.objects.filter(source_kind="project").values_list("member_id", "source_id"))
    assert served and {(m, str(p)) for m, p in served} == scored
