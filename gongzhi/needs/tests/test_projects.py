"""Projects: opening from needs, the task map (dependencies, cycles), spending, 销号 closing the
needs, and the open-items ledger (挂账) with ages, overdue flags and counts, by scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.needs import selectors, services
from gongzhi.needs.models import NeedStatus, ProjectStatus, Satisfaction
from gongzhi.needs.tests.factories import days_ago, need

S = NeedStatus
TODAY = timezone.localdate()


@pytest.fixture
def w(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    world.s2 = scope_of(world.shequ2)
    world.sj = scope_of(world.jiedao1)
    return world


def _project(w, *needs, budget=Decimal("5000")):
    return services.project_open(scope=w.s1, acting_user=w.shequ1, name="老旧楼道照明改造", organization=w.O_C1, leader_name="刘书记",
                                 needs=list(needs), budget=budget, at=days_ago(10, 12))


def test_open_moves_the_needs_into_the_project(w):
    a = need(w.s1, w.shequ1, title="1号楼灯坏", place=w.B1, registered_at=days_ago(12))
    b = need(w.s1, w.wangge1, title="老厂1栋灯坏", place=w.B2, registered_at=days_ago(11))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=b, at=days_ago(11, 10))
    p = _project(w, a, b)
    assert (p.status, p.place, p.opened_on, p.opened_by) == (ProjectStatus.OPENED, w.C1, TODAY - dt.timedelta(days=10), w.shequ1)  # B1 and B2 meet at C1
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, a.project, b.status, b.project) == (S.IN_PROGRESS, p, S.IN_PROGRESS, p)
    # a 登记 need is 受理 on the way: two steps, both by the one who opened the project
    assert [(s.from_status, s.to_status, s.by.username) for s in a.steps.order_by("id")][1:] == [
        (S.REGISTERED, S.ACCEPTED, "shequ1"), (S.ACCEPTED, S.IN_PROGRESS, "shequ1")]
    assert "纳入项目" in b.steps.order_by("id").last().note
    # a need handled directly may still join; one in the project already, or closed, may not
    c = need(w.s1, w.shequ1, title="2单元灯坏", place=w.B1, registered_at=days_ago(9))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=c)
    services.need_start(scope=w.s1, acting_user=w.shequ1, need=c)
    c = services.project_add_need(scope=w.s1, acting_user=w.shequ1, project=p, need=c)
    assert (c.project, c.status, c.steps.order_by("id").last().to_status) == (p, S.IN_PROGRESS, S.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.project_add_need(scope=w.s1, acting_user=w.shequ1, project=p, need=a)
    with pytest.raises(ValidationError) as e:
        _project(w, a)
    assert "已在项目" in e.value.message_dict["needs"][0]


def test_open_checks_fields_and_scope(w):
    a = need(w.s1, w.shequ1, place=w.B1)
    with pytest.raises(ValidationError) as e:
        services.project_open(scope=w.s1, acting_user=w.shequ1, name="", organization=w.O_C1, leader_name="", needs=[], budget=Decimal(-1))
    assert set(e.value.message_dict) == {"name", "leader_name", "needs", "budget"}
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=a)
    services.need_start(scope=w.s1, acting_user=w.shequ1, need=a)
    services.need_close(scope=w.s1, acting_user=w.shequ1, need=a, result="已修")
    with pytest.raises(ValidationError) as e:  # a closed need cannot open a project
        _project(w, a)
    assert e.value.message_dict["status"] == ["需求“楼道灯不亮”不能从“办结”变为“办理中”。"]
    b = need(w.s1, w.shequ1, place=w.B1)
    with pytest.raises(Http404):  # shequ2 may not use C1's needs, nor C1's organisation
        services.project_open(scope=w.s2, acting_user=w.shequ2, name="越权", organization=w.O_C2, leader_name="x", needs=[b])
    with pytest.raises(Http404):
        services.project_open(scope=w.s1, acting_user=w.shequ1, name="越权", organization=w.O_C2, leader_name="x", needs=[b])


def test_task_map_dependencies_cycles_progress_spending_and_close(w):
    a = need(w.s1, w.shequ1, title="1号楼灯坏", place=w.B1, registered_at=days_ago(12))
    p = _project(w, a, budget=Decimal("3000"))
    add = lambda title, *deps, due=None: services.task_add(scope=w.s1, acting_user=w.shequ1, project=p, title=title, owner_name="物业王经理",  # noqa: E731
                                                          due_on=due, depends_on=list(deps))
    survey = add("现场勘查", due=TODAY - dt.timedelta(days=1))
    buy = add("采购灯具", survey)
    fit = add("安装调试", buy)
    with pytest.raises(ValidationError) as e:  # 现场勘查 ← 采购 ← 安装: making 勘查 wait for 安装 closes a circle
        services.task_set_dependencies(scope=w.s1, acting_user=w.shequ1, task=survey, depends_on=[fit])
    assert "循环" in e.value.message_dict["depends_on"][0]
    with pytest.raises(ValidationError):
        services.task_set_dependencies(scope=w.s1, acting_user=w.shequ1, task=survey, depends_on=[survey])
    assert list(survey.depends_on.all()) == []
    with pytest.raises(ValidationError) as e:
        services.task_done(scope=w.s1, acting_user=w.shequ1, task=fit)
    assert e.value.message_dict["done_at"] == ["任务“安装调试”须等前置任务完成：采购灯具。"]

    row = selectors.open_items(scope=w.s1, today=TODAY).projects[0]
    assert (row.age_days, row.progress.tasks, row.progress.done, row.tasks_late) == (10, 3, 0, True)  # 勘查 was due yesterday
    services.task_done(scope=w.s1, acting_user=w.shequ1, task=survey)
    services.spending_add(scope=w.s1, acting_user=w.shequ1, project=p, spent_on=TODAY, amount=Decimal("3200.50"), purpose="LED灯具20套")
    got = selectors.project_get(scope=w.s1, id=p.pk, today=TODAY)
    progress = selectors.project_progress(got)
    assert (got.status, progress.done, progress.percent, progress.spent, progress.over_budget, got.tasks_late) == (
        ProjectStatus.RUNNING, 1, 33, Decimal("3200.50"), True, False)
    with pytest.raises(ValidationError) as e:
        services.spending_add(scope=w.s1, acting_user=w.shequ1, project=p, spent_on=TODAY + dt.timedelta(days=1), amount=Decimal(0), purpose="")
    assert set(e.value.message_dict) == {"spent_on", "amount", "purpose"}

    with pytest.raises(ValidationError) as e:
        services.project_close(scope=w.s1, acting_user=w.shequ1, project=p, result="", evidence="")
    assert set(e.value.message_dict) == {"result", "evidence", "tasks"}
    assert "采购灯具、安装调试" in e.value.message_dict["tasks"][0]
    services.task_done(scope=w.s1, acting_user=w.shequ1, task=buy)
    services.task_done(scope=w.s1, acting_user=w.wangge1, task=fit, note="已通电")
    with pytest.raises(Http404):
        services.project_close(scope=w.s2, acting_user=w.shequ2, project=p, result="越权", evidence="x")
    p = services.project_close(scope=w.s1, acting_user=w.shequ1, project=p, result="更换LED灯20盏", evidence="验收单、照片6张",
                               public_summary="幸福社区完成楼道照明改造")
    assert (p.status, p.closed_on, p.closed_by) == (ProjectStatus.CLOSED, TODAY, w.shequ1)
    a.refresh_from_db()
    assert (a.status, a.result, a.steps.order_by("id").last().by) == (S.CLOSED, "更换LED灯20盏", w.shequ1)
    services.need_visit(scope=w.s1, acting_user=w.wangge1, need=a, satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(ValidationError):  # 销号 is final
        services.task_add(scope=w.s1, acting_user=w.shequ1, project=p, title="补充", owner_name="x")
    assert selectors.open_items(scope=w.s1, today=TODAY).project_total == 0


def test_task_dependencies_stay_inside_one_project(w):
    p = _project(w, need(w.s1, w.shequ1, place=w.B1, registered_at=days_ago(11)))
    q = _project(w, need(w.s1, w.shequ1, place=w.B2, registered_at=days_ago(11)))
    other = services.task_add(scope=w.s1, acting_user=w.shequ1, project=q, title="别的", owner_name="x")
    with pytest.raises(ValidationError) as e:
        services.task_add(scope=w.s1, acting_user=w.shequ1, project=p, title="勘查", owner_name="x", depends_on=[other])
    assert "不属于本项目" in e.value.message_dict["depends_on"][0]


def test_the_ledger_ages_flags_and_counts_by_scope(w, django_assert_max_num_queries):
    # C1: 3 open needs (one overdue to 受理, one overdue to 办结), one closed, one merged; one open project
    need(w.s1, w.shequ1, title="咨询逾期", code="policy", place=w.B1, registered_at=days_ago(20))
    repair = need(w.s1, w.shequ1, title="水管漏水", code="repair", place=w.B2, registered_at=days_ago(16))
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=repair, at=days_ago(16, 11))  # 16 > 15 days: 办结 overdue
    fresh = need(w.s1, w.shequ1, title="新登记", code="repair", place=w.B1, registered_at=days_ago(0))
    done = need(w.s1, w.shequ1, title="已办结", code="repair", place=w.B1, registered_at=days_ago(30))
    for step in (services.need_accept, services.need_start):
        step(scope=w.s1, acting_user=w.shequ1, need=done)
    services.need_close(scope=w.s1, acting_user=w.shequ1, need=done, result="好了")
    dup = need(w.s1, w.shequ1, title="重复", code="repair", place=w.B1, registered_at=days_ago(40))
    services.need_merge(scope=w.s1, acting_user=w.shequ1, need=dup, into=fresh)
    p = _project(w, need(w.s1, w.shequ1, title="项目需求", code="elderly_disabled", place=w.B1, registered_at=days_ago(11)))
    # C2: one open need, one project
    c2 = need(w.s2, w.shequ2, title="和平里噪音", code="dispute", place=w.B3, registered_at=days_ago(5))
    services.project_open(scope=w.s2, acting_user=w.shequ2, name="和平里议事", organization=w.O_C2, leader_name="陈主任", needs=[c2],
                          opened_on=TODAY - dt.timedelta(days=3))

    with django_assert_max_num_queries(5):
        ledger = selectors.open_items(scope=w.s1, today=TODAY)
    assert [(r.need.title, r.age_days, r.overdue_accept, r.overdue_close) for r in ledger.needs] == [
        ("咨询逾期", 20, True, True), ("水管漏水", 16, False, True), ("项目需求", 11, False, False), ("新登记", 0, False, False)]
    assert (ledger.need_total, ledger.overdue_accept, ledger.overdue_close) == (4, 1, 2)
    assert [(c.name, n) for c, n in ledger.by_category] == [("设施维修", 2), ("养老助残", 1), ("政策咨询", 1)]
    assert ledger.by_status == {S.REGISTERED: 2, S.ACCEPTED: 1, S.IN_PROGRESS: 1}
    assert [(r.project, r.age_days) for r in ledger.projects] == [(p, 10)]
    assert ledger.projects_by_status == {ProjectStatus.OPENED: 1, ProjectStatus.RUNNING: 0}

    street = selectors.open_items(scope=w.sj, today=TODAY, limit=2)  # the parent sees both, the first two oldest listed
    assert (street.need_total, street.project_total, [r.need.title for r in street.needs]) == (5, 2, ["咨询逾期", "水管漏水"])
    assert [(r.project.name, r.age_days) for r in street.projects] == [("老旧楼道照明改造", 10), ("和平里议事", 3)]
    c2_ledger = selectors.open_items(scope=w.s2, today=TODAY)
    assert ([r.need.title for r in c2_ledger.needs], c2_ledger.project_total) == (["和平里噪音"], 1)


def test_the_public_summary_holds_no_number_and_no_requester_name(w):
    """The summary is read by anyone on the 公示 page: 张三 asked for help, so his name may not appear;
    nor may a phone number. A summary without either closes the project."""
    a = need(w.s1, w.shequ1, title="1号楼灯坏", place=w.B1, requester=w.zhangsan, registered_at=days_ago(12))
    p = _project(w, a)
    for summary, message in (("为张三家更换了楼道灯", "不能出现求助人姓名（张三）"), ("如有问题请拨打 138 1234 5678", "不能含电话号码或身份证号")):
        with pytest.raises(ValidationError) as e:
            services.project_close(scope=w.s1, acting_user=w.shequ1, project=p, result="已更换", evidence="验收单", public_summary=summary)
        assert message in e.value.message_dict["public_summary"][0]
    p.refresh_from_db()
    assert p.status != ProjectStatus.CLOSED
    services.project_close(scope=w.s1, acting_user=w.shequ1, project=p, result="已更换", evidence="验收单", public_summary="1号楼楼道灯已全部更换。")
    p.refresh_from_db()
    assert (p.status, p.public_summary) == (ProjectStatus.CLOSED, "1号楼楼道灯已全部更换。")
