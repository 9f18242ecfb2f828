"""The 三张清单 pages on hand-made cases: the ledger (tiles, filters, order, export), intake, a
need's actions by status with the services' Chinese errors, projects (立项, tasks, spending,
销号, read-only once closed), and 404 for another community's need and project everywhere."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.needs import services
from gongzhi.needs.models import Need, NeedStatus, Project, ProjectStatus
from gongzhi.needs.tests.factories import category, days_ago, need

S = NeedStatus


@pytest.fixture
def w(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    world.s2 = scope_of(world.shequ2)
    world.n1 = need(world.s1, world.shequ1, title="1号楼楼道灯不亮", place=world.B1, registered_at=days_ago(20))
    world.n1b = need(world.s1, world.shequ1, title="1号楼水管漏水", place=world.B1, registered_at=days_ago(2), code="repair")
    world.n2 = need(world.s2, world.shequ2, title="和平里路灯坏", place=world.B3, registered_at=days_ago(5))
    world.p2 = services.project_open(scope=world.s2, acting_user=world.shequ2, name="和平里照明改造", organization=world.O_C2,
                                     leader_name="王书记", needs=[world.n2])
    world.n2.refresh_from_db()
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def _project(w, *needs):
    return services.project_open(scope=w.s1, acting_user=w.shequ1, name="楼道照明改造", organization=w.O_C1, leader_name="刘书记",
                                 needs=list(needs), budget=Decimal("3000"))


# ---- scope: another community's need and project are 404 on every page and action -----------------


def test_another_communitys_need_and_project_are_404_everywhere(c1, w):
    need_url, project_url = reverse("needs:need", args=[w.n2.pk]), reverse("needs:project", args=[w.p2.pk])
    assert c1.get(need_url).status_code == 404
    for action in ("accept", "start", "close", "visit", "merge"):
        assert c1.post(need_url, {"action": action, "close-result": "x", "visit-satisfaction": "satisfied"}).status_code == 404
    assert c1.post(reverse("needs:need", args=[w.n1.pk]), {"action": "merge", "merge-merged_into": w.n2.pk}).status_code == 404
    assert c1.get(project_url).status_code == 404
    for action in ("add_task", "task_done", "add_spending", "close"):
        assert c1.post(project_url, {"action": action, "task-title": "x", "task-owner_name": "y"}).status_code == 404
    assert c1.get(reverse("needs:project_new") + f"?needs={w.n2.pk}").status_code == 404
    assert c1.get(reverse("needs:project_new") + f"?needs={w.n1.pk},{w.n2.pk}").status_code == 404
    assert c1.get(reverse("needs:ledger") + f"?place={w.C2.pk}").status_code == 404
    assert c1.get(reverse("needs:new") + f"?place={w.B3.pk}").status_code == 404
    assert c1.post(reverse("needs:new"), {"place": w.B3.pk, "title": "越权", "category": category("repair").pk, "channel": "phone",
                                          "urgency": "normal"}).status_code == 404
    w.n2.refresh_from_db()
    assert w.n2.status == S.IN_PROGRESS and Need.objects.filter(title="越权").count() == 0


def test_a_task_of_another_project_is_404(c1, w):
    project = _project(w, w.n1)
    other = services.task_add(scope=w.s2, acting_user=w.shequ2, project=w.p2, title="更换灯具", owner_name="王师傅")
    r = c1.post(reverse("needs:project", args=[project.pk]), {"action": "task_done", "task": other.pk})
    assert r.status_code == 404
    other.refresh_from_db()
    assert other.done_at is None


def test_lists_show_nothing_of_the_other_community(c1, w):
    for url in (reverse("needs:ledger"), reverse("needs:ledger") + "?kind=projects", reverse("needs:projects"), reverse("needs:new")):
        html = c1.get(url).content.decode()
        assert "和平" not in html, url


# ---- the ledger -----------------------------------------------------------------------------------


def test_ledger_oldest_first_with_ages_and_overdue(c1, w):
    r = c1.get(reverse("needs:ledger"))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("1号楼楼道灯不亮") < html.index("1号楼水管漏水")
    assert "20 天" in html and "逾期未受理" in html
    assert r.context["totals"].need_total == 2


def test_ledger_filters(c1, w):
    services.need_accept(scope=w.s1, acting_user=w.shequ1, need=w.n1b)
    html = c1.get(reverse("needs:ledger") + "?status=accepted").content.decode()
    assert "1号楼水管漏水" in html and "1号楼楼道灯不亮" not in html
    html = c1.get(reverse("needs:ledger") + "?overdue=on").content.decode()
    assert "1号楼楼道灯不亮" in html and "1号楼水管漏水" not in html
    html = c1.get(reverse("needs:ledger") + "?q=水管").content.decode()
    assert "1号楼水管漏水" in html and "1号楼楼道灯不亮" not in html
    html = c1.get(reverse("needs:ledger") + f"?place={w.K2.pk}").content.decode()
    assert "没有符合条件的未办结需求" in html


def test_ledger_projects_tab(c1, w):
    _project(w, w.n1)
    html = c1.get(reverse("needs:ledger") + "?kind=projects").content.decode()
    assert "楼道照明改造" in html and "刘书记" in html


def test_export_holds_the_filtered_ledger(c1, w):
    _project(w, w.n1)
    r = c1.get(reverse("needs:ledger") + "?format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    needs = [row for row in book["需求挂账"].iter_rows(min_row=3, values_only=True)]
    assert [n[4] for n in needs] == ["1号楼楼道灯不亮", "1号楼水管漏水"]
    assert needs[0][2] == 20 and needs[0][5] == "幸福社区" and needs[0][11] == "楼道照明改造"
    projects = [row for row in book["项目挂账"].iter_rows(min_row=3, values_only=True)]
    assert [(p[3], p[6], p[9]) for p in projects] == [("楼道照明改造", "刘书记", 3000.0)]
    text = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "和平" not in text
    r = c1.get(reverse("needs:ledger") + "?format=xlsx&q=水管")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert [n[4] for n in book["需求挂账"].iter_rows(min_row=3, values_only=True)] == ["1号楼水管漏水"]


# ---- intake ---------------------------------------------------------------------------------------


def test_intake_registers_a_need(c1, w):
    page = c1.get(reverse("needs:new")).content.decode()
    assert "幸福社区 · " in page and "1号楼" in page
    r = c1.post(reverse("needs:new"), {"category": category("repair").pk, "title": "单元门禁坏了", "place": w.B1.pk, "household": w.H1.pk,
                                       "requester": w.zhangsan.pk, "channel": "phone", "urgency": "urgent"})
    n = Need.objects.get(title="单元门禁坏了")
    assert r.status_code == 302 and r["Location"] == reverse("needs:need", args=[n.pk])
    assert (n.place, n.household, n.requester, n.registered_by, n.status) == (w.B1, w.H1, w.zhangsan, w.shequ1, S.REGISTERED)


def test_intake_errors_in_chinese(c1, w):
    r = c1.post(reverse("needs:new"), {"category": category("repair").pk, "title": "", "place": w.B1.pk, "channel": "hotline", "urgency": "normal"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "请填写标题" in html
    r = c1.post(reverse("needs:new"), {"category": category("repair").pk, "title": "噪音扰民", "place": w.B1.pk, "channel": "hotline", "urgency": "normal"})
    assert "12345热线转办的需求请填写工单编号" in r.content.decode()
    assert not Need.objects.filter(title="噪音扰民").exists()


def test_intake_lists_the_households_of_the_chosen_building(c1, w):
    html = c1.get(reverse("needs:new") + f"?place={w.B1.pk}").content.decode()
    assert w.H1.room in html and "张三" in html


# ---- a need's actions -----------------------------------------------------------------------------


def _act(c1, n, action, **data):
    return c1.post(reverse("needs:need", args=[n.pk]), {"action": action, **{f"{action}-{k}": v for k, v in data.items()}})


def test_need_goes_through_its_flow(c1, w):
    n = w.n1b
    page = c1.get(reverse("needs:need", args=[n.pk])).content.decode()
    assert "受理" in page and "纳入项目" in page and "楼道灯" in page  # the merge list offers the other open need
    assert _act(c1, n, "accept", note="已电话联系").status_code == 302
    assert _act(c1, n, "start").status_code == 302
    r = _act(c1, n, "close", result="")
    assert "请填写办理结果" in r.content.decode()
    assert _act(c1, n, "close", result="已更换水管").status_code == 302
    assert _act(c1, n, "visit", satisfaction="satisfied", note="住户满意").status_code == 302
    n.refresh_from_db()
    assert (n.status, n.result, n.satisfaction) == (S.VISITED, "已更换水管", "satisfied")
    page = c1.get(reverse("needs:need", args=[n.pk])).content.decode()
    assert "已电话联系" in page and "shequ1" in page and "已回访" in page


def test_an_action_the_status_does_not_allow_is_refused(c1, w):
    r = c1.post(reverse("needs:need", args=[w.n1.pk]), {"action": "visit", "visit-satisfaction": "satisfied"}, follow=True)
    assert "不能进行此操作" in r.content.decode()
    w.n1.refresh_from_db()
    assert w.n1.status == S.REGISTERED


def test_merge_into_another_open_need(c1, w):
    assert _act(c1, w.n1b, "merge", merged_into=w.n1.pk).status_code == 302
    w.n1b.refresh_from_db()
    assert (w.n1b.status, w.n1b.merged_into) == (S.MERGED, w.n1)


# ---- projects -------------------------------------------------------------------------------------


def test_project_from_a_need_then_tasks_spending_and_close(c1, w):
    url = reverse("needs:project_new") + f"?needs={w.n1.pk}"
    page = c1.get(url).content.decode()
    assert "1号楼楼道灯不亮" in page and "幸福社区党委" in page
    r = c1.post(url, {"name": "", "organization": w.O_C1.pk, "leader_name": "刘书记", "budget": "-1"})
    assert "请填写项目名称" in r.content.decode() and "专项资金不能为负数" in r.content.decode()
    r = c1.post(url, {"name": "楼道照明改造", "organization": w.O_C1.pk, "leader_name": "刘书记", "budget": "3000"})
    project = Project.objects.get(name="楼道照明改造")
    assert r["Location"] == reverse("needs:project", args=[project.pk])
    purl = reverse("needs:project", args=[project.pk])
    c1.post(purl, {"action": "add_task", "task-title": "采购灯具", "task-owner_name": "李师傅"})
    first = project.tasks.get()
    c1.post(purl, {"action": "add_task", "task-title": "安装灯具", "task-owner_name": "李师傅", "task-depends_on": [first.pk]})
    second = project.tasks.get(title="安装灯具")
    r = c1.post(purl, {"action": "task_done", "task": second.pk})
    assert "须等前置任务完成：采购灯具" in r.content.decode()
    r = c1.post(purl, {"action": "close", "close-result": "已完成", "close-evidence": "验收单"})
    assert "还有任务未完成" in r.content.decode()
    r = c1.post(purl, {"action": "add_spending", "spending-spent_on": "2000-01-01", "spending-amount": "120", "spending-purpose": "灯具"})
    assert "支出日期不能早于立项日期" in r.content.decode()
    c1.post(purl, {"action": "task_done", "task": first.pk})
    c1.post(purl, {"action": "task_done", "task": second.pk})
    page = c1.get(purl).content.decode()
    assert "100%" in page
    assert c1.post(purl, {"action": "close", "close-result": "灯已全部换新", "close-evidence": "验收单一份"}).status_code == 302
    project.refresh_from_db()
    w.n1.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED and (w.n1.status, w.n1.result) == (S.CLOSED, "灯已全部换新")
    page = c1.get(purl).content.decode()
    assert "添加任务" not in page and "标记完成" not in page and "灯已全部换新" in page  # read-only
    r = c1.post(purl, {"action": "add_task", "task-title": "再加一项", "task-owner_name": "李师傅"}, follow=True)
    assert "已销号，不能再修改" in r.content.decode() and project.tasks.count() == 2


def test_project_new_without_needs_goes_back_to_the_ledger(c1, w):
    r = c1.get(reverse("needs:project_new"))
    assert r.status_code == 302 and r["Location"] == reverse("needs:ledger")


def test_project_list_with_progress(c1, w):
    _project(w, w.n1)
    html = c1.get(reverse("needs:projects")).content.decode()
    assert "楼道照明改造" in html and "0/0" in html


def test_the_need_page_recommends_resources_with_their_reasons(c1, w):
    """An electrician volunteer living in 1号楼 fits a repair need at 1号楼: offered, with why."""
    from gongzhi.volunteers.models import Skill
    from gongzhi.volunteers.tests.factories import volunteer

    electrician = volunteer(w, w.s1, w.lisi, skills=[Skill.objects.get(name="电工")])
    page = c1.get(reverse("needs:need", args=[w.n1.pk])).content.decode()
    assert "推荐资源" in page and electrician.person.name in page and "技能对口：电工" in page and "同一楼栋" in page
    assert "赵六" not in page
