"""Campaigns and nominations: the periods, who may be nominated, the review before the vote."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongzhi.culture import services
from gongzhi.culture.models import Campaign, Nomination

from .factories import campaign, category, nomination

pytestmark = pytest.mark.django_db


def _nominate(world, scope_of, c, person, **kw):
    return services.nomination_add(scope=scope_of(world.shequ1), acting_user=world.shequ1, campaign=c, person=person,
                                   reason=kw.pop("reason", "孝老爱亲"), nominator_kind=kw.pop("nominator_kind", "organisation"),
                                   nominator=kw.pop("nominator", "幸福家园党支部"), **kw)


def test_create_a_campaign_with_its_periods(world, scope_of):
    today = timezone.localdate()
    values = dict(category=category("好媳妇"), title="好媳妇评选", occasion="国庆节", description="", seats=3, tie_rule="flag",
                  nominate_from=today, nominate_until=today + dt.timedelta(days=5), vote_from=today + dt.timedelta(days=5),
                  vote_until=today + dt.timedelta(days=9))
    with pytest.raises(ValidationError, match="投票须在提名截止之后开始"):
        services.campaign_create(scope=scope_of(world.shequ1), acting_user=world.shequ1, community=world.C1, **values)
    values["vote_from"] = today + dt.timedelta(days=6)
    c = services.campaign_create(scope=scope_of(world.shequ1), acting_user=world.shequ1, community=world.C1, **values)
    assert c.phase() == "nominating" and c.seats == 3
    with pytest.raises(Exception):  # C2 is not shequ1's
        services.campaign_create(scope=scope_of(world.shequ1), acting_user=world.shequ1, community=world.C2, **values)
    assert Campaign.objects.count() == 1


def test_only_residents_of_the_community_are_nominated_once(world, scope_of):
    c = campaign(world.C1, "nominating")
    n = _nominate(world, scope_of, c, world.lisi)
    assert n.status == "pending"
    with pytest.raises(ValidationError, match="李四已被提名"):
        _nominate(world, scope_of, c, world.lisi)
    with pytest.raises(ValidationError, match="须是幸福社区的在册居民"):
        _nominate(world, scope_of, c, world.zhaoliu)


def test_nominations_only_in_the_nomination_period(world, scope_of):
    for phase in ("upcoming", "reviewing", "voting"):
        with pytest.raises(ValidationError, match="现在不能提名"):
            _nominate(world, scope_of, campaign(world.C1, phase, title=phase), world.lisi)


def test_review_before_the_vote(world, scope_of):
    c = campaign(world.C1, "reviewing")
    n = nomination(c, world.lisi, status="pending")
    scope = scope_of(world.shequ1)
    with pytest.raises(ValidationError, match="不予通过须填写审核意见"):
        services.nomination_review(scope=scope, acting_user=world.shequ1, nomination=n, accept=False)
    n = services.nomination_review(scope=scope, acting_user=world.shequ1, nomination=n, accept=True)
    assert n.status == "accepted" and n.reviewed_by == world.shequ1
    voting = campaign(world.C1, "voting", title="投票中")
    m = nomination(voting, world.lisi, status="pending")
    with pytest.raises(ValidationError, match="投票已开始"):
        services.nomination_review(scope=scope, acting_user=world.shequ1, nomination=m, accept=True)


def test_the_campaign_page_nominates_and_reviews(client, world):
    c = campaign(world.C1, "nominating")
    client.force_login(world.shequ1)
    url = reverse("culture:campaign", args=[c.pk])
    page = client.get(url, {"q": "李四"}).content.decode()
    assert "李四" in page and "登记提名" in page
    r = client.post(url, {"action": "nominate", "nominate-person": world.lisi.pk, "nominate-nominator_kind": "residents",
                          "nominate-nominator": "居民王某等5人", "nominate-reason": "照顾婆婆"}, follow=True)
    assert "已登记对李四的提名" in r.content.decode()
    n = Nomination.objects.get()
    r = client.post(url, {"action": f"review-{n.pk}", f"review-{n.pk}-decision": "accept", f"review-{n.pk}-review_note": ""}, follow=True)
    assert "李四已列为候选人" in r.content.decode()
    assert Nomination.objects.get().status == "accepted"
