"""The 三张清单 headline figures on hand-counted needs and projects around March 2025: a need
registered the evening before the period or at midnight after it is not counted; merged
duplicates are not counted; a need closed after the period is not closed within it."""

import datetime as dt

import pytest
from django.urls import reverse

from gongzhi.core.indicators import Period, compute, get
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.needs.models import Need, NeedStatus, Project, ProjectStatus, Resource, ResourceKind, Satisfaction
from gongzhi.needs.tests.factories import at, need

D = dt.date
MARCH = Period.month(2025, 3)
CODES = ["needs.registered", "needs.closed", "needs.close_rate", "needs.open", "needs.overdue", "needs.satisfaction",
         "needs.projects_opened", "needs.projects_closed", "needs.projects_open", "needs.resources"]


def _set(n, **fields):
    Need.objects.filter(pk=n.pk).update(**fields)


@pytest.fixture
def district(world):
    w = world
    reg = lambda place, when: need(EVERYTHING, w.quwei, place=place, registered_at=when)  # noqa: E731
    n1 = reg(w.B1, at(D(2025, 3, 1), 0, 0))  # C1: in, closed and visited (满意) in March
    _set(n1, status=NeedStatus.VISITED, closed_at=at(D(2025, 3, 20)), visited_at=at(D(2025, 3, 25)), satisfaction=Satisfaction.SATISFIED)
    reg(w.B1, at(D(2025, 3, 31), 23, 0))  # C1: in, still open → overdue
    n3 = reg(w.B1, at(D(2025, 2, 28), 23, 30))  # C1: registered before; closed and visited (不满意) in March
    _set(n3, status=NeedStatus.VISITED, closed_at=at(D(2025, 3, 5)), visited_at=at(D(2025, 3, 28)), satisfaction=Satisfaction.UNSATISFIED)
    n4 = reg(w.B3, at(D(2025, 3, 10)))  # C2: in, closed on 2 April (not by the period's end)
    _set(n4, status=NeedStatus.CLOSED, closed_at=at(D(2025, 4, 2)))
    n5 = reg(w.B3, at(D(2025, 3, 11)))  # C2: merged into n4: not counted
    _set(n5, status=NeedStatus.MERGED, merged_into=n4)
    n6 = reg(w.B4, at(D(2025, 3, 15)))  # C3: in, closed, visited (基本满意) on the last minute
    _set(n6, status=NeedStatus.VISITED, closed_at=at(D(2025, 3, 16)), visited_at=at(D(2025, 3, 31), 23, 59), satisfaction=Satisfaction.FAIR)
    reg(w.B2, at(D(2025, 4, 1), 0, 0))  # C1: after the period, open → overdue
    project = lambda place, org, **kw: Project.objects.create(name="项目", place=place, organization=org, leader_name="张三", **kw)  # noqa: E731
    project(w.K1, w.O_K1, status=ProjectStatus.RUNNING, opened_on=D(2025, 3, 1))
    project(w.K1, w.O_K1, status=ProjectStatus.CLOSED, opened_on=D(2025, 2, 28), closed_on=D(2025, 3, 31))
    project(w.K4, w.O_K4, status=ProjectStatus.CLOSED, opened_on=D(2025, 3, 31), closed_on=D(2025, 4, 1))
    Resource.objects.create(name="活动室", kind=ResourceKind.THING, place=w.B1, recorded_at=at(D(2025, 1, 1)))
    Resource.objects.create(name="社区基金", kind=ResourceKind.FUND, place=w.C3, recorded_at=at(D(2025, 1, 1)))
    return w


def _values(scope):
    return {code: (f.value if f.kind != "rate" else (f.numerator, f.denominator)) for code, f in compute(CODES, scope, MARCH).items()}


def test_figures_of_the_district(district, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        values = _values(EVERYTHING)
    assert values == {
        "needs.registered": 4, "needs.closed": 3, "needs.close_rate": (2, 4), "needs.open": 2, "needs.overdue": 2, "needs.satisfaction": (2, 3),
        "needs.projects_opened": 2, "needs.projects_closed": 1, "needs.projects_open": 1, "needs.resources": 2,
    }


def test_figures_of_one_community(district):
    assert _values(Scope.of(place_paths=[district.C1.path])) == {
        "needs.registered": 2, "needs.closed": 2, "needs.close_rate": (1, 2), "needs.open": 2, "needs.overdue": 2, "needs.satisfaction": (1, 2),
        "needs.projects_opened": 1, "needs.projects_closed": 1, "needs.projects_open": 1, "needs.resources": 1,
    }
    c3 = _values(Scope.of(place_paths=[district.C3.path]))
    assert (c3["needs.registered"], c3["needs.close_rate"], c3["needs.satisfaction"], c3["needs.overdue"]) == (1, (1, 1), (1, 1), 0)


def test_overdue_by_community(district, django_assert_max_num_queries):
    w = district
    with django_assert_max_num_queries(3):
        rows = get("needs.overdue").breakdown(EVERYTHING, MARCH)
    assert [(r.name, r.figure.value, r.parent, r.model, r.key) for r in rows] == [
        ("幸福社区", 2, "东风街道", "org.place", w.C1.pk), ("和平社区", 0, "东风街道", "org.place", w.C2.pk), ("南山社区", 0, "西山街道", "org.place", w.C3.pk)]
    assert rows[0].url == f"{reverse('needs:ledger')}?place={w.C1.pk}&overdue=1"
    assert [r.name for r in get("needs.overdue").breakdown(Scope.of(place_paths=[w.S2.path]), MARCH)] == ["南山社区"]


def test_records(district):
    w, ledger = district, reverse("needs:ledger")
    c1 = Scope.of(place_paths=[w.C1.path])
    assert get("needs.open").records(EVERYTHING, MARCH) == ledger
    assert get("needs.open").records(c1, MARCH) == f"{ledger}?place={w.C1.pk}"
    assert get("needs.overdue").records(c1, MARCH) == f"{ledger}?overdue=1&place={w.C1.pk}"
    assert get("needs.projects_open").records(EVERYTHING, MARCH) == f"{ledger}?kind=projects"
    assert get("needs.resources").records(c1, MARCH) == f"{reverse('needs:resources')}?place={w.C1.pk}"
    assert get("needs.open").records(Scope.of(org_paths=[w.O_K1.path]), MARCH) == ""  # needs hang off places only
    assert get("needs.registered").records is None and get("needs.open").period_free and not get("needs.registered").period_free
