"""The headline figures of 组织生活 on the hand-made world (conftest) in 2026 Q1 (the world's own
meetings are in 2025, outside). 李四 joins K1 and is away; 孙七 (K4) is away too.

A 小区党支部 must hold in a whole quarter (default rules): 党员大会 1 + 支委会 3 + 党课 1 + 主题党日 3 = 8
(the yearly rules need a whole year).
  K1: 支委会 5 Jan (张三 P, 李四 A), 25 Jan (no rows), 5 Feb (张三 P, 李四 L); 主题党日 20 Jan (张三 P,
      李四 A); 党课 10 Mar (张三 P, 李四 A)           → 支委会 2 + 主题党日 1 + 党课 1 = 4 of 8; 参会 4/8
  K3: 党员大会 10 Feb (赵六 P); 主题党日 5 Mar (赵六 A)  → 2 of 8; 参会 1/2
  K4: nothing                                          → 0 of 8
  落实率 6/24 = 25%, in C1 4/8;  参会率 5/10 = 50%, in C1 4/8
  教育 (党课, 主题党日): 张三 only, of 张三 李四 赵六 孙七 → 1/4; in C1 1/2; by 支部 K1 1/2, K3 0/1, K4 0/1
  meetings 7, in C1 5;  在外党员 汇报: 李四 on 1 Feb, 孙七 none → 1/2; in C1 1/1; in C3 0/1
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.core import indicators
from gongzhi.core.indicators import Figure, Period
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.org.tests import factories as of
from gongzhi.partylife.models import AttendanceStatus, AwayReport
from gongzhi.people.models import PartyMember
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory
from gongzhi.partylife.tests.factories import held as _held

D = dt.date
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
Q1 = Period.quarter(2026, 1)


@pytest.fixture
def life(world):
    w = world
    w.m_lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1, is_away=True, away_location="深圳")
    PartyMember.objects.filter(pk=w.m_sunqi.pk).update(is_away=True)
    zs, ls, zl = w.m_zhangsan, w.m_lisi, w.m_zhaoliu
    _held(w.O_K1, "committee", D(2026, 1, 5), [(zs, P), (ls, A)])
    _held(w.O_K1, "committee", D(2026, 1, 25))
    _held(w.O_K1, "committee", D(2026, 2, 5), [(zs, P), (ls, L)])
    _held(w.O_K1, "theme_day", D(2026, 1, 20), [(zs, P), (ls, A)])
    _held(w.O_K1, "lecture", D(2026, 3, 10), [(zs, P), (ls, A)])
    _held(w.O_K3, "branch_congress", D(2026, 2, 10), [(zl, P)])
    _held(w.O_K3, "theme_day", D(2026, 3, 5), [(zl, A)])
    AwayReport.objects.create(member=ls, title="一季度思想汇报", content="学习体会", submitted_at=timezone.make_aware(dt.datetime(2026, 2, 1, 9)))
    w.c1 = Scope.of(place_paths=[w.C1.path])
    return w


def _figure(code, scope, period=Q1):
    return indicators.get(code).compute(scope, period)


def _rows(code, scope, period=Q1):
    return [(r.name, r.figure.numerator, r.figure.denominator, r.parent) for r in indicators.get(code).breakdown(scope, period)]


def test_compliance(life):
    assert _figure("partylife.compliance", EVERYTHING) == Figure.rate(6, 24)
    assert _figure("partylife.compliance", EVERYTHING).display == "25.0%"
    assert _figure("partylife.compliance", life.c1) == Figure.rate(4, 8)
    branch = Scope.of(org_paths=[life.O_K3.path], place_paths=[life.K3.path])
    assert _figure("partylife.compliance", branch) == Figure.rate(2, 8)
    assert _rows("partylife.compliance", EVERYTHING) == [
        ("幸福家园党支部", 4, 8, "幸福社区"), ("和平里党支部", 2, 8, "和平社区"), ("南山苑党支部", 0, 8, "南山社区"),
    ]
    row = indicators.get("partylife.compliance").breakdown(life.c1, Q1)[0]
    assert (row.key, row.model, row.url) == (life.O_K1.pk, "org.partyorganization", reverse("partylife:org_meetings", args=[life.O_K1.pk]))
    # a month holds no whole quarter: only the monthly rules count (支委会 1 + 主题党日 1 per branch); K1 met both
    assert _figure("partylife.compliance", EVERYTHING, Period.month(2026, 1)) == Figure.rate(2, 6)


def test_attendance(life):
    assert _figure("partylife.attendance", EVERYTHING) == Figure.rate(5, 10)
    assert _figure("partylife.attendance", life.c1) == Figure.rate(4, 8)
    assert _rows("partylife.attendance", EVERYTHING) == [("幸福家园党支部", 4, 8, "幸福社区"), ("和平里党支部", 1, 2, "和平社区")]
    assert _figure("partylife.attendance", EVERYTHING, Period.quarter(2026, 2)) == Figure.rate(0, 0)
    assert _figure("partylife.attendance", EVERYTHING, Period.quarter(2026, 2)).display == "—"


def test_education(life):
    assert _figure("partylife.education", EVERYTHING) == Figure.rate(1, 4)
    assert _figure("partylife.education", life.c1) == Figure.rate(1, 2)
    assert _rows("partylife.education", EVERYTHING) == [
        ("幸福家园党支部", 1, 2, "幸福社区"), ("和平里党支部", 0, 1, "和平社区"), ("南山苑党支部", 0, 1, "南山社区"),
    ]
    # a 党小组's members count for its 支部; the 小组 itself is no row
    group = of.org("party_group", life.K1, life.O_K1, name="幸福家园第一党小组")
    PartyMemberFactory(person=PersonFactory(name="周八", place=life.B1), organization=group)
    assert _rows("partylife.education", life.c1) == [("幸福家园党支部", 1, 3, "幸福社区")]


def test_meetings_and_away_reporting(life):
    assert (_figure("partylife.meetings", EVERYTHING), _figure("partylife.meetings", life.c1)) == (Figure.count(7), Figure.count(5))
    assert _figure("partylife.meetings", EVERYTHING, Period.year(2025)) == Figure.count(2)  # the world's own
    c3 = Scope.of(place_paths=[life.C3.path])
    assert _figure("partylife.away_reporting", EVERYTHING) == Figure.rate(1, 2)
    assert _figure("partylife.away_reporting", life.c1) == Figure.rate(1, 1)
    assert _figure("partylife.away_reporting", c3) == Figure.rate(0, 1)
    assert _figure("partylife.away_reporting", EVERYTHING, Period.quarter(2026, 2)) == Figure.rate(0, 2)


def test_records_urls(life):
    query = "start=2026-01-01&end=2026-03-31"
    compliance = reverse("partylife:compliance")
    assert indicators.get("partylife.compliance").records(EVERYTHING, Q1) == f"{compliance}?{query}"
    assert indicators.get("partylife.attendance").records(life.c1, Q1) == f"{compliance}?org={life.O_C1.pk}&{query}"
    branch = Scope.of(org_paths=[life.O_K1.path], place_paths=[life.K1.path])
    assert indicators.get("partylife.education").records(branch, Q1) == f"{compliance}?org={life.O_K1.pk}&{query}"
    assert indicators.get("partylife.compliance").records(Scope.of(place_paths=[life.K2.path]), Q1) == ""
    assert indicators.get("partylife.meetings").records(life.c1, Q1) == f"{reverse('partylife:ledger', args=[life.O_C1.pk])}?{query}"
    assert indicators.get("partylife.meetings").records(EVERYTHING, Q1) == f"{compliance}?{query}"
    away = reverse("partylife:away", args=[life.O_C1.pk])
    assert indicators.get("partylife.away_reporting").records(life.c1, Q1) == f"{away}?quarter=2026-1"
    assert indicators.get("partylife.away_reporting").records(life.c1, Period.year(2026)) == away
    assert indicators.get("partylife.away_reporting").records(EVERYTHING, Q1) == ""


def _count(fn, *args):
    with CaptureQueriesContext(connection) as ctx:
        fn(*args)
    return len(ctx)


def test_breakdown_queries_do_not_grow(life):
    codes = ("partylife.compliance", "partylife.attendance", "partylife.education")
    before = {code: _count(indicators.get(code).breakdown, EVERYTHING, Q1) for code in codes}
    before_compute = {code: _count(indicators.get(code).compute, EVERYTHING, Q1) for code in codes}
    for i in range(4):
        compound = of.place(life.C3, "compound", f"新区{i}")
        branch = of.org("compound_branch", compound, life.O_C3, name=f"新区{i}党支部", covers=[compound])
        member = PartyMemberFactory(person=PersonFactory(name=f"新{i}", place=life.B4), organization=branch)
        _held(branch, "theme_day", D(2026, 2, 1), [(member, P)])
    after = {code: _count(indicators.get(code).breakdown, EVERYTHING, Q1) for code in codes}
    assert after == before
    assert {code: _count(indicators.get(code).compute, EVERYTHING, Q1) for code in codes} == before_compute
    assert max(after.values()) <= 6
    assert len(indicators.get("partylife.education").breakdown(EVERYTHING, Q1)) == 7
