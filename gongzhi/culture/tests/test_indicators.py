"""The 德治 figures, hand-worked: stories collected and published, campaigns held, votes, honours,
publicity by kind; by 社区."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.core import indicators
from gongzhi.core.indicators import Period
from gongzhi.culture.models import Nomination, Vote
from gongzhi.people.tests.factories import PersonFactory

from .factories import campaign, nomination, publicity, story

pytestmark = pytest.mark.django_db


def _figure(code, scope, period):
    return indicators.get(f"culture.{code}").compute(scope, period).value


def test_figures_by_community(world, scope_of):
    today = timezone.localdate()
    year = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "year")
    story(world.C1, published=True)
    story(world.C1, title="未发布")
    story(world.C2, published=True)
    c = campaign(world.C1, "counting")
    lisi, wangwu = nomination(c, world.lisi), nomination(c, world.wangwu)
    for n in (lisi, lisi, wangwu):
        Vote.objects.create(campaign=c, nomination=n, voter=PersonFactory(place=world.B1))
    c.results_published_at = timezone.now()
    c.save()
    Nomination.objects.filter(pk=lisi.pk).update(elected=True)
    publicity(world.C1, "banner", 3, today, "横幅")
    publicity(world.C2, "banner", 4, today, "横幅")
    publicity(world.C1, "wechat", 2, today, "推文")
    c1, street = scope_of(world.shequ1), scope_of(world.jiedao1)
    assert [_figure(code, c1, year) for code in ("stories_collected", "stories_published", "campaigns_held", "votes_cast", "honours_awarded")] == [2, 1, 1, 3, 1]
    assert [_figure(code, street, year) for code in ("stories_collected", "stories_published", "publicity_banner", "publicity_wechat")] == [3, 2, 7, 2]
    rows = indicators.get("culture.publicity_banner").breakdown(street, year)
    assert [(r.name, r.figure.value) for r in rows] == [("幸福社区", 3), ("和平社区", 4)]
    last_year = Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), "year")
    assert _figure("votes_cast", c1, last_year) == 0
