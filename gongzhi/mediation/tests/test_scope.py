"""Who sees what: the list in scope (category, tier, status, dates), the details only for the
case's handlers (intake worker, current and former mediators' users) and their supervisors
(社区书记 / 街道 / 区 grants covering the 社区); everyone else a 404. C1 and C2 never see each other;
S1 sees both in its list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import _user
from gongzhi.accounts.models import Role
from gongzhi.accounts.scopes import scope_for_user

from .. import selectors, services
from .factories import case, mediator, tier

TODAY = dt.date(2026, 11, 27)
NOW = timezone.make_aware(dt.datetime(2026, 11, 3, 9))


@pytest.fixture
def cases(world):
    w = world
    w.worker2 = _user("shequ1b", Role.COMMUNITY_WORKER, place=w.C1)  # another worker of C1
    w.secretary1 = _user("shuji1", Role.COMMUNITY_SECRETARY, place=w.C1)
    w.volunteer_login = _user("tiaojie1")  # a mediator's login, no role grant
    w.judge_login = _user("faguan1")
    w.case1 = case(w.shequ1, w.C1)
    w.case2 = case(w.shequ2, w.C2)
    volunteer = mediator(w.shequ1, w.C1, login=w.volunteer_login)
    judge = mediator(w.shequ1, w.C1, name="陈法官", tier_code="judge", login=w.judge_login)
    services.case_assign(acting_user=w.shequ1, case=w.case1, mediator=volunteer, now=NOW)
    services.case_escalate(acting_user=w.shequ1, case=w.case1, tier=tier("judge"), reason="金额较大", mediator=judge, now=NOW)
    return w


def _listed(user):
    return {c.pk: c.can_see for c in selectors.case_list(scope=scope_for_user(user), user=user, today=TODAY)}


def test_siblings_do_not_see_each_other_and_the_street_sees_both(cases):
    w = cases
    assert _listed(w.shequ1) == {w.case1.pk: True}
    assert _listed(w.shequ2) == {w.case2.pk: True}
    assert _listed(w.jiedao1) == {w.case1.pk: True, w.case2.pk: True}  # street staff supervise
    assert _listed(w.shequ3) == {}


def test_another_worker_in_scope_sees_the_line_not_the_case(cases, client):
    w = cases
    assert _listed(w.worker2) == {w.case1.pk: False}
    client.force_login(w.worker2)
    html = client.get(reverse("mediation:cases")).content.decode()
    assert w.case1.number in html and "张三" not in html and reverse("mediation:case", args=[w.case1.pk]) not in html
    assert client.get(reverse("mediation:case", args=[w.case1.pk])).status_code == 404
    assert client.get(reverse("mediation:agreement", args=[w.case1.pk])).status_code == 404
    # and a search by a party's name does not tell them who is involved
    assert "调字" not in client.get(reverse("mediation:cases") + "?q=张三").content.decode().split("<tbody>")[-1]


@pytest.mark.parametrize("who", ["shequ1", "secretary1", "jiedao1", "quwei", "volunteer_login", "judge_login"])
def test_handlers_and_supervisors_see_the_case(cases, client, who):
    client.force_login(getattr(cases, who))
    r = client.get(reverse("mediation:case", args=[cases.case1.pk]))
    assert r.status_code == 200 and "张三" in r.content.decode()


@pytest.mark.parametrize("who", ["shequ2", "worker2", "nobody", "wangge1", "zhibu1"])
def test_everyone_else_gets_404(cases, client, who):
    client.force_login(getattr(cases, who))
    assert client.get(reverse("mediation:case", args=[cases.case1.pk])).status_code == 404
    assert client.post(reverse("mediation:case", args=[cases.case1.pk]), {"action": "close"}).status_code == 404


def test_a_mediators_login_sees_only_their_own_cases(cases):
    w = cases
    assert _listed(w.volunteer_login) == {w.case1.pk: True}  # a former mediator keeps sight of it
    assert list(selectors.handled_cases(user=w.judge_login)) == [w.case1]
    assert list(selectors.handled_cases(user=w.volunteer_login)) == []  # no longer theirs to handle


def test_c2_case_is_404_for_shequ1(cases, client):
    client.force_login(cases.shequ1)
    assert client.get(reverse("mediation:case", args=[cases.case2.pk])).status_code == 404
