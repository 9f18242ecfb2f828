"""挂账销号 公示 on hand-made cases: no login, only closed projects with a public summary, of the
社区 asked, newest first, paged; the place down to the 小区; needs solved counted; nothing of the
result, evidence, leader, budget or residents on the page; anything else is 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gongzhi.needs import services
from gongzhi.needs.tests.factories import days_ago, need


@pytest.fixture
def w(world, scope_of):
    w = world
    w.s1, w.s2 = scope_of(w.shequ1), scope_of(w.shequ2)
    w.n1 = need(w.s1, w.shequ1, title="张三家楼道灯不亮", place=w.B1, requester=w.zhangsan, registered_at=days_ago(30),
                contact_note="张三本人，经网格员联系")
    w.n1b = need(w.s1, w.shequ1, title="1号楼单元门坏", place=w.B1, registered_at=days_ago(29))
    w.done = _closed(w, "幸福家园楼道照明改造", [w.n1, w.n1b], summary="为1号楼更换楼道灯24盏，夜间出行更安全。",
                     closed_on=dt.date.today() - dt.timedelta(days=3))
    return w


def _closed(w, name, needs, *, summary, closed_on=None, scope=None, user=None, org=None):
    scope, user, org = scope or w.s1, user or w.shequ1, org or w.O_C1
    project = services.project_open(scope=scope, acting_user=user, name=name, organization=org, leader_name="刘书记",
                                    needs=needs, budget=Decimal("3000"), opened_on=(closed_on or dt.date.today()) - dt.timedelta(days=10))
    return services.project_close(scope=scope, acting_user=user, project=project, result="张三反映后更换了灯，张三签字确认",
                                  evidence="验收单（张三签字）、李四拍摄的照片", public_summary=summary, closed_on=closed_on)


def _results(client, community, **query):
    return client.get(reverse("needs:public_results", args=[community.pk]), query)


def test_a_communitys_closed_projects_without_login_with_needs_solved_and_place_down_to_the_compound(client, w):
    r = _results(client, w.C1)
    assert r.status_code == 200
    html = r.content.decode()
    assert "幸福家园楼道照明改造" in html and "为1号楼更换楼道灯24盏" in html
    assert "幸福家园" in html and "1号楼" not in html.replace("为1号楼", "")  # 小区, never the building
    assert "解决 2 项需求" in html
    assert reverse("needs:public_result", args=[w.done.pk]) in html


def test_no_personal_or_internal_field_leaks(client, w):
    for url in (reverse("needs:public_results", args=[w.C1.pk]), reverse("needs:public_result", args=[w.done.pk])):
        html = client.get(url).content.decode()
        for secret in ("张三", "李四", "网格员", "刘书记", "签字", "验收单", "3000", "幸福社区党委"):
            assert secret not in html, (url, secret)


def test_open_projects_and_closed_ones_without_a_summary_are_not_published(client, w):
    open_project = services.project_open(scope=w.s1, acting_user=w.shequ1, name="老厂宿舍加装扶手", organization=w.O_C1, leader_name="刘书记",
                                         needs=[need(w.s1, w.shequ1, title="扶手", place=w.B2)])
    quiet = _closed(w, "不公开的项目", [need(w.s1, w.shequ1, title="内部", place=w.B2)], summary="")
    html = _results(client, w.C1).content.decode()
    assert "老厂宿舍加装扶手" not in html and "不公开的项目" not in html
    for project in (open_project, quiet):
        assert client.get(reverse("needs:public_result", args=[project.pk])).status_code == 404
    assert client.get(reverse("needs:public_result", args=[999999])).status_code == 404


def test_only_the_community_asked_and_only_communities(client, w):
    theirs = _closed(w, "和平里路灯改造", [need(w.s2, w.shequ2, title="路灯", place=w.B3)], summary="和平里新装路灯6盏。",
                     scope=w.s2, user=w.shequ2, org=w.O_C2)
    assert "和平里路灯改造" not in _results(client, w.C1).content.decode()
    html = _results(client, w.C2).content.decode()
    assert "和平里路灯改造" in html and "幸福家园楼道照明改造" not in html
    page = client.get(reverse("needs:public_result", args=[theirs.pk])).content.decode()
    assert "和平里新装路灯6盏。" in page and reverse("needs:public_results", args=[w.C2.pk]) in page
    for not_a_community in (w.S1, w.K1, w.B1):
        assert _results(client, not_a_community).status_code == 404
    assert client.get("/public/999999/results/").status_code == 404


def test_newest_first_and_paged(client, w):
    for i in range(11):
        _closed(w, f"小项目{i:02d}", [need(w.s1, w.shequ1, title=f"需求{i}", place=w.B2)], summary=f"第{i}项完成。",
                closed_on=dt.date.today() - dt.timedelta(days=20 - i))
    html = _results(client, w.C1).content.decode()
    order = [name for name in ("幸福家园楼道照明改造", "小项目10", "小项目09", "小项目02") if name in html]
    assert order == ["幸福家园楼道照明改造", "小项目10", "小项目09", "小项目02"]
    assert html.index("幸福家园楼道照明改造") < html.index("小项目10") < html.index("小项目09")
    assert "小项目01" not in html and "共 12 条" in html
    second = _results(client, w.C1, page=2).content.decode()
    assert "小项目01" in second and "小项目00" in second and "小项目10" not in second


def test_the_staff_page_links_to_the_public_page_once_closed(client, w):
    client.force_login(w.shequ1)
    html = client.get(reverse("needs:project", args=[w.done.pk])).content.decode()
    assert reverse("needs:public_result", args=[w.done.pk]) in html


def test_public_pages_read_a_fixed_number_of_queries(client, w, django_assert_max_num_queries):
    for i in range(5):
        _closed(w, f"项目{i}", [need(w.s1, w.shequ1, title=f"需求{i}", place=w.B1)], summary="完成。")
    with django_assert_max_num_queries(5):
        assert _results(client, w.C1).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("needs:public_result", args=[w.done.pk])).status_code == 200
