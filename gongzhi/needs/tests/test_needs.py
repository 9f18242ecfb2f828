"""The needs list: the whole flow with who and when, every illegal move, merging, overdue by the
category's days, and scope (two sibling communities C1 and C2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.needs import selectors, services
from gongzhi.needs.models import Channel, NeedStatus, NeedStep, Satisfaction, Urgency
from gongzhi.needs.tests.factories import category, days_ago, need

S = NeedStatus
TODAY = timezone.localdate()


@pytest.fixture
def c1(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    world.s2 = scope_of(world.shequ2)
    return world


def steps(n):
    return [(s.from_status, s.to_status, s.by.username, s.at) for s in n.steps.select_related("by").order_by("at", "id")]


def test_whole_flow_with_who_and_when_at_every_step(c1, scope_of):
    w = c1
    t0, t1, t2, t3, t4 = (days_ago(5, h) for h in (9, 10, 11, 15, 16))
    n = services.need_register(scope=w.s1, acting_user=w.wangge1, title="1号楼楼道灯不亮", category=category("repair"), channel=Channel.GRID_VISIT,
                               household=w.H1, requester=w.zhangsan, urgency=Urgency.URGENT, registered_at=t0)
    assert (n.place, n.status, n.registered_by) == (w.B1, S.REGISTERED, w.wangge1)  # the household's building
    n = services.need_accept(scope=w.s1, acting_user=w.shequ1, need=n, at=t1)
    n = services.need_start(scope=w.s1, acting_user=w.shequ1, need=n, note="联系物业维修", at=t2)
    n = services.need_close(scope=w.s1, acting_user=w.shequ1, need=n, result="物业已更换灯具", at=t3)
    n = services.need_visit(scope=w.s1, acting_user=w.wangge1, need=n, satisfaction=Satisfaction.SATISFIED, note="张三表示满意", at=t4)
    assert (n.status, n.accepted_at, n.started_at, n.closed_at, n.visited_at) == (S.VISITED, t1, t2, t3, t4)
    assert (n.result, n.satisfaction) == ("物业已更换灯具", Satisfaction.SATISFIED)
    assert steps(n) == [
        ("", S.REGISTERED, "wangge1", t0), (S.REGISTERED, S.ACCEPTED, "shequ1", t1), (S.ACCEPTED, S.IN_PROGRESS, "shequ1", t2),
        (S.IN_PROGRESS, S.CLOSED, "shequ1", t3), (S.CLOSED, S.VISITED, "wangge1", t4),
    ]
    assert n.history.order_by("history_id").last().history_user == w.wangge1
    assert [s.to_status for s in selectors.need_steps(scope=w.s1, need=n)][-1] == S.VISITED


# from the status named first, every service that is not the next step is refused, naming both statuses
ILLEGAL = [
    ("registered", "start", "登记", "办理中"), ("registered", "close", "登记", "办结"), ("registered", "visit", "登记", "回访"),
    ("accepted", "accept", "受理", "受理"), ("accepted", "close", "受理", "办结"), ("accepted", "visit", "受理", "回访"),
    ("in_progress", "accept", "办理中", "受理"), ("in_progress", "start", "办理中", "办理中"), ("in_progress", "visit", "办理中", "回访"),
    ("closed", "accept", "办结", "受理"), ("closed", "start", "办结", "办理中"), ("closed", "close", "办结", "办结"), ("closed", "merge", "办结", "已合并"),
    ("visited", "accept", "回访", "受理"), ("visited", "close", "回访", "办结"), ("visited", "visit", "回访", "回访"), ("visited", "merge", "回访", "已合并"),
    ("merged", "accept", "已合并", "受理"), ("merged", "start", "已合并", "办理中"), ("merged", "merge", "已合并", "已合并"),
]


def _bring_to(w, status):
    n = need(w.s1, w.shequ1, place=w.B1, registered_at=days_ago(3))
    other = need(w.s1, w.shequ1, title="另一项", place=w.B1, registered_at=days_ago(3))
    path = {"registered": [], "accepted": ["accept"], "in_progress": ["accept", "start"], "closed": ["accept", "start", "close"],
            "visited": ["accept", "start", "close", "visit"], "merged": ["merge"]}[status]
    for action in path:
        n = _do(w, action, n, other)
    assert n.status == status
    return n, other


def _do(w, action, n, other):
    kw = dict(scope=w.s1, acting_user=w.shequ1, need=n)
    return {
        "accept": lambda: services.need_accept(**kw),
        "start": lambda: services.need_start(**kw),
        "close": lambda: services.need_close(**kw, result="已处理"),
        "visit": lambda: services.need_visit(**kw, satisfaction=Satisfaction.FAIR),
        "merge": lambda: services.need_merge(**kw, into=other),
    }[action]()


@pytest.mark.parametrize("status,action,frm,to", ILLEGAL)
def test_illegal_transitions_are_refused_naming_both_statuses(c1, status, action, frm, to):
    n, other = _bring_to(c1, status)
    before = n.steps.count()
    with pytest.raises(ValidationError) as e:
        _do(c1, action, n, other)
    assert e.value.message_dict["status"] == [f"需求“楼道灯不亮”不能从“{frm}”变为“{to}”。"]
    n.refresh_from_db()
    assert (n.status, n.steps.count()) == (status, before)


def test_close_needs_a_result_and_visit_a_satisfaction(c1):
    w = c1
    n, _ = _bring_to(w, "in_progress")
    with pytest.raises(ValidationError) as e:
        services.need_close(scope=w.s1, acting_user=w.shequ1, need=n, result="  ")
    assert "result" in e.value.message_dict
    n = services.need_close(scope=w.s1, acting_user=w.shequ1, need=n, result="已修好")
    with pytest.raises(ValidationError) as e:
        services.need_visit(scope=w.s1, acting_user=w.shequ1, need=n, satisfaction="")
    assert "satisfaction" in e.value.message_dict


def test_steps_cannot_go_back_in_time_and_are_immutable(c1):
    w = c1
    n = need(w.s1, w.shequ1, place=w.B1, registered_at=days_ago(2))
    with pytest.raises(ValidationError) as e:
        services.need_accept(scope=w.s1, acting_user=w.shequ1, need=n, at=days_ago(3))
    assert "不能早于上一步" in e.value.message_dict["status"][0]
    step = n.steps.get()
    step.note = "改写"
    with pytest.raises(ValidationError):
        step.save()
    with pytest.raises(ValidationError):
        step.delete()
    assert NeedStep.objects.get(pk=step.pk).note == ""


def test_register_checks_its_fields(c1):
    w = c1
    with pytest.raises(ValidationError) as e:
        need(w.s1, w.shequ1, title=" ", place=w.B1, channel=Channel.HOTLINE, registered_at=timezone.now() + dt.timedelta(days=1))
    assert set(e.value.message_dict) == {"title", "source_ref", "registered_at"}
    with pytest.raises(ValidationError) as e:  # a street is too high for a need
        need(scope_of_street(w), w.jiedao1, place=w.S1)
    assert "街道" in e.value.message_dict["place"][0]
    with pytest.raises(ValidationError) as e:
        need(w.s1, w.shequ1, place=w.B2, household=w.H1)
    assert "place" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # 赵六 lives in C2
        need(w.s1, w.shequ1, place=w.B1, requester=w.zhaoliu)
    assert "requester" in e.value.message_dict
    hotline = need(w.s1, w.shequ1, requester=w.wangwu, channel=Channel.HOTLINE, source_ref="GD20260101001", contact_note="王先生")
    assert (hotline.place, hotline.source_ref) == (w.B2, "GD20260101001")  # the requester's building


def scope_of_street(w):
    from gongzhi.accounts.scopes import scope_for_user

    return scope_for_user(w.jiedao1)


def test_merge_keeps_the_duplicate_and_its_steps(c1):
    w = c1
    a = need(w.s1, w.shequ1, title="垃圾清运不及时", code="sanitation", place=w.B1, registered_at=days_ago(4))
    b = need(w.s1, w.shequ1, title="垃圾桶满溢", code="sanitation", place=w.B1, registered_at=days_ago(3))
    c = need(w.s1, w.shequ1, title="垃圾站有异味", code="sanitation", place=w.B2, registered_at=days_ago(2))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=b)
    services.need_merge(scope=w.s1, acting_user=w.shequ1, need=c, into=b)
    b = services.need_merge(scope=w.s1, acting_user=w.wangge1, need=b, into=a, note="同一垃圾站")
    c.refresh_from_db()
    assert (b.status, b.merged_into, c.merged_into) == (S.MERGED, a, a)  # 垃圾站有异味 follows on to a
    assert [(s.to_status, s.by.username, s.note) for s in b.steps.order_by("id")] == [
        (S.REGISTERED, "shequ1", ""), (S.ACCEPTED, "shequ1", ""), (S.MERGED, "wangge1", "同一垃圾站")]
    assert set(a.duplicates.all()) == {b, c}
    ledger = selectors.open_items(scope=w.s1, today=TODAY)
    assert [r.need.title for r in ledger.needs] == ["垃圾清运不及时"]
    with pytest.raises(ValidationError) as e:
        services.need_merge(scope=w.s1, acting_user=w.shequ1, need=a, into=a)
    assert "merged_into" in e.value.message_dict
    d = need(w.s1, w.shequ1, title="又一项", place=w.B1)
    with pytest.raises(ValidationError) as e:  # not into a need already merged
        services.need_merge(scope=w.s1, acting_user=w.shequ1, need=d, into=b)
    assert "已合并" in e.value.message_dict["merged_into"][0]


def test_overdue_by_the_category_days(c1):
    w = c1
    # 政策咨询: 1 day to 受理, 5 to 办结; 安全隐患: 1 and 3
    fresh = need(w.s1, w.shequ1, title="咨询一", code="policy", place=w.B1, registered_at=days_ago(1))  # deadline today: in time
    late = need(w.s1, w.shequ1, title="咨询二", code="policy", place=w.B1, registered_at=days_ago(2))  # 受理 overdue
    safety = need(w.s1, w.shequ1, title="电动车楼道充电", code="safety", place=w.B1, registered_at=days_ago(4))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=safety, at=days_ago(4, 10))  # accepted in time, 办结 overdue (4 > 3)
    policy_ok = need(w.s1, w.shequ1, title="咨询三", code="policy", place=w.B1, registered_at=days_ago(4))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=policy_ok, at=days_ago(4, 10))  # 4 ≤ 5: in time
    flags = {n.title: (n.overdue_accept, n.overdue_close) for n in selectors.need_list(scope=w.s1, today=TODAY)}
    assert flags == {"咨询一": (False, False), "咨询二": (True, False), "电动车楼道充电": (False, True), "咨询三": (False, False)}
    assert [n.title for n in selectors.need_overdue(scope=w.s1, today=TODAY)] == ["电动车楼道充电", "咨询二"]
    # the limits are data: a district giving 政策咨询 only 3 days to 办结 makes 咨询三 overdue
    category("policy").__class__.objects.filter(code="policy").update(close_days=3)
    assert [n.title for n in selectors.need_overdue(scope=w.s1, today=TODAY)] == ["电动车楼道充电", "咨询三", "咨询二"]
    assert selectors.need_get(scope=w.s1, id=late.pk, today=TODAY).overdue_accept
    assert not selectors.need_get(scope=w.s1, id=fresh.pk, today=TODAY).overdue_accept


def test_scope_sibling_communities_cannot_act_on_each_others_needs(c1, scope_of):
    w = c1
    n = need(w.s1, w.shequ1, place=w.B1)
    for act in (services.need_accept, services.need_start):
        with pytest.raises(Http404):
            act(scope=w.s2, acting_user=w.shequ2, need=n)
    with pytest.raises(Http404):
        services.need_close(scope=w.s2, acting_user=w.shequ2, need=n, result="越权")
    with pytest.raises(Http404):
        need(w.s2, w.shequ2, place=w.B1)
    other = need(w.s2, w.shequ2, title="和平里漏水", place=w.B3)
    with pytest.raises(Http404):  # not into a need out of scope either
        services.need_merge(scope=w.s1, acting_user=w.shequ1, need=n, into=other)
    with pytest.raises(Http404):
        selectors.need_get(scope=w.s2, id=n.pk)
    assert [x.title for x in selectors.need_list(scope=w.s2)] == ["和平里漏水"]
    assert {x.title for x in selectors.need_list(scope=scope_of(w.jiedao1))} == {"楼道灯不亮", "和平里漏水"}  # the parent sees both
    assert n.steps.count() == 1
