"""The headline figures of 区划与组织 on the hand-made world (conftest):

    小区: K1 (branch O_K1), K2 (三无, no branch), K3 (O_K3), K4 (O_K4)   → 3 of 4 covered; in C1 1 of 2
    社区 C1 C2 C3; 网格 G1 (C1), G2 (C2); 党组织 8 (2 街道, 3 社区, 3 小区), in C1: O_C1, O_K1
    两新 (added here): 幸福大厦 (C1, has O_C1), 创业园 (K1, party work), 南山市场 (C3, neither)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core import indicators
from gongzhi.core.indicators import Figure, Period
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.org.indicators import scope_org, scope_unit
from gongzhi.org.models import NewOrganization, NewSector, PlaceLevel
from gongzhi.org.tests import factories as of

YEAR = Period.year(2026)


def _figure(code, scope):
    return indicators.get(code).compute(scope, YEAR)


@pytest.fixture
def c1(world):
    return Scope.of(place_paths=[world.C1.path])


@pytest.fixture
def new_orgs(world):
    building, market = NewSector.objects.get(code="office_building"), NewSector.objects.get(code="market")
    NewOrganization.objects.create(name="幸福大厦", sector=building, place=world.C1, party_org=world.O_C1)
    NewOrganization.objects.create(name="创业园", sector=building, place=world.K1, has_party_work=True)
    NewOrganization.objects.create(name="南山市场", sector=market, place=world.C3)
    return world


def test_compound_coverage(world, c1):
    assert _figure("org.compound_coverage", EVERYTHING) == Figure.rate(3, 4)
    assert _figure("org.compound_coverage", c1) == Figure.rate(1, 2)
    branch = Scope.of(org_paths=[world.O_K1.path], place_paths=[world.K1.path])
    assert _figure("org.compound_coverage", branch) == Figure.rate(1, 1)
    assert _figure("org.compound_coverage", EVERYTHING).display == "75.0%"


def test_compound_coverage_breakdown(world, c1):
    indicator = indicators.get("org.compound_coverage")
    rows = indicator.breakdown(EVERYTHING, YEAR)
    assert [(r.name, r.figure.value, r.parent) for r in rows] == [
        ("幸福家园", 1, "幸福社区"), ("老厂宿舍", 0, "幸福社区"), ("和平里", 1, "和平社区"), ("南山苑", 1, "南山社区"),
    ]
    k2 = rows[1]
    assert (k2.key, k2.model, k2.url) == (world.K2.pk, "org.place", reverse("org:place", args=[world.K2.pk]))
    # the alert "小区 without a party organisation" reads the rows at 0
    assert [r.name for r in indicator.breakdown(c1, YEAR) if r.figure.value == 0] == ["老厂宿舍"]


def test_compound_breakdown_queries_do_not_grow(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        indicators.get("org.compound_coverage").breakdown(EVERYTHING, YEAR)
    for i in range(5):
        compound = of.place(world.C3, PlaceLevel.COMPOUND, f"新区{i}")
        of.org("compound_branch", compound, world.O_C3, name=f"新区{i}党支部", covers=[compound])
    with django_assert_num_queries(2):
        rows = indicators.get("org.compound_coverage").breakdown(EVERYTHING, YEAR)
    assert len(rows) == 9 and rows[-1].parent == "南山社区"


def test_new_org_coverages(new_orgs, c1):
    assert _figure("org.new_org_coverage", EVERYTHING) == Figure.rate(1, 3)
    assert _figure("org.new_org_work_coverage", EVERYTHING) == Figure.rate(2, 3)
    assert _figure("org.new_org_coverage", c1) == Figure.rate(1, 2)
    assert _figure("org.new_org_work_coverage", c1) == Figure.rate(2, 2)
    # the 两新 list has no place filter: records only for an unnarrowed scope
    assert indicators.get("org.new_org_coverage").records(EVERYTHING, YEAR) == reverse("org:new_orgs")
    assert indicators.get("org.new_org_coverage").records(c1, YEAR) == ""


def test_counts(world, c1):
    c2 = Scope.of(place_paths=[world.C2.path])
    expected = {
        "org.organizations": (8, 2, 2),
        "org.communities": (3, 1, 1),
        "org.compounds": (4, 2, 1),
        "org.grids": (2, 1, 1),
        "org.three_no_compounds": (1, 1, 0),
    }
    for code, (everything, in_c1, in_c2) in expected.items():
        got = (_figure(code, EVERYTHING).value, _figure(code, c1).value, _figure(code, c2).value)
        assert got == (everything, in_c1, in_c2), code
        assert indicators.get(code).period_free


def test_counts_queries(world, c1):
    for code in ("org.organizations", "org.communities", "org.compounds", "org.grids", "org.three_no_compounds", "org.compound_coverage"):
        with CaptureQueriesContext(connection) as ctx:
            _figure(code, c1)
        assert len(ctx) == 1, code


def test_records_urls(world, c1):
    coverage = indicators.get("org.compound_coverage")
    assert coverage.records(EVERYTHING, YEAR) == reverse("org:places")
    assert coverage.records(c1, YEAR) == reverse("org:place", args=[world.C1.pk])
    branch = Scope.of(org_paths=[world.O_K1.path], place_paths=[world.K1.path])
    assert coverage.records(branch, YEAR) == reverse("org:org", args=[world.O_K1.pk])
    orgs = indicators.get("org.organizations")
    assert orgs.records(EVERYTHING, YEAR) == reverse("org:orgs")
    assert orgs.records(c1, YEAR) == reverse("org:org", args=[world.O_C1.pk])
    assert orgs.records(Scope.of(place_paths=[world.K2.path]), YEAR) == ""  # no organisation sits at K2


def test_scope_unit(world, c1):
    assert scope_unit(EVERYTHING) is None
    assert scope_unit(c1) == world.C1
    assert scope_unit(Scope.of(place_paths=[world.C1.path, world.C3.path])) is None  # a user's several grants
    assert scope_org(c1) == (True, world.O_C1)
    assert scope_org(Scope.of(place_paths=[world.S1.path])) == (True, world.O_S1)
    assert scope_org(EVERYTHING) == (False, None)
