"""The teacher's personal link: their own invitations only, answered without a login."""

import pytest
from django.http import Http404
from django.urls import reverse

from gongzhi.lectures import services
from gongzhi.lectures.models import InviteStatus, OrderStatus

from . import factories as f


@pytest.fixture
def two(world):
    w = world
    li, wang = f.teacher(w.D, name="李律师"), f.teacher(w.D, name="王法官", organisation="区人民法院")
    return li, wang, f.order(w.C1, [li]), f.order(w.C2, [wang])


def test_the_link_shows_only_own_invitations(client, two):
    li, wang, mine, theirs = two
    page = client.get(reverse("lectures:teacher_link", args=[li.token]))
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    html = page.content.decode()
    assert f"invite-{mine.invites.get().pk}" in html and f"invite-{theirs.invites.get().pk}" not in html


def test_cannot_answer_another_teachers_invitation(client, two):
    li, wang, mine, theirs = two
    other = theirs.invites.get()
    url = reverse("lectures:teacher_link", args=[li.token])
    response = client.post(url, {"invite": other.pk, f"answer-{other.pk}-decision": "accept"})
    assert response.status_code == 404
    with pytest.raises(Http404):
        services.invite_answer(teacher=li, invite=other, accept=True)
    other.refresh_from_db()
    assert other.status == InviteStatus.ASKED


def test_accept_and_decline_on_the_link(client, two):
    li, wang, mine, theirs = two
    invite = mine.invites.get()
    url = reverse("lectures:teacher_link", args=[li.token])
    refused = client.post(url, {"invite": invite.pk, f"answer-{invite.pk}-decision": "decline"})
    assert "谢绝请填写理由，社区将据此另请讲师。" in refused.content.decode()
    assert client.post(url, {"invite": invite.pk, f"answer-{invite.pk}-decision": "accept"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == OrderStatus.ACCEPTED
    again = client.post(url, {"invite": invite.pk, f"answer-{invite.pk}-decision": "decline", f"answer-{invite.pk}-reason": "x"})
    assert again.status_code == 302
    assert "您已答复过这次邀请（已接单）。" in client.get(url).content.decode()
    invite.refresh_from_db()
    assert invite.status == InviteStatus.ACCEPTED
    other = theirs.invites.get()
    wang_url = reverse("lectures:teacher_link", args=[wang.token])
    client.post(wang_url, {"invite": other.pk, f"answer-{other.pk}-decision": "decline", f"answer-{other.pk}-reason": "出差"})
    theirs.refresh_from_db()
    assert theirs.status == OrderStatus.DECLINED


def test_reissued_or_inactive_link_stops_working(client, world, two):
    li, *_ = two
    old = li.token
    from gongzhi.core.scope import EVERYTHING

    services.teacher_token_reissue(scope=EVERYTHING, teacher=li)
    assert client.get(reverse("lectures:teacher_link", args=[old])).status_code == 404
    assert "接单链接无效" in client.get(reverse("lectures:teacher_link", args=[old])).content.decode()
    li.refresh_from_db()
    li.is_active = False
    li.save()
    assert client.get(reverse("lectures:teacher_link", args=[li.token])).status_code == 404
