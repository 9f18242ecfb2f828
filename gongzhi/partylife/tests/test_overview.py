"""The overview pages: the compliance table drilled down along the tree, an organisation's month
calendar and each member's 参会率, on hand-made cases whose answers are worked out below."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.org.tests import factories as of
from gongzhi.partylife import selectors
from gongzhi.partylife.models import AttendanceStatus, LecturerRole
from gongzhi.partylife.overview_views import month_asked
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory
from gongzhi.partylife.tests.factories import held as _held

D = dt.date
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture
def tree(world):
    """The world's district with a 党小组 G under K1 and these meetings in Q1 2026 (8 required of a
    branch: 党员大会 1 + 党课 1 per quarter, 支委会 and 主题党日 1 a month; 3 of a group: 党小组会 monthly):

      K1 itself  支委会 Jan, Feb, Mar; 主题党日 Jan; 党员大会 Feb; 党课 Mar (by the secretary)
                 → met 6 of 8, lagging (主题党日 Feb and Mar missing)
                 attendance: Jan 支委会 张三 P 李四 A; Feb 支委会 张三 P 李四 L; 主题党日 张三 P 李四 P;
                 Mar 支委会 转走 A (since transferred to K3) → present 4 of 7 due
      G          党小组会 Jan, Feb, Mar → 3 of 3, not lagging; Jan: 张三 P → 1 of 1
      K3         支委会 Jan → 1 of 8, lagging; 赵六 P → 1 of 1
      K4         nothing → 0 of 8, lagging
    """
    w = world
    w.O_G = of.org("party_group", w.K1, w.O_K1, name="幸福家园第一党小组")
    w.m_lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1)
    w.m_gone = PartyMemberFactory(person=PersonFactory(name="转走", place=w.B3), organization=w.O_K3)
    w.m_new = PartyMemberFactory(person=PersonFactory(name="新来", place=w.B1), organization=w.O_K1, joined_on=D(2026, 5, 1))
    zs, ls = w.m_zhangsan, w.m_lisi
    w.jan = _held(w.O_K1, "committee", D(2026, 1, 5), [(zs, P), (ls, A)])
    _held(w.O_K1, "committee", D(2026, 2, 5), [(zs, P), (ls, L)])
    _held(w.O_K1, "committee", D(2026, 3, 5), [(w.m_gone, A)])
    w.theme = _held(w.O_K1, "theme_day", D(2026, 1, 10), [(zs, P), (ls, P)])
    _held(w.O_K1, "branch_congress", D(2026, 2, 20))
    _held(w.O_K1, "lecture", D(2026, 3, 15), lecturer_role=LecturerRole.SECRETARY)
    _held(w.O_G, "group", D(2026, 1, 8), [(zs, P)])
    _held(w.O_G, "group", D(2026, 2, 8))
    _held(w.O_G, "group", D(2026, 3, 8))
    _held(w.O_K3, "committee", D(2026, 1, 6), [(w.m_zhaoliu, P)])
    return w


def figures(row):
    return (row.required, row.met, row.organizations, row.lagging, row.present, row.due)


def drill(scope, node=None):
    return selectors.compliance_drilldown(scope=scope, start=D(2026, 1, 1), end=D(2026, 3, 31), node=node)


# ---- drill-down -------------------------------------------------------------------------------

def test_drilldown_sums_each_subtree(tree, scope_of):
    w = tree
    s = scope_of(w.quwei)
    top = drill(s)
    # S1 = K1 (8, 6) + G (3, 3) + K3 (8, 1); lagging K1, K3; attendance 4/7 + 1/1 + 1/1
    assert {r.organization.name: figures(r) for r in top.rows} == {
        "东风街道党工委": (19, 10, 3, 2, 6, 9),
        "西山街道党工委": (8, 0, 1, 1, 0, 0),
    }
    assert figures(top.total) == (27, 10, 4, 3, 6, 9) and top.node is None
    s1 = drill(s, w.O_S1)
    assert [(r.organization.name, figures(r)) for r in s1.rows] == [
        ("幸福社区党委", (11, 9, 2, 1, 5, 8)), ("和平社区党委", (8, 1, 1, 1, 1, 1)),
    ]
    assert figures(s1.total) == (19, 10, 3, 2, 6, 9)  # the S1 row one level up
    k1 = drill(s, w.O_K1)
    own, group = k1.rows
    assert own.only_own and own.organization == w.O_K1 and figures(own) == (8, 6, 1, 1, 4, 7)
    assert [str(x) for x in own.shortfalls] == ["2026年2月主题党日应1次，实0次", "2026年3月主题党日应1次，实0次"]
    assert group.organization == w.O_G and figures(group) == (3, 3, 1, 0, 1, 1) and not group.below
    assert figures(k1.total) == (11, 9, 2, 1, 5, 8)


def test_every_level_adds_up_to_its_node(tree, scope_of):
    s = scope_of(tree.quwei)
    for node in (None, tree.O_S1, tree.O_S2, tree.O_C1, tree.O_C2, tree.O_K1, tree.O_G):
        level = drill(s, node)
        sums = tuple(sum(column) for column in zip(*(figures(r) for r in level.rows))) or (0,) * 6
        assert sums == figures(level.total), node


def test_the_roots_are_the_users_scope(tree, scope_of):
    w = tree
    # a branch secretary starts at the branch, summed with its group; it can be drilled into
    [k1] = drill(scope_of(w.zhibu1)).rows
    assert k1.organization == w.O_K1 and figures(k1) == (11, 9, 2, 1, 5, 8) and k1.below == 1 and k1.own is not None
    # a community worker of C1 starts at 幸福社区党委
    assert [r.organization.name for r in drill(scope_of(w.shequ1)).rows] == ["幸福社区党委"]


def test_drilldown_page_carries_the_period_and_the_filter(client, tree):
    w = tree
    client.force_login(w.quwei)
    url = reverse("partylife:compliance")
    html = client.get(url, Q1).content.decode()
    assert "东风街道党工委" in html and "西山街道党工委" in html and "幸福家园党支部" not in html
    assert f'href="?org={w.O_S1.pk}&amp;start=2026-01-01&amp;end=2026-03-31"' in html
    assert "10 / 27" in html  # the tile: met / required of the whole district
    html = client.get(url, {"org": w.O_S1.pk, **Q1}).content.decode()
    assert "幸福社区党委" in html and "和平社区党委" in html and "西山街道党工委" not in html
    assert "10 / 19" in html and "9/11" in html and "1/8" in html
    assert f'name="org" value="{w.O_S1.pk}"' in html  # the period form stays at this node
    html = client.get(url, {"org": w.O_C1.pk, **Q1, "lagging": "1"}).content.decode()
    crumbs = html[html.index('class="crumbs"'):html.index("</nav>", html.index('class="crumbs"'))]
    assert f'href="?org={w.O_S1.pk}&amp;start=2026-01-01&amp;end=2026-03-31&amp;lagging=1"' in crumbs and "幸福社区党委" in crumbs
    assert "下级有 0 个" not in html and "2026年2月主题党日应1次，实0次" in html  # K1's own shortfalls on its row
    html = client.get(url, {"org": w.O_K1.pk, **Q1, "lagging": "1"}).content.decode()
    assert "本级" in html and "幸福家园第一党小组" not in html  # the group met every rule
    html = client.get(url, {"org": w.O_K1.pk, **Q1}).content.decode()
    assert "幸福家园第一党小组" in html and reverse("partylife:org_meetings", args=[w.O_G.pk]) in html
    assert f'{reverse("partylife:warnings")}?org={w.O_K1.pk}' in html


def test_drilldown_outside_the_scope_is_404(client, tree):
    w = tree
    url = reverse("partylife:compliance")
    client.force_login(w.zhibu1)
    assert client.get(url, {"org": w.O_K3.pk}).status_code == 404  # the sibling branch
    assert client.get(url, {"org": w.O_C1.pk}).status_code == 404  # above the branch
    assert client.get(url, {"org": "x"}).status_code == 404
    assert client.get(reverse("partylife:warnings"), {"org": w.O_K3.pk}).status_code == 404
    assert client.get(url, {"org": w.O_G.pk}).status_code == 200
    client.force_login(w.shequ1)
    assert client.get(url, {"org": w.O_S1.pk}).status_code == 404
    html = client.get(url, Q1).content.decode()
    assert "幸福社区党委" in html and "和平" not in html


def test_drilldown_queries_do_not_grow_with_organisations(client, tree):
    w = tree
    client.force_login(w.quwei)
    url = reverse("partylife:compliance")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"org": w.O_S1.pk, **Q1}).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for i in range(4):
        branch = of.org("compound_branch", w.K2, w.O_C1, name=f"新支部{i}")
        _held(branch, "committee", D(2026, 1, 3 + i), [(w.m_zhangsan, P)])
    assert queries() == before
    assert before <= 20


# ---- calendar ---------------------------------------------------------------------------------

def test_month_requirements_of_the_periods_containing_a_month(tree, scope_of):
    w = tree
    found = selectors.month_requirements(scope=scope_of(w.zhibu1), organization=w.O_K1, month=D(2026, 2, 1), today=D(2026, 11, 27))
    assert [(q.meeting_type.name, q.by_secretary, q.period, q.required, q.held, q.state) for q in found] == [
        ("支委会", False, "2026年2月", 1, 1, "met"),
        ("主题党日", False, "2026年2月", 1, 0, "missed"),
        ("支部党员大会", False, "2026年第1季度", 1, 1, "met"),
        ("党课", False, "2026年第1季度", 1, 1, "met"),  # held 15 March: the quarter counts it in February too
        ("党课", True, "2026年", 1, 1, "met"),  # by the secretary
        ("组织生活会", False, "2026年", 1, 0, "open"),  # the year is not over on 27 November
        ("民主评议党员", False, "2026年", 1, 0, "open"),
    ]
    early = selectors.month_requirements(scope=scope_of(w.zhibu1), organization=w.O_K1, month=D(2026, 4, 1), today=D(2026, 3, 20))
    assert {q.state for q in early if q.period_kind == "month"} == {"upcoming"}
    group = selectors.month_requirements(scope=scope_of(w.zhibu1), organization=w.O_G, month=D(2026, 3, 1), today=D(2026, 11, 27))
    assert [(q.meeting_type.name, q.held, q.state) for q in group] == [("党小组会", 1, "met")]
    assert selectors.month_requirements(scope=scope_of(w.quwei), organization=w.O_S1, month=D(2026, 3, 1), today=D(2026, 11, 27)) == []


def test_calendar_page(client, tree):
    w = tree
    client.force_login(w.zhibu1)
    url = reverse("partylife:calendar", args=[w.O_K1.pk])
    response = client.get(url, {"month": "2026-01"})
    html = response.content.decode()
    weeks = response.context["weeks"]
    # 1 January 2026 is a Thursday: the grid starts on Monday 29 December and ends on Sunday 1 February
    assert weeks[0][0]["date"] == D(2025, 12, 29) and weeks[0][3]["date"] == D(2026, 1, 1) and weeks[-1][-1]["date"] == D(2026, 2, 1)
    assert [m.pk for m in weeks[1][0]["meetings"]] == [w.jan.pk]  # Monday 5 January
    assert "2026年1月" in html and html.index("周一") < html.index("周日")
    assert reverse("partylife:meeting", args=[w.jan.pk]) in html and w.theme.topic in html and "主题党日" in html
    assert "幸福家园第一党小组" not in html  # the group's meetings are on its own calendar
    assert '?month=2025-12' in html and '?month=2026-02' in html
    assert "本月应开" in html and f'{reverse("partylife:meeting_new")}?org={w.O_K1.pk}' in html
    assert "已落实" in html  # 支委会 in January
    org_page = client.get(reverse("partylife:org_meetings", args=[w.O_K1.pk])).content.decode()
    assert url in org_page


@pytest.mark.parametrize("asked", ["2026-13", "abc", "", "99999-01", "2026-00", "2026-1-5"])
def test_calendar_falls_back_to_this_month(client, tree, asked):
    client.force_login(tree.zhibu1)
    response = client.get(reverse("partylife:calendar", args=[tree.O_K1.pk]), {"month": asked})
    today = dt.date.today()
    assert response.status_code == 200 and response.context["month"] == today.replace(day=1)
    assert f"{today.year}年{today.month}月" in response.content.decode() and "is-today" in response.content.decode()


def test_month_asked():
    today = D(2026, 11, 27)
    assert month_asked("2026-03", today) == D(2026, 3, 1)
    assert month_asked(None, today) == month_asked("2026-3-", today) == month_asked("1800-01", today) == D(2026, 11, 1)


def test_calendar_outside_the_scope_is_404(client, tree):
    client.force_login(tree.shequ2)
    assert client.get(reverse("partylife:calendar", args=[tree.O_K1.pk])).status_code == 404


# ---- 参会率 of each member --------------------------------------------------------------------

def test_member_attendance_rates(tree, scope_of):
    w = tree
    rows = list(selectors.member_attendance_rates(scope=scope_of(w.quwei), organization=w.O_K1, start=D(2026, 1, 1), end=D(2026, 3, 31)))
    # 转走 due once (March, absent): 0; 李四 3 due, present at 主题党日 only: 1/3; 张三 3 of 3 (the group's
    # meeting is not K1's); 新来 never due (joined May): last, without a rate. 赵六 (K3) is not K1's.
    assert [(m.person.name, m.due, m.present, m.leave, m.absent) for m in rows] == [
        ("转走", 1, 0, 0, 1), ("李四", 3, 1, 1, 1), ("张三", 3, 3, 0, 0), ("新来", 0, 0, 0, 0),
    ]
    assert [None if m.rate is None else round(m.rate, 4) for m in rows] == [0.0, 0.3333, 1.0, None]
    # the branch secretary does not see the member who moved to the sibling branch
    mine = selectors.member_attendance_rates(scope=scope_of(w.zhibu1), organization=w.O_K1, start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert [m.person.name for m in mine] == ["李四", "张三", "新来"]
    assert not selectors.member_attendance_rates(scope=scope_of(w.zhibu1), organization=w.O_K1, start=D(2026, 4, 1), end=D(2026, 4, 30)).filter(due__gt=0)


def test_member_rates_on_the_organisation_page(client, world, django_assert_max_num_queries):
    w = world
    start, _end = selectors.default_window(dt.date.today())
    lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1)
    for i in range(3):
        _held(w.O_K1, "committee", start + dt.timedelta(days=i), [(w.m_zhangsan, P), (lisi, A if i else L)])
    client.force_login(w.zhibu1)
    url = reverse("partylife:org_meetings", args=[w.O_K1.pk])
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    table = html[html.index("党员参会率"):]
    # 李四: 3 due, 1 leave, 2 absent, 0%; 张三: 3 of 3
    assert table.index("李四") < table.index("张三")
    assert "0/3" in table and "3/3" in table
