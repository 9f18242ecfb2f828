"""The registry: kinds fitting the person, one active record per community, skills, teams."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.people.models import CommunityCheckin, EmployerLevel
from gongzhi.volunteers import selectors, services
from gongzhi.volunteers.models import Skill, TeamKind, VolunteerKind, VolunteerStatus

from .factories import volunteer


def test_default_skills_loaded(db):
    assert list(Skill.objects.values_list("name", flat=True)) == ["医疗", "法律", "教育", "电工", "水暖", "心理疏导", "文艺", "信息技术", "照护"]


def test_register_kinds_and_duplicates(world, scope_of):
    w, s = world, scope_of(world.shequ1)
    medical = Skill.objects.get(code="medical")
    v = volunteer(w, s, w.zhangsan, skills=[medical])
    assert v.kind == VolunteerKind.MEMBER and v.person.party_member == w.m_zhangsan and list(v.skills.all()) == [medical]
    assert v.registered_by == w.shequ1 and v.history.count() == 1
    with pytest.raises(ValidationError) as e:
        volunteer(w, s, w.zhangsan)
    assert e.value.message_dict["person"] == ["张三已是本社区的志愿者。"]
    with pytest.raises(ValidationError) as e:
        volunteer(w, s, w.lisi, kind=VolunteerKind.MEMBER)
    assert "李四不是在册党员" in e.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as e:
        services.volunteer_register(scope=s, acting_user=w.shequ1, person=w.zhangsan, community=w.K1, kind=VolunteerKind.MEMBER)
    assert e.value.message_dict["community"] == ["请选择一个社区。"]
    with pytest.raises(ValidationError) as e:  # 赵六 lives in C2: outside shequ1's scope
        volunteer(w, s, w.zhaoliu)
    assert e.value.message_dict["person"] == ["所选居民不在您的管辖范围内。"]
    lisi = volunteer(w, s, w.lisi)
    services.volunteer_leave(scope=s, acting_user=w.shequ1, volunteer=lisi)
    assert lisi.status == VolunteerStatus.LEFT
    again = volunteer(w, s, w.lisi)  # registering again after leaving is a new record
    assert again.pk != lisi.pk
    assert [x.person.name for x in selectors.volunteer_list(scope=s)] == ["张三", "李四"]


def test_checkin_member_registers_with_the_community_they_reported_to(world, scope_of):
    w, s = world, scope_of(world.shequ1)
    with pytest.raises(ValidationError) as e:
        volunteer(w, s, w.zhaoliu, kind=VolunteerKind.CHECKIN)
    assert "没有到本社区报到的记录" in e.value.message_dict["kind"][0]
    checkin = CommunityCheckin.objects.create(member=w.m_zhaoliu, employer="区财政局", employer_level=EmployerLevel.DISTRICT,
                                              community=w.C1, registered_on=dt.date(2026, 1, 5))
    v = volunteer(w, s, w.zhaoliu, kind=VolunteerKind.CHECKIN)
    assert v.checkin == checkin and v.community == w.C1
    with pytest.raises(Http404):
        selectors.volunteer_get(scope=scope_of(w.shequ2), id=v.pk)  # registered in C1, though he lives in C2


def test_teams(world, scope_of):
    w, s = world, scope_of(world.shequ1)
    team = services.team_create(scope=s, acting_user=w.shequ1, community=w.C1, name="幸福义诊队", kind=TeamKind.PROFESSIONAL, leader_name="张三")
    with pytest.raises(ValidationError) as e:
        services.team_create(scope=s, acting_user=w.shequ1, community=w.C1, name=" 幸福义诊队 ")
    assert "已有名为“幸福义诊队”的队伍" in e.value.message_dict["name"][0]
    v = volunteer(w, s, w.zhangsan)
    m = services.team_member_add(scope=s, acting_user=w.shequ1, team=team, volunteer=v, joined_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.team_member_add(scope=s, acting_user=w.shequ1, team=team, volunteer=v)
    assert list(team.members.all()) == [v]
    services.volunteer_leave(scope=s, acting_user=w.shequ1, volunteer=v)
    m.refresh_from_db()
    assert m.left_on == timezone.localdate()
    with pytest.raises(Http404):
        services.team_create(scope=scope_of(w.shequ2), acting_user=w.shequ2, community=w.C1, name="x")
