"""The points ledger on hand-made cases: automatic entries from meetings, idempotent sync and
rebuild, a mid-year rule change, caps, manual entries and their approval, reversals, the floor,
the nearest rule set, rankings."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gongzhi.partylife import services as meetings
from gongzhi.partylife.models import Attendance, AttendanceStatus, Meeting, MeetingType
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory
from gongzhi.points import selectors, services
from gongzhi.points.models import EntryStatus, MemberCycleTotal, PointEntry, Rule, RuleSet

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
TODAY = dt.date(2026, 11, 27)


def types():
    return {t.code: t for t in MeetingType.objects.all()}


def held(w, code, day, statuses, lecturer=None):
    """A meeting of K1 on `day` with the given attendance {member: status}."""
    m = Meeting.objects.create(organization=w.O_K1, meeting_type=types()[code], held_on=day, topic=code, lecturer=lecturer)
    for member, status in statuses.items():
        Attendance.objects.create(meeting=m, member=member, status=status)
    return m


def live(member):
    """(source kind, code, amount) of the member's counting entries, reversals netted out."""
    rows = PointEntry.objects.filter(member=member, status=EntryStatus.APPROVED, reversed_by__isnull=True).exclude(source_kind="reversal")
    return sorted((e.source_kind, e.code, e.amount) for e in rows)


def score(w, member, scope_of):
    return selectors.member_statement(scope=scope_of(w.quwei), member=member, cycle=2026, today=TODAY)


@pytest.fixture
def default_rules():
    return {r.code: r for r in Rule.objects.filter(version__ruleset__organization__isnull=True)}


def test_meetings_score_and_sync_twice_changes_nothing(world, scope_of):
    w, zs = world, world.m_zhangsan
    P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    held(w, "theme_day", dt.date(2026, 3, 5), {zs: P})  # +1 attend
    committee = held(w, "committee", dt.date(2026, 4, 2), {zs: A})  # −2 absent (三会一课)
    held(w, "lecture", dt.date(2026, 5, 8), {zs: A})  # −3 absent_study (党课)
    held(w, "committee", dt.date(2026, 6, 2), {zs: AttendanceStatus.LEAVE})  # 请假: nothing
    held(w, "lecture", dt.date(2025, 5, 8), {zs: P})  # another year: outside the window
    first = services.ledger_sync(start=YEAR[0], end=YEAR[1])
    assert (first.added, first.reversed) == (3, 0)
    assert live(zs) == [("attendance", "absent", D("-2")), ("attendance", "absent_study", D("-3")), ("attendance", "attend", D("1"))]
    s = score(w, zs, scope_of)
    assert (s.delta, s.score, s.grade.label) == (D("-4"), D("56"), "不合格")  # 60 − 4, below 基本合格 60
    again = services.ledger_sync(start=YEAR[0], end=YEAR[1])
    assert (again.added, again.reversed) == (0, 0) and PointEntry.objects.count() == 3
    # the secretary corrects the committee meeting: he was there after all
    Attendance.objects.filter(meeting=committee, member=zs).update(status=P)
    fixed = services.ledger_sync(start=YEAR[0], end=YEAR[1])
    assert (fixed.added, fixed.reversed) == (1, 1)
    assert live(zs) == [("attendance", "absent_study", D("-3")), ("attendance", "attend", D("1")), ("attendance", "attend", D("1"))]
    assert score(w, zs, scope_of).score == D("59")
    assert MemberCycleTotal.objects.get(member=zs, cycle=2026).total == D("-1")
    # rebuilding from the records alone gives the same counting entries, entry for entry
    before = live(zs)
    PointEntry.objects.filter(reverses__isnull=False).delete()
    PointEntry.objects.all().delete()
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    assert live(zs) == before and PointEntry.objects.filter(source_kind="reversal").count() == 0


def test_a_mid_year_rule_change_affects_only_later_entries(world, scope_of):
    w, zs = world, world.m_zhangsan
    held(w, "theme_day", dt.date(2026, 6, 10), {zs: AttendanceStatus.PRESENT})
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    ruleset = RuleSet.objects.get(organization__isnull=True)
    with pytest.raises(ValidationError) as e:
        services.version_create(acting_user=w.quwei, ruleset=ruleset, effective_from=dt.date(2026, 6, 1), note="回溯", today=dt.date(2026, 6, 30))
    assert "不能早于今天" in e.value.message_dict["effective_from"][0]
    v2 = services.version_create(acting_user=w.quwei, ruleset=ruleset, effective_from=dt.date(2026, 7, 1), note="参会加分提高到2分", today=dt.date(2026, 6, 30))
    Rule.objects.filter(version=v2, code="attend").update(points=D("2"))
    held(w, "theme_day", dt.date(2026, 7, 10), {zs: AttendanceStatus.PRESENT})
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    entries = {e.occurred_on: (e.amount, e.rule.version.number) for e in PointEntry.objects.filter(member=zs).select_related("rule__version")}
    assert entries == {dt.date(2026, 6, 10): (D("1"), 1), dt.date(2026, 7, 10): (D("2"), 2)}
    assert v2.rules.count() == 11 and set(v2.rules.get(code="absent").meeting_types.values_list("code", flat=True)) == {
        "branch_congress", "committee", "group", "theme_day", "life_meeting", "review"}


def test_caps_count_in_date_order_and_are_noted(world, default_rules):
    w, zs = world, world.m_zhangsan
    Rule.objects.filter(pk=default_rules["attend"].pk).update(cap=D("2"))
    for day in (dt.date(2026, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        held(w, "theme_day", day, {zs: AttendanceStatus.PRESENT})
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    rows = list(PointEntry.objects.filter(member=zs).order_by("occurred_on").values_list("occurred_on", "amount", "note"))
    assert [(d.month, a) for d, a, _n in rows] == [(1, D("1")), (2, D("1")), (3, D("0"))]
    assert "已达本年度上限 2.0 分" in rows[2][2]


def test_lecture_given_scores_the_lecturer(world):
    w, zs = world, world.m_zhangsan
    held(w, "lecture", dt.date(2026, 9, 1), {zs: AttendanceStatus.PRESENT}, lecturer=zs)
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    assert live(zs) == [("attendance", "attend", D("1")), ("lecture", "lecture", D("5"))]


def test_manual_entry_counts_after_approval_and_reversal_cancels_it(world, scope_of, default_rules):
    w, zs = world, world.m_zhangsan
    article = default_rules["article"]
    with pytest.raises(ValidationError) as e:
        services.entry_create(scope=scope_of(w.shequ1), acting_user=w.shequ1, member=zs, rule=default_rules["attend"], occurred_on=dt.date(2026, 5, 1),
                              evidence="", today=TODAY)
    assert set(e.value.message_dict) == {"rule", "evidence"}
    with pytest.raises(Http404):
        services.entry_create(scope=scope_of(w.shequ2), acting_user=w.shequ2, member=zs, rule=article, occurred_on=dt.date(2026, 5, 1), evidence="x", today=TODAY)
    entry = services.entry_create(scope=scope_of(w.shequ1), acting_user=w.shequ1, member=zs, rule=article, occurred_on=dt.date(2026, 5, 1),
                                  quantity=D("2"), evidence="《我的初心》《社区里的党员》", today=TODAY)
    assert (entry.status, entry.amount) == (EntryStatus.PENDING, D("6"))
    assert score(w, zs, scope_of).score == D("60")  # pending counts for nothing
    with pytest.raises(PermissionDenied):  # a community worker may enter, not approve
        services.entry_approve(scope=scope_of(w.shequ1), acting_user=w.shequ1, entry=entry)
    services.entry_approve(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=entry)
    assert score(w, zs, scope_of).score == D("66")
    with pytest.raises(ValidationError, match="已审核过"):
        services.entry_approve(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=entry)
    reversal = services.entry_reverse(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=entry, reason="重复录入")
    assert (reversal.amount, reversal.reverses_id) == (D("-6"), entry.pk)
    assert score(w, zs, scope_of).score == D("60") and MemberCycleTotal.objects.get(member=zs, cycle=2026).total == D("0")
    with pytest.raises(ValidationError, match="已被冲正"):
        services.entry_reverse(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=entry, reason="再冲")
    other = services.entry_create(scope=scope_of(w.shequ1), acting_user=w.shequ1, member=zs, rule=article, occurred_on=dt.date(2026, 6, 1), evidence="x", today=TODAY)
    with pytest.raises(ValidationError) as e:
        services.entry_reject(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=other, reason=" ")
    services.entry_reject(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=other, reason="无文章原件")
    assert PointEntry.objects.get(pk=other.pk).status == EntryStatus.REJECTED and score(w, zs, scope_of).score == D("60")


def test_floor_and_grades(world, scope_of, default_rules):
    w, zs = world, world.m_zhangsan
    for i in range(7):  # −70 from 60 → floored at 0
        e = services.entry_create(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, member=zs, rule=default_rules["misconduct"],
                                  occurred_on=dt.date(2026, 3, 1 + i), evidence=f"处分{i}", today=TODAY)
        services.entry_approve(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, entry=e)
    s = score(w, zs, scope_of)
    assert (s.delta, s.score, s.grade.code) == (D("-70"), D("0"), "fail")


def test_nearest_rule_set_and_rankings_with_ties(world, scope_of, default_rules):
    w = world
    community = RuleSet.objects.create(name="幸福社区细则", organization=w.O_C1)
    services.version_create(acting_user=w.quwei, ruleset=community, effective_from=dt.date(2026, 1, 1), note="基础分80", today=dt.date(2026, 1, 1),
                            base_score=D("80"))
    li = PartyMemberFactory(person=PersonFactory(name="李甲", place=w.B1), organization=w.O_K1)
    wang = PartyMemberFactory(person=PersonFactory(name="王乙", place=w.B1), organization=w.O_K1)
    for member, day in ((li, dt.date(2026, 3, 1)), (wang, dt.date(2026, 3, 2))):
        held(w, "theme_day", day, {member: AttendanceStatus.PRESENT})
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    rows = selectors.with_names(selectors.standings(scope=scope_of(w.quwei), cycle=2026, today=TODAY))
    # K1 (under C1) starts at 80 (no rules copied into the new version: no automatic points), K3 and K4 at 60 with the default
    got = [(s.rank, s.name, s.score) for s in rows]
    assert got == [(1, "张三", D("80")), (1, "李甲", D("80")), (1, "王乙", D("80")), (4, "赵六", D("60")), (4, "孙七", D("60"))]  # ties by member number
    assert [s.name for s in selectors.with_names(selectors.standings(scope=scope_of(w.shequ2), cycle=2026, today=TODAY))] == ["赵六"]
    assert selectors.members_named(scope=scope_of(w.quwei), q="李") == {li.pk}
    assert selectors.average_score(scope=scope_of(w.quwei), organization=w.O_C1, cycle=2026, today=TODAY) == D("80.0")
    assert selectors.grade_counts(rows) == {"excellent": 0, "pass": 3, "basic": 2, "fail": 0}
    assert selectors.distribution(rows) == [("60–69", 2), ("70–79", 0), ("80–89", 3)]


def test_recording_attendance_feeds_the_ledger_after_commit(world, scope_of, django_capture_on_commit_callbacks):
    w, zs = world, world.m_zhangsan
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_create(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, organization=w.O_K1, meeting_type=types()["theme_day"],
                                          held_on=dt.date(2026, 11, 5), topic="主题党日", today=TODAY)
    assert live(zs) == [("attendance", "attend", D("1"))]
    with django_capture_on_commit_callbacks(execute=True):
        meetings.attendance_record(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, meeting=meeting, statuses={zs.pk: (AttendanceStatus.ABSENT, "")})
    assert live(zs) == [("attendance", "absent", D("-2"))]


def test_commands_sync_and_check(world, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    held(world, "theme_day", dt.date(2026, 3, 5), {world.m_zhangsan: AttendanceStatus.PRESENT})
    call_command("points_sync", "--from", "2026-01-01", "--to", "2026-12-31")
    assert "新增 1 条，冲正 0 条" in capsys.readouterr().out
    call_command("points_check")
    assert "一致：1 条" in capsys.readouterr().out
    MemberCycleTotal.objects.update(total=D("9"))
    with pytest.raises(CommandError, match="1 条年度合计与积分记录不符"):
        call_command("points_check")
    call_command("points_check", "--fix")
    assert MemberCycleTotal.objects.get().total == D("1")


def test_admin_adds_a_version_as_a_copy_and_keeps_used_versions_read_only(client, world):
    from django.urls import reverse

    from gongzhi.points.models import RuleVersion

    held(world, "theme_day", dt.date(2026, 3, 5), {world.m_zhangsan: AttendanceStatus.PRESENT})
    services.ledger_sync(start=YEAR[0], end=YEAR[1])
    client.force_login(world.quwei)
    v1 = RuleVersion.objects.get()
    page = client.get(reverse("admin:points_ruleversion_change", args=[v1.pk])).content.decode()
    assert 'name="rules-0-points"' not in page  # scored entries: read-only
    ruleset = v1.ruleset
    bad = client.post(reverse("admin:points_ruleversion_add"), {"ruleset": ruleset.pk, "effective_from": "2020-01-01", "note": "x",
                                                                "base_score": "60", "floor": "0", "excellent_min": "90", "pass_min": "70", "basic_min": "60"})
    assert "不能早于今天" in bad.content.decode()
    far = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = client.post(reverse("admin:points_ruleversion_add"), {"ruleset": ruleset.pk, "effective_from": far, "note": "基础分调整为70",
                                                              "base_score": "70", "floor": "0", "excellent_min": "90", "pass_min": "70", "basic_min": "60"})
    assert r.status_code == 302
    v2 = RuleVersion.objects.get(number=2)
    assert v2.base_score == D("70") and v2.rules.count() == 11 and v2.created_by == world.quwei
    client.force_login(world.shequ1)  # not a district admin: may look, not change
    assert client.post(reverse("admin:points_ruleversion_change", args=[v2.pk]), {"note": "改"}).status_code == 403


def test_verified_volunteer_hours_score_through_the_hook_and_reversal_takes_them_back(world, scope_of, django_capture_on_commit_callbacks):
    """张三 (a member) and 李四 (not one) serve 3 h and 1.6 h; the rule gives 0.5 a hour: +1.5 for 张三."""
    from django.utils import timezone

    from gongzhi.volunteers import services as volunteering
    from gongzhi.volunteers.tests.factories import activity, volunteer

    w, s = world, scope_of(world.shequ1)
    day = timezone.localdate() - dt.timedelta(days=5)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
    a = activity(w, s, starts_at=start, hours=3, capacity=5, deadline=start)
    for person, came, went in ((w.zhangsan, -20, 200), (w.lisi, 10, 107)):
        signup = volunteering.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=volunteer(w, s, person), at=start - dt.timedelta(days=1))
        volunteering.signup_check_in(scope=s, acting_user=w.shequ1, signup=signup, at=start + dt.timedelta(minutes=came))
        volunteering.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start + dt.timedelta(minutes=went))
    with django_capture_on_commit_callbacks(execute=True):
        records = volunteering.hours_verify(scope=s, acting_user=w.shequ1, activity=a)
    assert live(w.m_zhangsan) == [("volunteer", "volunteer", D("1.5"))]
    assert services.points_for(Rule(points=D("0.5")), D("2.1")) == D("1.1")  # to one decimal, half up, as the ledger keeps it
    assert PointEntry.objects.filter(source_kind="volunteer").count() == 1  # 李四 is not a party member
    mine = next(r for r in records if r.volunteer.person_id == w.zhangsan.pk)
    with django_capture_on_commit_callbacks(execute=True):
        volunteering.service_record_reverse(scope=s, acting_user=w.shequ1, record=mine, reason="重复认定")
    assert live(w.m_zhangsan) == []


def test_a_closed_project_scores_the_members_who_served_it_as_resources(world, scope_of, django_capture_on_commit_callbacks):
    """张三 (a member) and 李四 (not one) are committed as 人/才 to a project; an unrelated member
    王五 is not. Closing it gives +2 to 张三 alone, on the day it closed; syncing again writes nothing."""
    from gongzhi.needs import project_services, resources
    from gongzhi.needs.models import ResourceKind
    from gongzhi.needs.tests.factories import need

    w, s = world, scope_of(world.shequ1)
    n = need(s, w.shequ1, title="楼道灯不亮", place=w.B1)
    p = project_services.project_open(scope=s, acting_user=w.shequ1, name="楼道灯改造", organization=w.O_C1, leader_name="刘书记", needs=[n])
    for person in (w.zhangsan, w.lisi):
        r = resources.resource_register(scope=s, acting_user=w.shequ1, name=person.name, kind=ResourceKind.PERSON, place=w.B1, person=person)
        resources.resource_commit(scope=s, acting_user=w.shequ1, project=p, resource=r, note="换灯")
    closed_on = dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_close(scope=s, acting_user=w.shequ1, project=p, result="已更换12盏灯", evidence="验收单", closed_on=closed_on)
    assert live(w.m_zhangsan) == [("project", "project", D("2"))]
    entry = PointEntry.objects.get(source_kind="project")
    assert (entry.occurred_on, entry.source_id, entry.evidence) == (closed_on, str(p.pk), "楼道灯改造")
    assert PointEntry.objects.filter(source_kind="project").count() == 1  # 李四 is not a party member
    assert services.ledger_sync(start=closed_on, end=closed_on, kinds=["project"]) == services.SyncResult(0, 0)
