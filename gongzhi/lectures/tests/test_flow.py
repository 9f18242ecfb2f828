"""The loop's states: every allowed move made through the services, every other one refused with a
Chinese message, and the step rows written once and never changed."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.core.scope import EVERYTHING
from gongzhi.lectures import flow, services
from gongzhi.lectures.models import (
    InviteStatus, LectureOrder, LectureRequest, OrderStatus as O, OrderStep, RequestStatus as R, RequestStep,
)

from . import factories as f

S = EVERYTHING


@pytest.fixture
def team(world):
    return f.teacher(world.D, name="李律师"), f.teacher(world.S1, name="王法官", organisation="区人民法院")


def _statuses(model):
    return [s for s, in model.steps.values_list("to_status").order_by("at", "id")]


# ---- requests -------------------------------------------------------------------------------------


def test_request_open_ordered_answered(world, team):
    w, (li, _) = world, team
    r = f.request(w.C1, w.zhangsan)
    assert (r.status, _statuses(r)) == (R.OPEN, [R.OPEN])
    o = f.order(w.C1, [li], [r])
    r.refresh_from_db()
    assert (r.status, r.order_id) == (R.ORDERED, o.pk)
    f.held(f.accepted(o, li))
    r.refresh_from_db()
    assert r.status == R.ANSWERED
    assert _statuses(r) == [R.OPEN, R.ORDERED, R.ANSWERED]


def test_request_declined_with_reason(world):
    w = world
    r = f.request(w.C1, w.zhangsan)
    with pytest.raises(ValidationError) as e:
        services.request_decline(scope=S, acting_user=w.shequ1, request=r, reason=" ")
    assert e.value.message_dict == {"reason": ["不予采纳须填写理由，居民在公开页可以看到。"]}
    services.request_decline(scope=S, acting_user=w.shequ1, request=r, reason="与上月讲座重复")
    r.refresh_from_db()
    assert (r.status, r.status_note) == (R.DECLINED, "与上月讲座重复")
    step = r.steps.order_by("-id").first()
    assert (step.from_status, step.to_status, step.by, step.note) == (R.OPEN, R.DECLINED, w.shequ1, "与上月讲座重复")


def test_cancelled_order_returns_requests(world, team):
    w, (li, _) = world, team
    r = f.request(w.C1, w.zhangsan)
    o = f.order(w.C1, [li], [r])
    services.order_cancel(scope=S, acting_user=w.shequ1, order=o, reason="场地维修")
    r.refresh_from_db()
    assert (r.status, r.order_id) == (R.OPEN, None)
    assert _statuses(r) == [R.OPEN, R.ORDERED, R.OPEN]
    assert o.invites.get().status == InviteStatus.WITHDRAWN


def test_refused_request_moves(world, team):
    w, (li, _) = world, team
    r = f.request(w.C1, w.zhangsan)
    services.request_decline(scope=S, acting_user=None, request=r, reason="不属于法治宣传")
    with pytest.raises(ValidationError) as e:
        f.order(w.C1, [li], [r])
    assert e.value.message_dict == {"requests": ["只能选择本社区待下单的点单。"]}
    with pytest.raises(ValidationError) as e:
        services.request_decline(scope=S, acting_user=None, request=r, reason="再来一次")
    assert e.value.messages == ["点单“识破电信网络诈骗”不能从“未采纳”变为“未采纳”。"]
    other = f.request(w.C2, w.zhaoliu)  # another 社区's request cannot be answered by C1's order
    with pytest.raises(ValidationError):
        f.order(w.C1, [li], [other])


ALLOWED_REQUEST = {(a, b) for a, tos in flow.REQUEST_MOVES.items() for b in tos}


@pytest.mark.parametrize("start,to", [p for p in itertools.product(R.values, R.values) if p not in ALLOWED_REQUEST])
def test_every_other_request_move_is_refused(world, start, to):
    w = world
    r = f.request(w.C1, w.zhangsan)
    LectureRequest.objects.filter(pk=r.pk).update(status=start)
    r.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        flow.request_move(r, to, acting_user=None, at=timezone.now())
    assert "不能从" in e.value.messages[0]
    assert LectureRequest.objects.get(pk=r.pk).status == start


# ---- orders ---------------------------------------------------------------------------------------


def test_order_asked_accepted_held_closed(world, team):
    w, (li, wang) = world, team
    o = f.order(w.C1, [li, wang], user=w.shequ1)
    assert (o.status, _statuses(o)) == (O.ASKED, [O.ASKED])
    o = f.accepted(o, li)
    assert o.status == O.ACCEPTED and o.accepted_at is not None
    step = o.steps.order_by("-id").first()
    assert (step.by, step.teacher, step.note) == (None, li, "李律师 接单")
    o = f.held(o, attendance=52)
    assert (o.status, o.attendance) == (O.HELD, 52)
    assert o.invites.get(teacher=wang).status == InviteStatus.WITHDRAWN  # never answered
    services.order_close(scope=S, acting_user=w.shequ1, order=o, note="评价已收集")
    o.refresh_from_db()
    assert o.status == O.CLOSED and o.closed_at is not None
    assert _statuses(o) == [O.ASKED, O.ACCEPTED, O.HELD, O.CLOSED]


def test_all_declined_goes_back_then_reassigned(world, team):
    w, (li, wang) = world, team
    o = f.order(w.C1, [li])
    with pytest.raises(ValidationError) as e:
        services.invite_answer(teacher=li, invite=o.invites.get(), accept=False, reason="")
    assert e.value.message_dict == {"reason": ["谢绝请填写理由，社区将据此另请讲师。"]}
    services.invite_answer(teacher=li, invite=o.invites.get(), accept=False, reason="当天开庭")
    o.refresh_from_db()
    assert o.status == O.DECLINED
    assert o.steps.order_by("-id").first().note == "李律师 谢绝:当天开庭"  # clean_text makes punctuation half-width
    with pytest.raises(ValidationError) as e:
        services.order_ask(scope=S, acting_user=w.shequ1, order=o, teachers=[li])
    assert e.value.message_dict == {"teachers": ["所选讲师已邀请过，请另选讲师。"]}
    services.order_ask(scope=S, acting_user=w.shequ1, order=o, teachers=[wang])
    o.refresh_from_db()
    assert o.status == O.ASKED
    f.accepted(o, wang)
    assert _statuses(o) == [O.ASKED, O.DECLINED, O.ASKED, O.ACCEPTED]


def test_one_decline_of_two_keeps_waiting(world, team):
    w, (li, wang) = world, team
    o = f.order(w.C1, [li, wang])
    services.invite_answer(teacher=li, invite=o.invites.get(teacher=li), accept=False, reason="出差")
    o.refresh_from_db()
    assert o.status == O.ASKED


@pytest.mark.parametrize("action", ["ask", "hold", "close", "cancel", "answer"])
def test_refused_order_actions(world, team, action):
    """Each action where its state does not allow it: a Chinese sentence, nothing changed."""
    w, (li, wang) = world, team
    o = f.order(w.C1, [li])
    if action == "ask":  # accepted: no more teachers
        o = f.accepted(o, li)
        call = lambda: services.order_ask(scope=S, acting_user=None, order=o, teachers=[wang])  # noqa: E731
        message = "讲座当前为“已接单”，不能再邀请讲师。"
    elif action == "hold":  # still waiting for a teacher
        call = lambda: services.order_hold(scope=S, acting_user=None, order=o, attendance=10)  # noqa: E731
        message = "讲座“识破电信网络诈骗”当前为“待接单”，不能变为“已开讲”。"
    elif action == "close":  # not held yet
        o = f.accepted(o, li)
        call = lambda: services.order_close(scope=S, acting_user=None, order=o)  # noqa: E731
        message = "讲座“识破电信网络诈骗”当前为“已接单”，不能变为“已结单”。"
    elif action == "cancel":  # held already
        o = f.held(f.accepted(o, li))
        call = lambda: services.order_cancel(scope=S, acting_user=None, order=o, reason="改期")  # noqa: E731
        message = "讲座“识破电信网络诈骗”当前为“已开讲”，不能变为“已取消”。"
    else:  # the order was cancelled: the teacher's answer is no longer wanted
        services.order_cancel(scope=S, acting_user=None, order=o, reason="改期")
        call = lambda: services.invite_answer(teacher=li, invite=o.invites.get(), accept=True)  # noqa: E731
        message = "您已答复过这次邀请（已撤回）。"
    before = LectureOrder.objects.get(pk=o.pk).status
    steps = OrderStep.objects.count()
    with pytest.raises(ValidationError) as e:
        call()
    assert message in e.value.messages
    assert LectureOrder.objects.get(pk=o.pk).status == before and OrderStep.objects.count() == steps


def test_hold_not_before_its_time(world, team):
    w, (li, _) = world, team
    o = f.accepted(f.order(w.C1, [li]), li)
    with pytest.raises(ValidationError) as e:
        services.order_hold(scope=S, acting_user=None, order=o, attendance=10)
    assert "尚未到时间，不能登记开讲" in e.value.messages[0]


def test_order_checks(world, team):
    w = world
    c3_teacher = f.teacher(w.C3, name="孙老师", kind="resident", organisation="")
    with pytest.raises(ValidationError) as e:
        f.order(w.C1, [c3_teacher], starts_at=timezone.now() - dt.timedelta(days=1), venue="", expected_size=0)
    assert e.value.message_dict == {
        "teachers": ["讲师“孙老师”不为幸福社区服务。"], "starts_at": ["开讲时间应晚于现在。"], "venue": ["请填写地点。"],
        "expected_size": ["预计人数至少为 1。"]}
    with pytest.raises(ValidationError) as e:
        f.order(w.C1, [])
    assert e.value.message_dict == {"teachers": ["请至少邀请一位讲师。"]}


ALLOWED_ORDER = {(a, b) for a, tos in flow.ORDER_MOVES.items() for b in tos}


@pytest.mark.parametrize("start,to", [p for p in itertools.product(O.values, O.values) if p not in ALLOWED_ORDER])
def test_every_other_order_move_is_refused(world, team, start, to):
    w, (li, _) = world, team
    o = f.order(w.C1, [li])
    LectureOrder.objects.filter(pk=o.pk).update(status=start)
    o.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        flow.order_move(o, to, acting_user=None, at=timezone.now())
    assert e.value.messages == [f"讲座“识破电信网络诈骗”当前为“{O(start).label}”，不能变为“{O(to).label}”。"]


def test_allowed_moves_are_exactly_the_drawn_flow():
    assert ALLOWED_ORDER == {(O.ASKED, O.ACCEPTED), (O.ASKED, O.DECLINED), (O.ASKED, O.CANCELLED), (O.DECLINED, O.ASKED),
                             (O.DECLINED, O.CANCELLED), (O.ACCEPTED, O.HELD), (O.ACCEPTED, O.CANCELLED), (O.HELD, O.CLOSED)}
    assert ALLOWED_REQUEST == {(R.OPEN, R.ORDERED), (R.OPEN, R.DECLINED), (R.ORDERED, R.ANSWERED), (R.ORDERED, R.OPEN)}


def test_steps_are_immutable(world, team):
    w, (li, _) = world, team
    o = f.order(w.C1, [li], [f.request(w.C1, w.zhangsan)])
    for step in (o.steps.get(), RequestStep.objects.filter(request__order=o).first()):
        step.note = "改写"
        with pytest.raises(ValidationError):
            step.save()
        with pytest.raises(ValidationError):
            step.delete()


def test_accepting_announces_and_cancelling_withdraws(world, team):
    from gongzhi.notices.selectors import notice_for

    w, (li, _) = world, team
    o = f.accepted(f.order(w.C1, [li]), li)
    notice = notice_for(o, "lecture")
    assert notice.title == "法治讲座：识破电信网络诈骗" and "主讲：李律师" in notice.body
    assert notice.ends_on == timezone.localdate(o.starts_at)
    assert services.order_publish(scope=S, acting_user=None, order=o).pk == notice.pk  # idempotent
    services.order_cancel(scope=S, acting_user=w.shequ1, order=o, reason="讲师生病")
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None and notice.withdraw_reason == "讲座取消：讲师生病"
