"""资源清单: registering resources by kind, the survey (地毯式摸底, all or nothing, rows named),
availability, and committing resources to projects, by scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.needs import resources as rs
from gongzhi.needs import services
from gongzhi.needs.models import MatchingRules, MatchRule, ProjectResource, Resource, ResourceKind
from gongzhi.needs.tests.factories import need
from gongzhi.volunteers.models import Skill
from gongzhi.volunteers.tests.factories import volunteer

K = ResourceKind


@pytest.fixture
def w(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    world.s2 = scope_of(world.shequ2)
    return world


def skill(code):
    return Skill.objects.get(code=code)


def register(w, name="李师傅", kind=K.TALENT, place=None, scope=None, **fields):
    if kind == K.TALENT and "skills" not in fields:
        fields["skills"] = [skill("electrician")]
    return rs.resource_register(scope=scope or w.s1, acting_user=w.shequ1, name=name, kind=kind, place=place or w.B1, **fields)


def project(w, title="楼道灯改造"):
    n = need(w.s1, w.shequ1, title=title, place=w.B1)
    return services.project_open(scope=w.s1, acting_user=w.shequ1, name=title, organization=w.O_C1, leader_name="刘书记", needs=[n])


def test_defaults_loaded_by_the_migration(w):
    assert MatchingRules.objects.count() == 1
    rules = MatchingRules.current()
    assert (rules.fit_points, rules.same_building_points, rules.similar_within_days) == (40, 30, 30)
    repair = {(m.skill.code if m.skill else m.kind) for m in MatchRule.objects.filter(category__code="repair")}
    assert repair == {"electrician", "plumbing", "thing"}
    assert {m.skill.name for m in MatchRule.objects.filter(category__code="dispute")} == {"法律", "心理疏导"}


def test_register_each_kind(w):
    talent = register(w, availability_note="周末", contact_note="经幸福社区居委会联系")
    assert (talent.kind, talent.place, talent.recorded_by, talent.available) == (K.TALENT, w.B1, w.shequ1, True)
    assert [s.name for s in talent.skills.all()] == ["电工"]
    room = register(w, name="社区活动室", kind=K.THING, place=w.C1, quantity=40)
    fund = register(w, name="党组织服务群众经费", kind=K.FUND, place=w.C1, amount=Decimal("20000"))
    unit = register(w, name="市供电公司", kind=K.UNIT, place=w.C1, unit_name="市供电公司东风营业所", commitment="每季度一次用电安全检查",
                    committed_until=dt.date(2027, 12, 31))
    assert (room.quantity, fund.amount, unit.unit_name) == (40, Decimal("20000"), "市供电公司东风营业所")
    # a volunteer brings their person with them
    v = volunteer(w, w.s1, w.wangwu, skills=[skill("plumbing")])
    person = register(w, name="王五", kind=K.PERSON, place=w.B2, volunteer=v)
    assert person.person == w.wangwu


@pytest.mark.parametrize("kind, fields, field, words", [
    (K.TALENT, {"skills": []}, "skills", "至少选择一项技能"),
    (K.THING, {"skills": ["electrician"]}, "skills", "只有“人”“才”"),
    (K.FUND, {}, "amount", "大于零的金额"),
    (K.THING, {"amount": Decimal("5")}, "amount", "只有资金类"),
    (K.UNIT, {"unit_name": "供电所"}, "commitment", "承诺提供的内容"),
    (K.UNIT, {"commitment": "检修"}, "unit_name", "驻区单位名称"),
    (K.THING, {"quantity": 0}, "quantity", "大于零"),
    (K.PERSON, {"contact_note": "电话 138 1234 5678"}, "contact_note", "不要填写电话号码"),
    (K.PERSON, {"contact_note": "座机６６１２３４５"}, "contact_note", "不要填写电话号码"),
    ("robot", {}, "kind", "请选择资源类型"),
])
def test_register_checks_fields_by_kind(w, kind, fields, field, words):
    if "skills" in fields:
        fields["skills"] = [skill(c) for c in fields["skills"]]
    with pytest.raises(ValidationError) as e:
        rs.resource_register(scope=w.s1, acting_user=w.shequ1, name="某资源", kind=kind, place=w.B1, **fields)
    assert words in e.value.message_dict[field][0]
    assert not Resource.objects.exists()


def test_register_checks_scope_and_place_level(w):
    with pytest.raises(ValidationError) as e:
        register(w, place=w.B3)  # 和平社区: not shequ1's
    assert "管辖范围" in e.value.message_dict["place"][0]
    with pytest.raises(ValidationError) as e:
        register(w, place=w.S1, scope=w.s1)
    assert e.value.message_dict["place"]  # a 街道 is out of a 社区 worker's scope, and not a resource's place anyway
    with pytest.raises(ValidationError) as e:
        register(w, kind=K.PERSON, person=w.zhaoliu)
    assert "管辖范围" in e.value.message_dict["person"][0]
    v = volunteer(w, w.s1, w.wangwu)
    with pytest.raises(ValidationError) as e:
        register(w, kind=K.PERSON, person=w.zhangsan, volunteer=v)
    assert "不是同一人" in e.value.message_dict["person"][0]


def test_survey_registers_all_rows_or_none_naming_the_row(w):
    rows = [
        {"name": "张师傅", "kind": K.TALENT, "place": w.B1, "skills": [skill("plumbing")], "availability_note": "工作日晚上"},
        {"name": "老厂会议室", "kind": K.THING, "place": w.K2, "quantity": 20},
        {"name": "", "kind": K.FUND, "place": w.C1},
        {"name": "和平里活动室", "kind": K.THING, "place": w.B3},
        {"name": "某单位", "kind": K.UNIT, "place": w.C1, "unit_name": "某单位", "commitment": "捐赠", "phone": "13800000000"},
    ]
    with pytest.raises(ValidationError) as e:
        rs.resource_survey_register(scope=w.s1, acting_user=w.shequ1, rows=rows)
    messages = e.value.message_dict["rows"]
    assert "第3行：请填写资源名称。" in messages
    assert any(m.startswith("第3行：") and "金额" in m for m in messages)
    assert any(m.startswith("第4行：") and "管辖范围" in m for m in messages)
    assert any(m.startswith("第5行：") and "phone" in m for m in messages)
    assert not any(m.startswith(("第1行", "第2行")) for m in messages)
    assert not Resource.objects.exists()  # nothing from rows 1 and 2 either

    saved = rs.resource_survey_register(scope=w.s1, acting_user=w.shequ1, rows=rows[:2])
    assert [(r.name, r.kind) for r in saved] == [("张师傅", K.TALENT), ("老厂会议室", K.THING)]
    assert [s.code for s in saved[0].skills.all()] == ["plumbing"]
    with pytest.raises(ValidationError) as e:
        rs.resource_survey_register(scope=w.s1, acting_user=w.shequ1, rows=[])
    assert e.value.message_dict["rows"]


def test_availability_and_scope(w):
    r = register(w)
    r = rs.resource_set_availability(scope=w.s1, acting_user=w.shequ1, resource=r, available=False, note="外出至月底")
    assert (r.available, r.availability_note) == (False, "外出至月底")
    with pytest.raises(Http404):
        rs.resource_set_availability(scope=w.s2, acting_user=w.shequ2, resource=r, available=True)
    assert list(w.s2.filter(Resource.objects.all())) == []
    assert list(w.s1.filter(Resource.objects.all())) == [r]


def test_commit_to_a_project(w):
    r, p = register(w), project(w)
    link = rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=p, resource=r, note="每周六上午维修")
    assert (link.project, link.resource, link.committed_on, link.committed_by) == (p, r, timezone.localdate(), w.shequ1)
    assert list(p.committed_resources.all()) == [link]
    with pytest.raises(ValidationError) as e:
        rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=p, resource=r, note="再来一次")
    assert "已投入本项目" in e.value.message_dict["resource"][0]
    with pytest.raises(ValidationError) as e:
        rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=p, resource=register(w, name="赵师傅"), note=" ")
    assert "投入内容" in e.value.message_dict["note"][0]
    # a project closed (销号) takes no more; out of scope is a 404
    services.project_close(scope=w.s1, acting_user=w.shequ1, project=p, result="已完成", evidence="验收单")
    with pytest.raises(ValidationError) as e:
        rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=p, resource=register(w, name="钱师傅"), note="维修")
    assert "已销号" in e.value.message_dict["project"][0]
    other = rs.resource_register(scope=w.s2, acting_user=w.shequ2, name="和平里电工", kind=K.TALENT, place=w.B3, skills=[skill("electrician")])
    with pytest.raises(Http404):
        rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=project(w, "二期"), resource=other, note="维修")
    assert ProjectResource.objects.count() == 1


def test_commit_refuses_a_lapsed_unit_commitment(w):
    unit = register(w, name="供电所", kind=K.UNIT, place=w.C1, unit_name="供电所", commitment="安全检查",
                    committed_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=project(w), resource=unit, note="检查")
    assert "到期" in e.value.message_dict["resource"][0]
