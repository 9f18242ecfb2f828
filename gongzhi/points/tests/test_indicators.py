"""The points and 五星支部 headline figures on hand-worked members and ratings: a period is read
as the year it ends in; only published ratings of that year count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gongzhi.core.indicators import Period, compute, get
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.points.models import EvaluationStatus, MemberCycleTotal, StarEvaluation, StarScheme

D = dt.date
Y2025 = Period(D(2025, 4, 1), D(2025, 6, 30))  # year 2025
CODES = ["points.average", "points.excellent", "points.failing", "points.five_star", "points.model_sites", "points.average_stars"]


@pytest.fixture
def district(world):
    """Default rules: base 60, 优秀 ≥ 90, 合格 ≥ 70, 基本合格 ≥ 60. 2025: 张三 60 + 35 = 95 (优秀),
    赵六 60 (基本合格), 孙七 60 − 10 = 50 (不合格); 2024: 张三 60 + 40 (not this year).
    Ratings: K1 2025 published 5★ 示范点, K3 2025 published 4★, K4 2025 draft 5★, K4 2024 published 5★."""
    w = world
    MemberCycleTotal.objects.create(member=w.m_zhangsan, cycle=2025, total=Decimal("35"))
    MemberCycleTotal.objects.create(member=w.m_zhangsan, cycle=2024, total=Decimal("40"))
    MemberCycleTotal.objects.create(member=w.m_sunqi, cycle=2025, total=Decimal("-10"))
    scheme = StarScheme.objects.filter(is_active=True).first()
    rate = lambda org, year, stars, status=EvaluationStatus.PUBLISHED, **kw: StarEvaluation.objects.create(  # noqa: E731
        organization=org, year=year, scheme=scheme, status=status, stars=stars, **kw)
    rate(w.O_K1, 2025, 5, is_model_site=True)
    rate(w.O_K3, 2025, 4)
    rate(w.O_K4, 2025, 5, EvaluationStatus.DRAFT, is_model_site=True)
    rate(w.O_K4, 2024, 5)
    return w


def _values(scope):
    return {code: (f.value if f.kind != "rate" else (f.numerator, f.denominator)) for code, f in compute(CODES, scope, Y2025).items()}


def test_figures_of_the_district(district, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        values = _values(EVERYTHING)
    assert values == {"points.average": Decimal("68.3"), "points.excellent": (1, 3), "points.failing": 1,
                      "points.five_star": 1, "points.model_sites": 1, "points.average_stars": Decimal("4.5")}
    assert get("points.average").compute(EVERYTHING, Y2025).denominator == 3


def test_figures_of_a_community_and_a_branch(district):
    w = district
    assert _values(Scope.of(place_paths=[w.C1.path])) == {"points.average": Decimal("95.0"), "points.excellent": (1, 1), "points.failing": 0,
                                                           "points.five_star": 1, "points.model_sites": 1, "points.average_stars": Decimal("5.0")}
    assert _values(Scope.of(org_paths=[w.O_C2.path])) == {"points.average": Decimal("60.0"), "points.excellent": (0, 1), "points.failing": 0,
                                                           "points.five_star": 0, "points.model_sites": 0, "points.average_stars": Decimal("4.0")}
    assert _values(Scope.of(org_paths=[w.O_S2.path]))["points.failing"] == 1
    nobody = compute(CODES, Scope.of(place_paths=[w.K2.path]), Y2025)
    assert nobody["points.average"].display == "—" and nobody["points.average_stars"].value is None


def test_2024_reads_that_year(district):
    values = _values(EVERYTHING)
    y2024 = {code: f for code, f in compute(CODES, EVERYTHING, Period.year(2024)).items()}
    assert values["points.five_star"] == 1 and y2024["points.five_star"].value == 1 and y2024["points.model_sites"].value == 0
    assert y2024["points.average"].value == Decimal("73.3")  # (100 + 60 + 60) ÷ 3


def test_records(district):
    w = district
    assert get("points.average").records(EVERYTHING, Y2025) == f"{reverse('points:ranking')}?year=2025"
    assert get("points.five_star").records(Scope.of(org_paths=[w.O_C2.path]), Y2025) == f"{reverse('points:stars')}?year=2025&stars=5&org={w.O_C2.pk}"
    assert get("points.average").records(Scope.of(place_paths=[w.C1.path]), Y2025) == ""  # the ranking filters by organisation only
