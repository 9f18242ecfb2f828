"""The tally (hand-worked), the tie rule, publishing the results on record and on the board."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongzhi.culture import services
from gongzhi.culture.models import Nomination, Vote
from gongzhi.culture.services.awards import tally
from gongzhi.notices.models import Notice
from gongzhi.people.tests.factories import PersonFactory

from .factories import campaign, nomination

pytestmark = pytest.mark.django_db


def _n(pk):
    return SimpleNamespace(pk=pk)


# Five nominees: A 5 votes, B 3, C 3, D 1, E 0 (pk order A..E).
VOTES = {1: 5, 2: 3, 3: 3, 4: 1}
FIVE = [_n(pk) for pk in (1, 2, 3, 4, 5)]


def _outcome(rows):
    return [(r.nomination.pk, r.votes, r.rank, r.outcome) for r in rows]


def test_two_seats_with_a_tie_at_the_second_are_flagged():
    assert _outcome(tally(FIVE, VOTES, 2, "flag")) == [(1, 5, 1, "elected"), (2, 3, 2, "tied"), (3, 3, 2, "tied"), (4, 1, 4, "not"), (5, 0, 5, "not")]


def test_two_seats_with_a_tie_all_tied_are_elected_under_the_all_rule():
    assert [r.outcome for r in tally(FIVE, VOTES, 2, "all")] == ["elected", "elected", "elected", "not", "not"]


def test_three_seats_take_the_tied_pair_whole():
    assert [r.outcome for r in tally(FIVE, VOTES, 3, "flag")] == ["elected", "elected", "elected", "not", "not"]


def test_a_nominee_with_no_vote_is_never_elected():
    assert [r.outcome for r in tally(FIVE, VOTES, 5, "flag")] == ["elected", "elected", "elected", "elected", "not"]


def test_one_seat_no_tie():
    assert [r.outcome for r in tally(FIVE, VOTES, 1, "flag")] == ["elected", "not", "not", "not", "not"]


@pytest.fixture
def counted(world):
    """A closed vote in C1, two seats: 李四 3 votes, 王五 2, 张三 1 (six voters)."""
    c = campaign(world.C1, "counting", seats=2)
    lisi, wangwu, zhangsan = nomination(c, world.lisi), nomination(c, world.wangwu), nomination(c, world.zhangsan)
    nomination(c, PersonFactory(name="周八", place=world.B1), status="rejected")
    voters = [PersonFactory(place=world.B1) for _i in range(6)]
    for voter, n in zip(voters, (lisi, lisi, lisi, wangwu, wangwu, zhangsan)):
        Vote.objects.create(campaign=c, nomination=n, voter=voter)
    return c, lisi, wangwu, zhangsan


def test_publishing_keeps_the_tally_on_record_and_puts_the_roll_on_the_board(world, scope_of, counted):
    c, lisi, wangwu, zhangsan = counted
    services.campaign_publish_results(scope=scope_of(world.shequ1), acting_user=world.shequ1, campaign=c)
    rows = {n.person.name: (n.votes, n.rank, n.elected) for n in Nomination.objects.filter(campaign=c, status="accepted")}
    assert rows == {"李四": (3, 1, True), "王五": (2, 2, True), "张三": (1, 3, False)}
    c.refresh_from_db()
    assert c.results_published_at is not None
    notice = Notice.objects.get(kind="honour", community=world.C1)
    assert notice.title == "重阳节好婆婆评选结果"
    assert "共 6 票" in notice.body and "李四（3 票）" in notice.body and "王五（2 票）" in notice.body and "张三" not in notice.body
    with pytest.raises(ValidationError, match="已于"):
        services.campaign_publish_results(scope=scope_of(world.shequ1), acting_user=world.shequ1, campaign=c)
    assert Notice.objects.filter(kind="honour").count() == 1


def test_results_wait_for_the_end_of_the_vote(world, scope_of):
    c = campaign(world.C1, "voting")
    with pytest.raises(ValidationError, match="投票截止"):
        services.campaign_publish_results(scope=scope_of(world.shequ1), acting_user=world.shequ1, campaign=c)


def test_a_tie_at_the_last_seat_needs_the_groups_choice_and_a_note(world, scope_of, counted):
    c, lisi, wangwu, zhangsan = counted
    Vote.objects.create(campaign=c, nomination=zhangsan, voter=PersonFactory(place=world.B1))  # 张三 2 = 王五 2
    scope = scope_of(world.shequ1)
    with pytest.raises(ValidationError, match="最后 1 个名额有 2 人票数并列"):
        services.campaign_publish_results(scope=scope, acting_user=world.shequ1, campaign=c)
    with pytest.raises(ValidationError, match="结果说明"):
        services.campaign_publish_results(scope=scope, acting_user=world.shequ1, campaign=c, tie_break=[zhangsan])
    with pytest.raises(ValidationError, match="最后 1 个名额"):
        services.campaign_publish_results(scope=scope, acting_user=world.shequ1, campaign=c, tie_break=[lisi], note="评选小组商议")
    services.campaign_publish_results(scope=scope, acting_user=world.shequ1, campaign=c, tie_break=[zhangsan], note="评选小组商议确定张三")
    elected = set(Nomination.objects.filter(campaign=c, elected=True).values_list("person__name", flat=True))
    assert elected == {"李四", "张三"}
    assert "评选小组商议确定张三" in Notice.objects.get(kind="honour").body


def test_staff_publish_on_the_page_and_the_public_see_the_roll(client, world, counted):
    c, *_rest = counted
    client.force_login(world.shequ1)
    url = reverse("culture:campaign", args=[c.pk])
    page = client.get(url).content.decode()
    assert "计票结果" in page and "当选" in page
    r = client.post(url, {"action": "publish"}, follow=True)
    assert "评选结果已公布到社区公开栏" in r.content.decode()
    client.logout()
    html = client.get(reverse("culture:public_campaign", args=[world.C1.pk, c.pk])).content.decode()
    assert "评选结果" in html and "李四" in html and "3 票" in html
