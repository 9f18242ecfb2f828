"""The headline figures of 人口与党员 on the hand-made world (conftest), with, added here:
李四 a 预备党员 of K1 and 在外党员; 王五 a member of K1 transferred out (not counted);
在职党员报到: 赵六 to C1 (2026-03-01), 孙七 to C1 and to C3 (2025-12-01).

    居民 5 (C1: 张三 李四 王五)     户 2 (C1: H1)
    党员 在册 4: 张三 李四 (K1), 赵六 (K3), 孙七 (K4)   in C1: 张三 李四
    预备 1 (李四), 在外 1 (李四)
    报到 2 members (孙七 once though in two 社区); in C1 2, in C3 1, in C2 0
    新报到 in 2026: 赵六; in 2025: 孙七 (once)
"""

import datetime as dt

import pytest
from django.urls import reverse

from gongzhi.core import indicators
from gongzhi.core.indicators import Figure, Period
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.people.models import CommunityCheckin, EmployerLevel, MemberCategory, MemberStatus
from gongzhi.people.services import counts_refresh_all
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory

YEAR = Period.year(2026)


@pytest.fixture
def people(world):
    w = world
    w.m_lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1, category=MemberCategory.PROBATIONARY, full_on=None,
                                  is_away=True, away_location="深圳")
    PartyMemberFactory(person=w.wangwu, organization=w.O_K1, status=MemberStatus.TRANSFERRED_OUT, status_changed_on=dt.date(2025, 5, 1))
    for member, community, day in ((w.m_zhaoliu, w.C1, dt.date(2026, 3, 1)), (w.m_sunqi, w.C1, dt.date(2025, 12, 1)),
                                   (w.m_sunqi, w.C3, dt.date(2025, 12, 1))):
        CommunityCheckin.objects.create(member=member, community=community, registered_on=day, employer="区教育局", employer_level=EmployerLevel.DISTRICT)
    counts_refresh_all()
    w.c1 = Scope.of(place_paths=[w.C1.path])
    return w


def _value(code, scope, period=YEAR):
    return indicators.get(code).compute(scope, period).value


def test_residents_and_households(people):
    assert indicators.get("people.residents").compute(EVERYTHING, YEAR) == Figure.count(5)
    assert _value("people.residents", people.c1) == 3
    assert (_value("people.households", EVERYTHING), _value("people.households", people.c1)) == (2, 1)
    PersonFactory(name="周八", place=people.B4)
    counts_refresh_all()
    assert (_value("people.residents", EVERYTHING), _value("people.residents", people.c1)) == (6, 3)


def test_member_counts(people):
    c3 = Scope.of(place_paths=[people.C3.path])
    assert (_value("people.members", EVERYTHING), _value("people.members", people.c1), _value("people.members", c3)) == (4, 2, 1)
    assert (_value("people.probationary_members", EVERYTHING), _value("people.probationary_members", people.c1)) == (1, 1)
    assert (_value("people.away_members", EVERYTHING), _value("people.away_members", c3)) == (1, 0)
    branch = Scope.of(org_paths=[people.O_K3.path], place_paths=[people.K3.path])
    assert _value("people.members", branch) == 1  # 赵六


def test_checkins(people):
    c2, c3 = Scope.of(place_paths=[people.C2.path]), Scope.of(place_paths=[people.C3.path])
    assert [_value("people.checkins", s) for s in (EVERYTHING, people.c1, c2, c3)] == [2, 2, 0, 1]
    assert indicators.get("people.checkins").period_free
    assert not indicators.get("people.checkins_new").period_free
    assert _value("people.checkins_new", EVERYTHING) == 1
    assert _value("people.checkins_new", EVERYTHING, Period.year(2025)) == 1  # 孙七 in two 社区: one member
    assert _value("people.checkins_new", c3, YEAR) == 0
    assert _value("people.checkins_new", people.c1, Period.month(2026, 3)) == 1


def test_queries(people, django_assert_num_queries):
    for code in ("people.residents", "people.households", "people.members", "people.probationary_members",
                 "people.away_members", "people.checkins", "people.checkins_new"):
        with django_assert_num_queries(1):
            indicators.get(code).compute(people.c1, YEAR)


def test_records_urls(people):
    members = reverse("people:members")
    assert indicators.get("people.members").records(EVERYTHING, YEAR) == members
    assert indicators.get("people.members").records(people.c1, YEAR) == f"{members}?org={people.O_C1.pk}"
    assert indicators.get("people.probationary_members").records(people.c1, YEAR) == f"{members}?org={people.O_C1.pk}&category=probationary"
    assert indicators.get("people.away_members").records(EVERYTHING, YEAR) == f"{members}?away=1"
    assert indicators.get("people.members").records(Scope.of(place_paths=[people.K2.path]), YEAR) == ""  # no organisation at K2
    search = reverse("people:search")
    assert indicators.get("people.residents").records(EVERYTHING, YEAR) == f"{search}?status=resident"
    assert indicators.get("people.residents").records(people.c1, YEAR) == f"{search}?place={people.C1.pk}&status=resident"
    assert indicators.get("people.checkins").records is None
