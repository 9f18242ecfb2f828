"""C1 and C2 (siblings under S1) never see each other's 德治 records; S1 sees both."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from gongzhi.culture import selectors

from .factories import campaign, nomination, publicity, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(world):
    a = dict(story=story(world.C1, title="幸福家风"), campaign=campaign(world.C1, "voting", title="幸福评选"),
             publicity=publicity(world.C1, "banner", 1, dt.date(2026, 1, 5), "幸福横幅"))
    b = dict(story=story(world.C2, title="和平家风"), campaign=campaign(world.C2, "voting", title="和平评选"),
             publicity=publicity(world.C2, "banner", 1, dt.date(2026, 1, 5), "和平横幅"))
    nomination(a["campaign"], world.lisi)
    nomination(b["campaign"], world.zhaoliu)
    return a, b


def _titles(scope):
    return ({s.title for s in selectors.story_list(scope=scope)}, {c.title for c in selectors.campaign_list(scope=scope)},
            {p.topic for p in selectors.publicity_list(scope=scope)})


def test_siblings_do_not_see_each_other_and_the_street_sees_both(world, scope_of, both):
    assert _titles(scope_of(world.shequ1)) == ({"幸福家风"}, {"幸福评选"}, {"幸福横幅"})
    assert _titles(scope_of(world.shequ2)) == ({"和平家风"}, {"和平评选"}, {"和平横幅"})
    assert _titles(scope_of(world.jiedao1)) == ({"幸福家风", "和平家风"}, {"幸福评选", "和平评选"}, {"幸福横幅", "和平横幅"})
    assert _titles(scope_of(world.shequ3)) == (set(), set(), set())


def test_detail_lookups_out_of_scope_are_404(world, scope_of, both):
    a, b = both
    with pytest.raises(Http404):
        selectors.story_get(scope=scope_of(world.shequ1), pk=b["story"].pk)
    with pytest.raises(Http404):
        selectors.campaign_get(scope=scope_of(world.shequ2), pk=a["campaign"].pk)
    assert selectors.campaign_get(scope=scope_of(world.jiedao1), pk=a["campaign"].pk)


def test_pages_of_the_sibling_are_404(client, world, both):
    _a, b = both
    client.force_login(world.shequ1)
    for name, obj in (("culture:story", b["story"]), ("culture:story_edit", b["story"]), ("culture:campaign", b["campaign"]),
                      ("culture:campaign_edit", b["campaign"])):
        assert client.get(reverse(name, args=[obj.pk])).status_code == 404, name
    assert client.post(reverse("culture:story", args=[b["story"].pk]), {"action": "publish"}).status_code == 404
    assert client.get(reverse("culture:stories"), {"community": world.C2.pk}).status_code == 404
    html = client.get(reverse("culture:campaigns")).content.decode() + client.get(reverse("culture:publicity")).content.decode()
    assert "和平" not in html and "幸福评选" in html
