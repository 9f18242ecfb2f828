"""Matching: candidates for a need ranked by hand-worked scores with their reasons (fit, nearness,
availability, load), scope, volunteers from the registry, and suggestions to group similar needs.

Default weights (migration 0003): fit 40; same 楼栋 30, 小区 20, 社区 10, 街道 5; unavailable −30;
each open project −5."""

import pytest
from django.http import Http404

from gongzhi.needs import matching, services
from gongzhi.needs import resources as rs
from gongzhi.needs.models import MatchingRules, ResourceKind
from gongzhi.needs.tests.factories import days_ago, need
from gongzhi.volunteers.models import Skill
from gongzhi.volunteers.tests.factories import volunteer

K = ResourceKind


@pytest.fixture
def w(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    world.s2 = scope_of(world.shequ2)
    world.sj = scope_of(world.jiedao1)
    return world


def skills(*codes):
    return list(Skill.objects.filter(code__in=codes))


def res(w, name, place, kind=K.TALENT, codes=(), scope=None, user=None, **fields):
    return rs.resource_register(scope=scope or w.s1, acting_user=user or w.shequ1, name=name, kind=kind, place=place,
                                skills=skills(*codes), **fields)


def project(w, title, resource, close=False):
    p = services.project_open(scope=w.s1, acting_user=w.shequ1, name=title, organization=w.O_C1, leader_name="刘书记",
                              needs=[need(w.s1, w.shequ1, title=title, place=w.B2, code="other")])
    rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=p, resource=resource, note="维修服务")
    if close:
        services.project_close(scope=w.s1, acting_user=w.shequ1, project=p, result="已完成", evidence="验收单")
    return p


@pytest.fixture
def repair(w):
    """A 设施维修 need at B1 and the resources around it (scores worked out by hand)."""
    res(w, "电工甲", w.B1, codes=["electrician"])  # 40 + 30 = 70
    busy = res(w, "电工乙", w.B1, codes=["electrician"])  # 40 + 30 − 5 (one open project) = 65
    res(w, "工具箱", w.K1, kind=K.THING, quantity=2, availability_note="周末")  # 40 (物) + 20 = 60
    plumber = res(w, "水暖丙", w.B2, codes=["plumbing"])  # 40 + 10 = 50 (its project is closed: no load)
    away = res(w, "电工丁", w.B1, codes=["electrician"])  # 40 + 30 − 30 (unavailable) = 40
    res(w, "律师戊", w.B1, codes=["legal"])  # no fit: never offered for a repair
    res(w, "和平里电工", w.B3, codes=["electrician"], scope=w.s2, user=w.shequ2)  # 和平社区: 40 + 5 = 45 for the street only
    project(w, "一期", busy)
    project(w, "旧项目", plumber, close=True)
    rs.resource_set_availability(scope=w.s1, acting_user=w.shequ1, resource=away, available=False, note="外出")
    return need(w.s1, w.shequ1, title="1号楼楼道灯不亮、水管漏水", place=w.B1)


def test_candidates_ranked_with_reasons(w, repair):
    found = matching.candidates(scope=w.s1, need=repair)
    assert [(c.name, c.score) for c in found] == [("电工甲", 70), ("电工乙", 65), ("工具箱", 60), ("水暖丙", 50), ("电工丁", 40)]
    by_name = {c.name: c for c in found}
    assert by_name["电工甲"].reasons == ["技能对口：电工", "同一楼栋", "可用", "当前无在办项目"]
    assert by_name["电工甲"].parts == {"fit": 40, "nearness": 30, "availability": 0, "load": 0}
    assert by_name["电工乙"].reasons[-1] == "当前承担 1 个在办项目"
    assert by_name["电工乙"].parts["load"] == -5
    assert by_name["工具箱"].reasons == ["类型对口：物", "同一小区", "可用（周末）", "当前无在办项目"]
    assert by_name["水暖丙"].reasons == ["技能对口：水暖", "同一社区", "可用", "当前无在办项目"]
    assert by_name["电工丁"].reasons[2] == "暂不可用（外出）"
    assert by_name["电工丁"].parts["availability"] == -30
    assert [c.name for c in matching.candidates(scope=w.s1, need=repair, limit=2)] == ["电工甲", "电工乙"]


def test_out_of_scope_resources_are_never_offered(w, repair):
    assert "和平里电工" not in {c.name for c in matching.candidates(scope=w.s1, need=repair)}
    street = matching.candidates(scope=w.sj, need=repair)  # the 街道 sees both communities
    assert [c.name for c in street] == ["电工甲", "电工乙", "工具箱", "水暖丙", "和平里电工", "电工丁"]
    assert {c.name: c for c in street}["和平里电工"].reasons[1] == "同一街道"
    with pytest.raises(Http404):
        matching.candidates(scope=w.s2, need=repair)  # the need itself is out of 和平社区's scope


def test_weights_are_data(w, repair):
    rules = MatchingRules.current()
    rules.load_penalty = 20  # 电工乙 now 50: below 工具箱 (60), tied with 水暖丙, which has no load
    rules.save()
    names = [c.name for c in matching.candidates(scope=w.s1, need=repair)]
    assert names == ["电工甲", "工具箱", "水暖丙", "电工乙", "电工丁"]  # 50 = 50: the one without load first


def test_volunteers_with_fitting_skills_are_offered(w):
    volunteer(w, w.s1, w.wangwu, skills=skills("electrician", "arts"))  # lives at B2: 40 + 10 = 50
    volunteer(w, w.s1, w.lisi, skills=skills("legal"))  # no fit
    listed = volunteer(w, w.s1, w.zhangsan, skills=skills("plumbing"))  # on the resources list already: offered once, as that
    res(w, "张三", w.B1, kind=K.PERSON, volunteer=listed)  # fit through the volunteer's skills: 40 + 30 = 70
    n = need(w.s1, w.shequ1, place=w.B1)
    found = matching.candidates(scope=w.s1, need=n)
    assert [(c.name, c.score, c.resource is not None) for c in found] == [("张三", 70, True), ("王五", 50, False)]
    assert found[0].reasons[0] == "技能对口：水暖"
    assert found[1].reasons == ["志愿者名册（群众志愿者）", "技能对口：电工", "同一社区", "可用", "当前无在办项目"]
    assert matching.candidates(scope=w.s1, need=n, include_volunteers=False)[0].name == "张三"
    assert len(matching.candidates(scope=w.s1, need=n, include_volunteers=False)) == 1


def test_category_without_rules_offers_by_nearness(w):
    res(w, "社区活动室", w.C1, kind=K.THING)
    res(w, "王师傅", w.B1, codes=["arts"])
    n = need(w.s1, w.shequ1, place=w.B1, code="other")
    found = matching.candidates(scope=w.s1, need=n)
    assert [(c.name, c.score) for c in found] == [("王师傅", 30), ("社区活动室", 10)]
    assert found[0].reasons[0] == "该类需求未设对口技能或资源类型"


@pytest.fixture
def similar(w):
    n = {}
    n["a"] = need(w.s1, w.shequ1, title="1号楼灯坏", place=w.B1, registered_at=days_ago(10))
    n["b"] = need(w.s1, w.shequ1, title="1号楼门禁坏", place=w.B1, registered_at=days_ago(5))
    n["d"] = need(w.s1, w.shequ1, title="老厂水管旧", place=w.B2, registered_at=days_ago(50))
    n["x"] = need(w.s1, w.shequ1, title="老厂路灯坏", place=w.K2, registered_at=days_ago(8))
    n["c"] = need(w.s1, w.shequ1, title="老厂楼道灯坏", place=w.B2, registered_at=days_ago(3))
    n["y"] = need(w.s1, w.shequ1, title="社区健身器材坏", place=w.C1, registered_at=days_ago(20))
    n["e"] = need(w.s1, w.shequ1, title="邻里噪音纠纷", place=w.B1, code="dispute", registered_at=days_ago(4))
    n["f"] = need(w.s2, w.shequ2, title="3号楼灯坏", place=w.B3, registered_at=days_ago(6))
    return n


def test_project_suggestions_group_similar_needs(w, similar):
    n = similar
    got = matching.project_suggestions(scope=w.s1)
    # 小区 first: K1 {a, b}; K2 {d} | {x, c} (d is 42 days before x); then 社区 C1 for those left
    # alone: d and y (at C1 itself) are exactly 30 days apart, inside the window
    assert [[m.pk for m in s.needs] for s in got] == [[n["d"].pk, n["y"].pk], [n["a"].pk, n["b"].pk], [n["x"].pk, n["c"].pk]]
    assert [s.place for s in got] == [w.C1, w.K1, w.K2]
    assert got[1].reason == "同一小区（幸福家园）的2项“设施维修”需求，登记时间相差不超过30天，建议合并为一个项目办理"
    assert got[0].reason.startswith("同一社区（幸福社区）")
    assert matching.project_suggestions(scope=w.s2) == []  # f is alone in 和平社区; C1's needs are not seen
    # needs already in a project are not suggested again
    services.project_open(scope=w.s1, acting_user=w.shequ1, name="幸福家园维修", organization=w.O_C1, leader_name="刘书记",
                          needs=[n["a"], n["b"]])
    assert [s.place for s in matching.project_suggestions(scope=w.s1)] == [w.C1, w.K2]


def test_window_is_data(w, similar):
    rules = MatchingRules.current()
    rules.similar_within_days = 3
    rules.save()
    # no two in one 小区 are within 3 days; in 社区 C1: a (−10) with x (−8), and b (−5) with c (−3)
    n = similar
    got = matching.project_suggestions(scope=w.s1)
    assert [[m.pk for m in s.needs] for s in got] == [[n["a"].pk, n["x"].pk], [n["b"].pk, n["c"].pk]]
    assert {s.place for s in got} == {w.C1}
    assert "不超过3天" in got[0].reason


def test_similar_needs_for_one_need(w, similar):
    n = similar
    group = matching.similar_needs(scope=w.s1, need=n["a"])
    assert ([m.pk for m in group.needs], group.place) == ([n["a"].pk, n["b"].pk], w.K1)
    assert "同一小区（幸福家园）的2项" in group.reason
    assert matching.similar_needs(scope=w.s1, need=n["e"]) is None
    assert matching.similar_needs(scope=w.s2, need=n["f"]) is None


def test_suggestions_page_lists_groups_with_links_to_form_a_project(w, similar, client):
    from django.urls import reverse

    n = similar
    client.force_login(w.shequ1)
    page = client.get(reverse("needs:suggestions")).content.decode()
    assert page.count("合并立项</a>") == 3 and "1号楼灯坏" in page and "3号楼灯坏" not in page  # f is 和平社区's
    assert f'?needs={n["a"].pk},{n["b"].pk}"' in page
    # narrowed to 社区 C1 the same three; the sibling community is a 404
    assert client.get(reverse("needs:suggestions"), {"community": w.C1.pk}).content.decode().count("合并立项</a>") == 3
    assert client.get(reverse("needs:suggestions"), {"community": w.C2.pk}).status_code == 404
    assert client.get(reverse("needs:suggestions"), {"community": w.K1.pk}).status_code == 404  # not a 社区
    opened = client.get(reverse("needs:project_new"), {"needs": f'{n["a"].pk},{n["b"].pk}'}).content.decode()
    assert "1号楼灯坏" in opened and "1号楼门禁坏" in opened


def test_need_page_shows_its_similar_needs_until_they_are_in_a_project(w, similar, client):
    from django.urls import reverse

    n = similar
    client.force_login(w.shequ1)
    page = client.get(reverse("needs:need", args=[n["a"].pk])).content.decode()
    assert 'id="similar"' in page and "1号楼门禁坏" in page and f'?needs={n["a"].pk},{n["b"].pk}"' in page
    assert 'id="similar"' not in client.get(reverse("needs:need", args=[n["e"].pk])).content.decode()  # alone in its category
    services.project_open(scope=w.s1, acting_user=w.shequ1, name="幸福家园维修", organization=w.O_C1, leader_name="刘书记", needs=[n["a"], n["b"]])
    assert 'id="similar"' not in client.get(reverse("needs:need", args=[n["a"].pk])).content.decode()
