"""The figures of 民主决策, hand-worked: C1 has three matters (one 已办结, one 决议通过 with the
公开 still to come, one open), C2 one 已办结 of 一征三议两公开; C1's 公约 filed."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.core import indicators
from gongzhi.core.indicators import Period
from gongzhi.decisions import services
from gongzhi.decisions.tests.factories import matter, one_three_two, record_next, run_all


@pytest.fixture
def w(world, scope_of):
    w = world
    w.s1, w.s2, w.sj = scope_of(w.shequ1), scope_of(w.shequ2), scope_of(w.jiedao1)
    run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1, title="一"))
    half = matter(w.s1, w.shequ1, w.C1, title="二")
    for _ in range(4):
        record_next(w.s1, w.shequ1, half)
    matter(w.s1, w.shequ1, w.C1, title="三")
    run_all(w.s2, w.shequ2, matter(w.s2, w.shequ2, w.C2, method=one_three_two()))
    conv = services.convention_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, title="公约")
    half.refresh_from_db()
    version = services.convention_version_adopt(scope=w.s1, acting_user=w.shequ1, convention=conv, text="公约全文", matter=half)
    services.convention_version_file(scope=w.s1, acting_user=w.shequ1, version=version, filed_on=timezone.localdate())
    today = timezone.localdate()
    w.period = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "year")
    return w


def fig(code, scope, period):
    return indicators.get(code).compute(scope, period)


def test_matter_counts(w):
    assert fig("decisions.matters", w.sj, w.period).value == 4
    assert fig("decisions.matters", w.s1, w.period).value == 3
    assert fig("decisions.adopted", w.s1, w.period).value == 2
    assert fig("decisions.sy2gk_matters", w.sj, w.period).value == 3
    assert fig("decisions.yz3y2gk_adopted", w.sj, w.period).value == 1
    rows = indicators.get("decisions.matters").breakdown(w.sj, w.period)
    assert [(r.name, r.figure.value) for r in rows] == [("幸福社区", 3), ("和平社区", 1)]


def test_record_completeness(w):
    figure = fig("decisions.record_complete", w.s1, w.period)
    assert (figure.numerator, figure.denominator) == (1, 2)
    figure = fig("decisions.record_complete", w.sj, w.period)
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_convention_coverage(w):
    figure = fig("decisions.convention_communities", w.sj, w.period)
    assert (figure.numerator, figure.denominator) == (1, 2)
    figure = fig("decisions.convention_compounds", w.sj, w.period)
    assert (figure.numerator, figure.denominator) == (0, 3)
