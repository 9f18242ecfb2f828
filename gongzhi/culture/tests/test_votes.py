"""The public vote: one vote per resident per campaign (the database's unique constraint), only
registered residents of the campaign's 社区, only in the voting period, only for accepted
nominees, a guessing limit per address."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongzhi.culture import services
from gongzhi.culture.models import Vote
from gongzhi.people.models import Person

from .factories import campaign, id_of, nomination

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def running(world):
    c = campaign(world.C1, "voting")
    return c, nomination(c, world.lisi), nomination(c, world.wangwu)


def _vote(c, n, person, **kw):
    return services.vote_cast(campaign=c, nomination_id=n.pk, name=person.name, id_number=id_of(person), **kw)


def test_a_resident_votes_once_and_a_second_vote_is_refused(world, running):
    c, lisi, wangwu = running
    vote = _vote(c, lisi, world.zhangsan)
    assert vote.voter == world.zhangsan and vote.nomination == lisi
    with pytest.raises(ValidationError, match="您已在本次评选中投过票，每位居民只能投一票"):
        _vote(c, wangwu, world.zhangsan)
    assert Vote.objects.filter(campaign=c).count() == 1


def test_the_database_refuses_a_second_vote_whatever_the_code_does(world, running):
    c, lisi, wangwu = running
    Vote.objects.create(campaign=c, nomination=lisi, voter=world.zhangsan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(campaign=c, nomination=wangwu, voter=world.zhangsan)


def test_the_same_resident_votes_in_another_campaign(world, running):
    c, lisi, _w = running
    other = campaign(world.C1, "voting", title="道德榜样评选")
    _vote(c, lisi, world.zhangsan)
    _vote(other, nomination(other, world.lisi), world.zhangsan)
    assert Vote.objects.filter(voter=world.zhangsan).count() == 2


def test_only_registered_residents_of_the_campaigns_community_vote(world, running):
    c, lisi, _w = running
    with pytest.raises(ValidationError, match="不是幸福社区的在册居民"):
        _vote(c, lisi, world.zhaoliu)  # lives in C2
    with pytest.raises(ValidationError, match="姓名与身份证号不符"):
        services.vote_cast(campaign=c, nomination_id=lisi.pk, name="张四", id_number=id_of(world.zhangsan))
    Person.objects.filter(pk=world.wangwu.pk).update(status="moved_out")
    with pytest.raises(ValidationError, match="姓名与身份证号不符"):
        _vote(c, lisi, world.wangwu)
    assert not Vote.objects.exists()


def test_votes_only_in_the_voting_period(world, running):
    c, lisi, _w = running
    before = timezone.make_aware(dt.datetime.combine(c.vote_from - dt.timedelta(days=1), dt.time(20)))
    after = timezone.make_aware(dt.datetime.combine(c.vote_until + dt.timedelta(days=1), dt.time(8)))
    for moment in (before, after):
        with pytest.raises(ValidationError, match="现在不在投票时间内"):
            _vote(c, lisi, world.zhangsan, now=moment)
    last_day = timezone.make_aware(dt.datetime.combine(c.vote_until, dt.time(23, 30)))
    assert _vote(c, lisi, world.zhangsan, now=last_day)


def test_only_accepted_nominees_can_be_voted_for(world):
    c = campaign(world.C1, "voting")
    pending = nomination(c, world.lisi, status="pending")
    rejected = nomination(c, world.wangwu, status="rejected")
    other = nomination(campaign(world.C1, "voting", title="另一评选"), world.lisi)
    for n in (pending, rejected, other):
        with pytest.raises(ValidationError, match="请选择一位候选人"):
            _vote(c, n, world.zhangsan)


def test_failed_identifications_are_limited_per_address(world, running):
    c, lisi, _w = running
    for _i in range(services.awards.FAILURES.limit):
        with pytest.raises(ValidationError, match="姓名与身份证号不符"):
            services.vote_cast(campaign=c, nomination_id=lisi.pk, name="张三", id_number="410305198005170000", address="10.0.0.7")
    with pytest.raises(ValidationError, match="尝试次数过多"):
        _vote(c, lisi, world.zhangsan, address="10.0.0.7")
    assert _vote(c, lisi, world.zhangsan, address="10.0.0.8")  # another address is not held back


def test_the_phone_page_takes_a_vote_and_refuses_the_second(client, world, running):
    c, lisi, wangwu = running
    url = reverse("culture:public_campaign", args=[world.C1.pk, c.pk])
    page = client.get(url).content.decode()
    assert "李四" in page and "王五" in page and "照顾瘫痪婆婆" in page  # accepted nominees in full
    r = client.post(url, {"nomination": lisi.pk, "name": "张三", "id_number": id_of(world.zhangsan)}, follow=True)
    assert "投票成功" in r.content.decode()
    r = client.post(url, {"nomination": wangwu.pk, "name": "张三", "id_number": id_of(world.zhangsan)})
    html = r.content.decode()
    assert r.status_code == 200 and "您已在本次评选中投过票" in html
    assert "张三" not in html.replace('value="张三"', "")  # the voter is never shown (only echoed in their own form)
    assert id_of(world.zhangsan) not in html.replace(f'value="{id_of(world.zhangsan)}"', "")
    assert Vote.objects.count() == 1


def test_the_public_page_of_another_community_is_404(client, world, running):
    c, _l, _w = running
    assert client.get(reverse("culture:public_campaign", args=[world.C2.pk, c.pk])).status_code == 404
    assert client.get(reverse("culture:public_campaign", args=[world.K1.pk, c.pk])).status_code == 404


def test_a_pending_nominee_is_not_on_the_public_page(client, world):
    c = campaign(world.C1, "voting")
    nomination(c, world.lisi)
    nomination(c, world.wangwu, status="pending")
    html = client.get(reverse("culture:public_campaign", args=[world.C1.pk, c.pk])).content.decode()
    assert "李四" in html and "王五" not in html


def test_a_campaign_still_nominating_is_not_public(client, world):
    c = campaign(world.C1, "nominating")
    assert client.get(reverse("culture:public_campaign", args=[world.C1.pk, c.pk])).status_code == 404
