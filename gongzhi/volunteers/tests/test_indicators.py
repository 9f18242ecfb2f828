"""The 志愿服务 headline figures on hand-counted records around March 2025: hours served the day
before or after the period are not counted, a reversed record nets to nothing and its volunteer
did not serve, cancelled activities and inactive posts are left out, departed volunteers too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gongzhi.core.indicators import Period, compute, get
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.needs.tests.factories import at
from gongzhi.volunteers.models import (
    Activity, ActivityStatus, Post, PostKind, ServiceRecord, ServiceSource, Team, TeamKind, Volunteer, VolunteerKind, VolunteerStatus,
)

D = dt.date
MARCH = Period.month(2025, 3)
CODES = ["volunteers.member", "volunteers.resident", "volunteers.checkin", "volunteers.hours", "volunteers.served", "volunteers.activities",
         "volunteers.pioneer_posts", "volunteers.duty_posts", "volunteers.teams", "volunteers.professional_teams", "volunteers.social_orgs"]


@pytest.fixture
def district(world):
    w = world
    vol = lambda person, community, kind, **kw: Volunteer.objects.create(person=person, community=community, kind=kind, registered_on=D(2025, 1, 1), **kw)  # noqa: E731
    v1 = vol(w.zhangsan, w.C1, VolunteerKind.MEMBER)
    v2 = vol(w.lisi, w.C1, VolunteerKind.RESIDENT)
    v3 = vol(w.zhaoliu, w.C2, VolunteerKind.MEMBER)
    v4 = vol(w.sunqi, w.C3, VolunteerKind.CHECKIN)
    vol(w.wangwu, w.C1, VolunteerKind.RESIDENT, status=VolunteerStatus.LEFT, left_on=D(2025, 2, 1))

    def served(v, day, hours, reverses=None):
        return ServiceRecord.objects.create(volunteer=v, community=v.community, served_on=day, hours=Decimal(hours), source=ServiceSource.ACTIVITY,
                                            source_id=1, description="服务", verified_by=w.quwei, verified_at=at(D(2025, 4, 5)), reverses=reverses)
    served(v1, D(2025, 3, 1), "2.5")
    served(v1, D(2025, 3, 31), "1.0")
    served(v2, D(2025, 3, 10), "-3.0", reverses=served(v2, D(2025, 3, 10), "3.0"))  # reversed: nets to 0, v2 did not serve
    served(v3, D(2025, 2, 28), "4.0")  # the day before
    served(v4, D(2025, 3, 15), "1.5")
    served(v4, D(2025, 4, 1), "2.0")  # the day after
    activity = lambda c, start, **kw: Activity.objects.create(title="清扫", community=c, starts_at=start, ends_at=start + dt.timedelta(hours=2),  # noqa: E731
                                                             capacity=5, signup_deadline=start, **kw)
    activity(w.C1, at(D(2025, 3, 1), 0, 0))
    activity(w.C1, at(D(2025, 3, 20)), status=ActivityStatus.CANCELLED)
    activity(w.C2, at(D(2025, 2, 28), 23, 0))
    activity(w.C3, at(D(2025, 3, 31), 20, 0), status=ActivityStatus.COMPLETED)
    Post.objects.create(name="先锋岗1", kind=PostKind.PIONEER, community=w.C1)
    Post.objects.create(name="先锋岗2", kind=PostKind.PIONEER, community=w.C3)
    Post.objects.create(name="先锋岗3", kind=PostKind.PIONEER, community=w.C1, is_active=False)
    Post.objects.create(name="值守点", kind=PostKind.DUTY, community=w.C2)
    for name, kind, community in [("红马甲", TeamKind.GENERAL, w.C1), ("医疗队", TeamKind.PROFESSIONAL, w.C1),
                                  ("法律队", TeamKind.PROFESSIONAL, w.C3), ("邻里社", TeamKind.SOCIAL_ORG, w.C2)]:
        Team.objects.create(name=name, kind=kind, community=community)
    return w


def _values(scope):
    return {code: f.value for code, f in compute(CODES, scope, MARCH).items()}


def test_figures_of_the_district(district, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        values = _values(EVERYTHING)
    assert values == {
        "volunteers.member": 2, "volunteers.resident": 1, "volunteers.checkin": 1, "volunteers.hours": Decimal("5.0"), "volunteers.served": 2,
        "volunteers.activities": 2, "volunteers.pioneer_posts": 2, "volunteers.duty_posts": 1, "volunteers.teams": 3,
        "volunteers.professional_teams": 2, "volunteers.social_orgs": 1,
    }
    assert get("volunteers.hours").compute(EVERYTHING, MARCH).display == "5.0"


def test_figures_of_one_community(district):
    assert _values(Scope.of(place_paths=[district.C1.path])) == {
        "volunteers.member": 1, "volunteers.resident": 1, "volunteers.checkin": 0, "volunteers.hours": Decimal("3.5"), "volunteers.served": 1,
        "volunteers.activities": 1, "volunteers.pioneer_posts": 1, "volunteers.duty_posts": 0, "volunteers.teams": 2,
        "volunteers.professional_teams": 1, "volunteers.social_orgs": 0,
    }
    assert _values(Scope.of(place_paths=[district.S2.path]))["volunteers.hours"] == Decimal("1.5")
    assert _values(Scope.of(org_paths=[district.O_C1.path]))["volunteers.member"] == 0  # volunteers hang off places only


def test_records(district):
    w = district
    c1 = Scope.of(place_paths=[w.C1.path])
    assert get("volunteers.member").records(EVERYTHING, MARCH) == f"{reverse('volunteers:list')}?kind=member"
    assert get("volunteers.checkin").records(c1, MARCH) == f"{reverse('volunteers:list')}?kind=checkin&community={w.C1.pk}"
    assert get("volunteers.member").records(Scope.of(place_paths=[w.S1.path]), MARCH) == ""  # the registry filters by 社区 only
    assert get("volunteers.professional_teams").records(EVERYTHING, MARCH) == f"{reverse('volunteers:teams')}?kind=professional"
    assert get("volunteers.pioneer_posts").records(EVERYTHING, MARCH) == f"{reverse('volunteers:posts')}?kind=pioneer"
    assert get("volunteers.pioneer_posts").records(c1, MARCH) == ""
    assert get("volunteers.hours").records is None and get("volunteers.member").period_free and not get("volunteers.hours").period_free
