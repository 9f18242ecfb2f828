"""The staff pages open and read in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import campaign, nomination, publicity, story

pytestmark = pytest.mark.django_db


def test_every_page_opens(client, world):
    c = campaign(world.C1, "reviewing")
    nomination(c, world.lisi, status="pending")
    s = story(world.C1)
    publicity(world.C1, "board", 2, dt.date(2026, 2, 1))
    client.force_login(world.shequ1)
    for name, args in (("culture:overview", []), ("culture:stories", []), ("culture:story_new", []), ("culture:story", [s.pk]),
                       ("culture:story_edit", [s.pk]), ("culture:campaigns", []), ("culture:campaign_new", []), ("culture:campaign", [c.pk]),
                       ("culture:campaign_edit", [c.pk]), ("culture:publicity", []), ("culture:publicity_new", []),
                       ("culture:public", [world.C1.pk]), ("culture:public_campaign", [world.C1.pk, c.pk])):
        r = client.get(reverse(name, args=args))
        assert r.status_code == 200, name


@pytest.mark.parametrize("name", ["culture:stories", "culture:campaigns", "culture:publicity"])
def test_lists_read_a_fixed_number_of_queries(client, world, name):
    client.force_login(world.shequ1)
    story(world.C1, title="故事")
    campaign(world.C1, "voting", title="评选")
    publicity(world.C1, "banner", 1, dt.date(2026, 2, 1))
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    for i in range(15):
        story(world.C1, title=f"故事{i}")
        campaign(world.C1, "voting", title=f"评选{i}")
        publicity(world.C1, "banner", 1, dt.date(2026, 1, 1 + i))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))
    assert len(many) == len(few)


def test_the_story_form_finds_households_by_a_members_name(client, world):
    client.force_login(world.shequ1)
    html = client.get(reverse("culture:story_new"), {"q": "李四"}).content.decode()
    assert "1号楼 1-101" in html
    html = client.get(reverse("culture:story_new"), {"q": "赵六"}).content.decode()
    assert "2-502" not in html  # a household of C2
