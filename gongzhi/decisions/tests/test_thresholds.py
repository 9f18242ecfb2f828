"""Thresholds in whole numbers, hand-worked (四议两公开: 党员大会 ≥ 2/3 of those due attend and
> 1/2 of those due agree; 居民会议 > 1/2 attend and > 1/2 of those present agree)."""

from fractions import Fraction

import pytest

from gongzhi.decisions.services import evaluate, needed
from gongzhi.decisions.tests.factories import four_two


def test_needed_counts():
    assert needed(30, Fraction(2, 3), strict=False) == 20
    assert needed(31, Fraction(2, 3), strict=False) == 21   # 20.67 → 21
    assert needed(30, Fraction(1, 2), strict=True) == 16    # more than 15
    assert needed(31, Fraction(1, 2), strict=True) == 16    # more than 15.5
    assert needed(20, Fraction(1, 2), strict=False) == 10


@pytest.mark.django_db
@pytest.mark.parametrize("due, present, yes, passed", [
    (30, 19, 19, False),   # 19 < 20 attend: fails whatever the votes
    (30, 20, 15, False),   # 20 attend, but 15 is not more than half of the 30 due
    (30, 20, 16, True),    # 16 > 15
    (31, 20, 20, False),   # 31 due: 21 must attend
    (31, 21, 15, False),   # 15 is not more than 15.5
    (31, 21, 16, True),
])
def test_party_congress(due, present, yes, passed):
    step = four_two().steps.get(order=3)
    assert evaluate(step, due=due, present=present, votes_for=yes).passed is passed


@pytest.mark.django_db
@pytest.mark.parametrize("due, present, yes, passed", [
    (40, 20, 20, False),   # exactly half attend: not more than half
    (40, 21, 10, False),   # 10 of 21 present is not a majority
    (40, 21, 11, True),    # 11 > 10.5
    (41, 21, 11, True),    # 21 > 20.5 attend
])
def test_residents_meeting(due, present, yes, passed):
    step = four_two().steps.get(order=4)
    assert evaluate(step, due=due, present=present, votes_for=yes).passed is passed


@pytest.mark.django_db
def test_failure_names_the_shortfall():
    step = four_two().steps.get(order=3)
    verdict = evaluate(step, due=30, present=19, votes_for=19)
    assert "至少须到 20 人" in verdict.reason
    verdict = evaluate(step, due=30, present=20, votes_for=15)
    assert "至少须 16 票" in verdict.reason
