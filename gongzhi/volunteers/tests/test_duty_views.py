"""The pages of teams, posts and shifts on hand-made cases: creating a team and changing its members,
a post with its shifts, a shift's roster (capacity, no removing after check-in), check-in/out, the
值守记录, 认定工时 and 冲正; 404 for a sibling community's objects on every page and action;
registering an 在职党员 who lives outside the scope; query counts that do not grow with rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.people.models import CommunityCheckin, EmployerLevel
from gongzhi.volunteers import services
from gongzhi.volunteers.models import (
    Post, PostKind, ServiceRecord, Shift, ShiftAssignment, ShiftLog, Team, TeamKind, TeamMembership, Volunteer, VolunteerKind,
)
from gongzhi.volunteers.tests.factories import ago, volunteer


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.fixture
def w(world, scope_of):
    world.s1, world.s2 = scope_of(world.shequ1), scope_of(world.shequ2)
    world.v1 = volunteer(world, world.s1, world.zhangsan)
    world.v_wangwu = volunteer(world, world.s1, world.wangwu)
    world.v2 = volunteer(world, world.s2, world.zhaoliu, community=world.C2)
    # 和平社区 (C2): a team with a member, a post with a shift, 赵六 on it, checked in
    world.team2 = services.team_create(scope=world.s2, acting_user=world.shequ2, community=world.C2, name="和平义诊队")
    world.m2 = services.team_member_add(scope=world.s2, acting_user=world.shequ2, team=world.team2, volunteer=world.v2)
    world.post2 = services.post_create(scope=world.s2, acting_user=world.shequ2, community=world.C2, name="和平里值守点")
    world.shift2 = services.shift_create(scope=world.s2, acting_user=world.shequ2, post=world.post2, starts_at=ago(hours=2),
                                         ends_at=ago(hours=2) + dt.timedelta(hours=4), capacity=3)
    world.a2 = services.shift_assign(scope=world.s2, acting_user=world.shequ2, shift=world.shift2, volunteer=world.v2)
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def _my_shift(w, capacity=2, hours_ago=3):
    post = services.post_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="东门值守点")
    start = ago(hours=hours_ago)
    return services.shift_create(scope=w.s1, acting_user=w.shequ1, post=post, starts_at=start, ends_at=start + dt.timedelta(hours=4),
                                 capacity=capacity)


# ---- teams ----------------------------------------------------------------------------------------


def test_create_a_team_add_and_remove_members(c1, w):
    r = c1.post(reverse("volunteers:team_new"), {"name": "幸福红马甲", "community": w.C1.pk, "kind": TeamKind.PROFESSIONAL,
                                                 "leader_name": "刘书记", "founded_on": "2024-03-05", "description": "楼道巡查"})
    team = Team.objects.get(name="幸福红马甲")
    url = reverse("volunteers:team", args=[team.pk])
    assert r.status_code == 302 and r["Location"] == url
    assert team.kind == TeamKind.PROFESSIONAL and team.founded_on == dt.date(2024, 3, 5) and team.community == w.C1
    r = c1.post(reverse("volunteers:team_new"), {"name": " 幸福红马甲 ", "community": w.C1.pk, "kind": "general"})
    assert "本社区已有名为“幸福红马甲”的队伍。" in r.content.decode()
    html = c1.get(url).content.decode()
    assert "张三" in html and "王五" in html and "赵六" not in html  # offered: volunteers of 幸福社区 only
    assert "王五" not in c1.get(url + "?q=张").content.decode()
    assert c1.post(url, {"action": "add", "add-volunteer": w.v1.pk, "add-joined_on": "2025-01-01"}).status_code == 302
    r = c1.post(url, {"action": "add", "add-volunteer": w.v1.pk})
    assert "张三已在“幸福红马甲”中。" in r.content.decode()
    m = TeamMembership.objects.get(team=team, volunteer=w.v1)
    r = c1.post(url, {"action": "remove", "membership": m.pk, "left_on": "2024-12-31"})
    assert "离队日期不能早于加入日期。" in r.content.decode()
    assert c1.post(url, {"action": "remove", "membership": m.pk, "left_on": "2025-06-30"}).status_code == 302
    m.refresh_from_db()
    assert m.left_on == dt.date(2025, 6, 30)
    html = c1.get(url + "?show=former").content.decode()
    assert "张三" in html and "2025-06-30" in html
    assert "张三" in c1.get(url).content.decode()  # offered again: may rejoin


def test_team_list_search_and_kind(c1, w):
    services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="幸福义诊队", kind=TeamKind.PROFESSIONAL)
    services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="老厂文艺社", kind=TeamKind.SOCIAL_ORG)
    html = c1.get(reverse("volunteers:teams")).content.decode()
    assert "幸福义诊队" in html and "老厂文艺社" in html and "和平义诊队" not in html
    html = c1.get(reverse("volunteers:teams") + "?q=义诊").content.decode()
    assert "幸福义诊队" in html and "老厂文艺社" not in html and "和平义诊队" not in html
    html = c1.get(reverse("volunteers:teams") + "?kind=social_org").content.decode()
    assert "老厂文艺社" in html and "幸福义诊队" not in html


# ---- posts and shifts -----------------------------------------------------------------------------


def test_create_a_post_and_a_shift(c1, w):
    r = c1.post(reverse("volunteers:post_new"), {"name": "幸福家园党员先锋岗", "kind": PostKind.PIONEER, "community": w.C1.pk,
                                                 "place": w.K3.pk})
    assert r.status_code == 404  # a 小区 of the other community
    r = c1.post(reverse("volunteers:post_new"), {"name": "幸福家园党员先锋岗", "kind": PostKind.PIONEER, "community": w.C1.pk,
                                                 "place": w.K1.pk, "description": "东门"})
    post = Post.objects.get(name="幸福家园党员先锋岗")
    url = reverse("volunteers:post", args=[post.pk])
    assert r.status_code == 302 and r["Location"] == url and post.place == w.K1 and post.kind == PostKind.PIONEER
    assert "幸福社区 · 幸福家园" in c1.get(reverse("volunteers:post_new")).content.decode()
    start = ago(hours=1)
    r = c1.post(url, {"action": "shift", "shift-starts_at": _local(start), "shift-ends_at": _local(start - dt.timedelta(hours=1)),
                      "shift-capacity": 2})
    assert "结束时间应晚于开始时间。" in r.content.decode() and not Shift.objects.filter(post=post).exists()
    r = c1.post(url, {"action": "shift", "shift-starts_at": _local(start), "shift-ends_at": _local(start + dt.timedelta(hours=3)),
                      "shift-capacity": 2, "shift-note": "防汛值守"})
    shift = Shift.objects.get(post=post)
    assert r.status_code == 302 and r["Location"] == reverse("volunteers:shift", args=[shift.pk])
    assert shift.capacity == 2 and shift.note == "防汛值守"
    html = c1.get(url).content.decode()
    assert "防汛值守" in html and "0 / 2" in html
    services.shift_create(scope=w.s1, acting_user=w.shequ1, post=post, starts_at=ago(days=3), ends_at=ago(days=3) + dt.timedelta(hours=2),
                          note="上周夜班")
    assert "上周夜班" not in c1.get(url).content.decode()
    assert "上周夜班" in c1.get(url + "?when=past").content.decode()
    html = c1.get(reverse("volunteers:posts")).content.decode()
    assert "幸福家园党员先锋岗" in html and reverse("volunteers:shift", args=[shift.pk]) in html


def test_roster_capacity_and_no_removal_after_check_in(c1, w):
    shift = _my_shift(w, capacity=1)
    url = reverse("volunteers:shift", args=[shift.pk])
    assert c1.post(url, {"action": "assign", "assign-volunteer": w.v1.pk}).status_code == 302
    r = c1.post(url, {"action": "assign", "assign-volunteer": w.v_wangwu.pk})
    assert r.status_code == 200 and "本班次已排满（1人）。" in r.content.decode()
    assert list(shift.assignments.values_list("volunteer_id", flat=True)) == [w.v1.pk]
    a = shift.assignments.get()
    assert c1.post(url, {"action": "check_in", "assignment": a.pk, "at": _local(shift.starts_at)}).status_code == 302
    r = c1.post(url, {"action": "unassign", "assignment": a.pk})
    assert "张三已签到，不能移出班次。" in r.content.decode()
    assert ShiftAssignment.objects.filter(pk=a.pk).exists()
    shift.capacity = 2
    shift.save()
    assert c1.post(url, {"action": "assign", "assign-volunteer": w.v_wangwu.pk}).status_code == 302
    b = shift.assignments.get(volunteer=w.v_wangwu)
    assert c1.post(url, {"action": "unassign", "assignment": b.pk}).status_code == 302
    assert not ShiftAssignment.objects.filter(pk=b.pk).exists()


def test_emergency_shift_to_verified_hours_log_and_reversal(c1, w):
    shift = _my_shift(w, capacity=3)
    url = reverse("volunteers:shift", args=[shift.pk])
    for v in (w.v1, w.v_wangwu):
        assert c1.post(url, {"action": "assign", "assign-volunteer": v.pk}).status_code == 302
    a1, a2 = shift.assignments.get(volunteer=w.v1), shift.assignments.get(volunteer=w.v_wangwu)
    r = c1.post(url, {"action": "check_out", "assignment": a1.pk, "at": _local(shift.starts_at)})
    assert "张三尚未签到，不能签退。" in r.content.decode()
    c1.post(url, {"action": "check_in", "assignment": a1.pk, "at": _local(shift.starts_at)})
    c1.post(url, {"action": "check_out", "assignment": a1.pk, "at": _local(shift.starts_at + dt.timedelta(minutes=150))})
    c1.post(url, {"action": "check_in", "assignment": a2.pk, "at": _local(shift.starts_at + dt.timedelta(minutes=30))})
    c1.post(url, {"action": "check_out", "assignment": a2.pk, "at": _local(shift.starts_at + dt.timedelta(minutes=90))})
    r = c1.post(url, {"action": "log", "log-logged_at": _local(ago(minutes=5)), "log-text": ""})
    assert "请填写内容。" in r.content.decode()
    assert c1.post(url, {"action": "log", "log-logged_at": _local(ago(minutes=5)), "log-text": "东门积水，已设警示"}).status_code == 302
    log = ShiftLog.objects.get(shift=shift)
    assert log.logged_by == w.shequ1 and log.text == "东门积水，已设警示"
    assert c1.post(url, {"action": "verify"}).status_code == 302
    hours = dict(ServiceRecord.objects.filter(source="shift", source_id=shift.pk).values_list("volunteer_id", "hours"))
    assert hours == {w.v1.pk: Decimal("2.5"), w.v_wangwu.pk: Decimal("1.0")}
    assert ServiceRecord.objects.get(volunteer=w.v1).description == "东门值守点"
    r = c1.post(url, {"action": "verify"})
    assert "没有待认定的工时" in r.content.decode()
    html = c1.get(url).content.decode()
    assert "东门积水，已设警示" in html and "shequ1" in html and "2.5" in html and "1.0" in html
    record = ServiceRecord.objects.get(volunteer=w.v_wangwu)
    assert c1.post(url, {"action": "reverse", "record": record.pk, "reverse-reason": "签退时间有误"}).status_code == 302
    assert ServiceRecord.objects.get(reverses=record).hours == Decimal("-1.0")
    assert "已冲正" in c1.get(url).content.decode()


def test_late_shift_verification_asks_for_a_reason(c1, w):
    shift = _my_shift(w, hours_ago=24 * 40)
    a = services.shift_assign(scope=w.s1, acting_user=w.shequ1, shift=shift, volunteer=w.v1)
    services.assignment_check_in(scope=w.s1, acting_user=w.shequ1, assignment=a, at=shift.starts_at)
    services.assignment_check_out(scope=w.s1, acting_user=w.shequ1, assignment=a, at=shift.ends_at)
    url = reverse("volunteers:shift", args=[shift.pk])
    assert "补录原因" in c1.get(url).content.decode()
    assert "补录认定工时须填写原因" in c1.post(url, {"action": "verify"}).content.decode()
    assert c1.post(url, {"action": "verify", "verify-reason": "纸质值班表补录"}).status_code == 302
    record = ServiceRecord.objects.get(source="shift", source_id=shift.pk)
    assert record.hours == Decimal("4.0") and record.reason == "纸质值班表补录"


# ---- scope ----------------------------------------------------------------------------------------


def test_another_communitys_team_post_and_shift_are_404_everywhere(c1, w):
    team_url = reverse("volunteers:team", args=[w.team2.pk])
    assert c1.get(team_url).status_code == 404
    assert c1.post(team_url, {"action": "add", "add-volunteer": w.v2.pk}).status_code == 404
    assert c1.post(team_url, {"action": "remove", "membership": w.m2.pk, "left_on": "2026-01-01"}).status_code == 404
    post_url = reverse("volunteers:post", args=[w.post2.pk])
    assert c1.get(post_url).status_code == 404
    assert c1.post(post_url, {"action": "shift", "shift-starts_at": "2026-01-01T09:00", "shift-ends_at": "2026-01-01T10:00",
                              "shift-capacity": 1}).status_code == 404
    shift_url = reverse("volunteers:shift", args=[w.shift2.pk])
    assert c1.get(shift_url).status_code == 404
    for action in ("assign", "unassign", "check_in", "check_out", "log", "verify", "reverse"):
        data = {"action": action, "assignment": w.a2.pk, "assign-volunteer": w.v2.pk, "at": _local(ago(minutes=1)),
                "log-logged_at": _local(ago(minutes=1)), "log-text": "越权", "reverse-reason": "越权"}
        assert c1.post(shift_url, data).status_code == 404, action
    assert c1.post(reverse("volunteers:team_new"), {"name": "越权队", "community": w.C2.pk, "kind": "general"}).status_code == 404
    assert c1.post(reverse("volunteers:post_new"), {"name": "越权岗", "community": w.C2.pk, "kind": "duty"}).status_code == 404
    assert not Team.objects.filter(name="越权队").exists() and not Post.objects.filter(name="越权岗").exists()
    assert not ShiftLog.objects.exists() and w.m2.left_on is None
    for name in ("teams", "posts", "team_new", "post_new"):
        html = c1.get(reverse(f"volunteers:{name}")).content.decode()
        assert "赵六" not in html and "和平义诊队" not in html and "和平里值守点" not in html, name


def test_another_communitys_rows_posted_on_my_pages_are_404(c1, w):
    team = services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="幸福红马甲")
    url = reverse("volunteers:team", args=[team.pk])
    assert c1.post(url, {"action": "add", "add-volunteer": w.v2.pk}).status_code == 404
    assert c1.post(url, {"action": "remove", "membership": w.m2.pk, "left_on": "2026-01-01"}).status_code == 404
    other = services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="老厂文艺社")
    m = services.team_member_add(scope=w.s1, acting_user=w.shequ1, team=other, volunteer=w.v1)
    assert c1.post(url, {"action": "remove", "membership": m.pk, "left_on": "2026-01-01"}).status_code == 404  # not this team's
    shift = _my_shift(w)
    url = reverse("volunteers:shift", args=[shift.pk])
    assert c1.post(url, {"action": "assign", "assign-volunteer": w.v2.pk}).status_code == 404
    assert c1.post(url, {"action": "check_in", "assignment": w.a2.pk, "at": _local(ago(minutes=1))}).status_code == 404
    assert c1.post(url, {"action": "unassign", "assignment": w.a2.pk}).status_code == 404
    assert c1.post(url, {"action": "nonsense"}).status_code == 404
    assert ShiftAssignment.objects.filter(pk=w.a2.pk, checked_in_at__isnull=True).exists()
    m.refresh_from_db()
    assert m.left_on is None


# ---- 在职党员报到: registering a member who lives outside the scope --------------------------------


def test_checkin_member_living_elsewhere_is_offered_and_registered(c1, w):
    url = reverse("volunteers:new")
    assert "赵六" not in c1.get(url + "?q=赵").content.decode()  # no 报到 to 幸福社区 yet
    assert c1.post(url, {"person": w.zhaoliu.pk, "community": w.C1.pk, "kind": "checkin"}).status_code == 404
    CommunityCheckin.objects.create(member=w.m_zhaoliu, employer="区财政局", employer_level=EmployerLevel.DISTRICT,
                                    community=w.C1, registered_on=dt.date(2026, 1, 5))
    html = c1.get(url + "?q=赵").content.decode()
    assert "赵六（在职党员，报到至幸福社区）" in html
    assert "赵六（在职党员" in c1.get(url).content.decode()
    r = c1.post(url, {"person": w.zhaoliu.pk, "community": w.C1.pk, "kind": "member"})
    assert r.status_code == 200 and "所选居民不在您的管辖范围内。" in r.content.decode()
    assert "赵六（在职党员，报到至幸福社区）" in r.content.decode()  # still offered after the failed submit
    r = c1.post(url, {"person": w.zhaoliu.pk, "community": w.C1.pk, "kind": "checkin"})
    v = Volunteer.objects.get(person=w.zhaoliu, community=w.C1)
    assert r.status_code == 302 and v.kind == VolunteerKind.CHECKIN and v.checkin.employer == "区财政局"
    # 孙七 (南山社区, no 报到 to 幸福社区) stays a 404; so does 赵六 for shequ3
    assert c1.post(url, {"person": w.sunqi.pk, "community": w.C1.pk, "kind": "checkin"}).status_code == 404
    assert "孙七" not in c1.get(url + "?q=孙").content.decode()


def test_checkin_candidates_selector(w):
    from gongzhi.volunteers import selectors

    CommunityCheckin.objects.create(member=w.m_sunqi, employer="市教育局", employer_level=EmployerLevel.CITY, community=w.C2,
                                    registered_on=dt.date(2026, 2, 1))
    assert list(selectors.checkin_candidates(scope=w.s1)) == []
    found = list(selectors.checkin_candidates(scope=w.s2))
    assert [p.name for p in found] == ["孙七"] and [c.community.name for c in found[0].party_member.checkins_here] == ["和平社区"]
    assert list(selectors.checkin_candidates(scope=w.s2, q="张")) == []


# ---- query counts: they do not grow with rows -----------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_people(w, n):
    from gongzhi.people.tests.factories import PersonFactory

    return [volunteer(w, w.s1, PersonFactory(name=f"志愿者{i:02d}", place=w.B1)) for i in range(n)]


def test_team_list_queries_do_not_grow(c1, w, django_assert_max_num_queries):
    team = services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name="队一")
    services.team_member_add(scope=w.s1, acting_user=w.shequ1, team=team, volunteer=w.v1)
    few = _queries(c1, reverse("volunteers:teams"))
    for i, v in enumerate(_more_people(w, 6)):
        t = services.team_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, name=f"队{i + 2}")
        services.team_member_add(scope=w.s1, acting_user=w.shequ1, team=t, volunteer=v)
        services.team_member_add(scope=w.s1, acting_user=w.shequ1, team=team, volunteer=v)
    assert _queries(c1, reverse("volunteers:teams")) == few
    assert _queries(c1, reverse("volunteers:team", args=[team.pk])) <= few + 4
    with django_assert_max_num_queries(8):
        c1.get(reverse("volunteers:teams"))


def test_post_detail_and_shift_queries_do_not_grow(c1, w, django_assert_max_num_queries):
    shift = _my_shift(w, capacity=20)
    services.shift_log_add(scope=w.s1, acting_user=w.shequ1, shift=shift, text="开始值守")
    post_url, shift_url = reverse("volunteers:post", args=[shift.post.pk]), reverse("volunteers:shift", args=[shift.pk])
    few_post, few_shift = _queries(c1, post_url), _queries(c1, shift_url)
    for v in _more_people(w, 6):
        a = services.shift_assign(scope=w.s1, acting_user=w.shequ1, shift=shift, volunteer=v)
        services.assignment_check_in(scope=w.s1, acting_user=w.shequ1, assignment=a, at=shift.starts_at)
        services.assignment_check_out(scope=w.s1, acting_user=w.shequ1, assignment=a, at=shift.starts_at + dt.timedelta(hours=1))
        services.shift_log_add(scope=w.s1, acting_user=w.shequ1, shift=shift, text=f"{v.person.name}到岗")
    for _ in range(4):
        services.shift_create(scope=w.s1, acting_user=w.shequ1, post=shift.post, starts_at=ago(hours=1), ends_at=ago(hours=1) + dt.timedelta(hours=2))
    services.hours_verify(scope=w.s1, acting_user=w.shequ1, shift=shift)
    assert _queries(c1, post_url) == few_post
    assert _queries(c1, shift_url) == few_shift
    with django_assert_max_num_queries(10):
        c1.get(post_url)
    with django_assert_max_num_queries(12):
        c1.get(shift_url)
