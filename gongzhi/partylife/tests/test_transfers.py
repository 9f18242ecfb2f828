"""组织关系转接: a member moving between branches is due where they were on each date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from gongzhi.partylife import services as meetings
from gongzhi.partylife.models import Attendance, MeetingType
from gongzhi.people import services
from gongzhi.people.models import MemberTransfer, PartyMember

D = dt.date
TODAY = D(2026, 11, 27)


def due(org, on):
    return sorted(m.person.name for m in meetings.members_due(org, on))


@pytest.fixture
def street(world, scope_of):
    return scope_of(world.jiedao1)  # 东风街道: both K1 (幸福社区) and K3 (和平社区)


def test_due_where_they_were_on_each_date(world, street):
    w = world
    services.member_transfer(scope=street, acting_user=w.jiedao1, member=w.m_zhangsan, to_organization=w.O_K3, on=D(2026, 3, 1), today=TODAY)
    services.member_transfer(scope=street, acting_user=w.jiedao1, member=w.m_zhangsan, to_organization=w.O_K1, on=D(2026, 6, 1), today=TODAY)
    # K1 until 28 Feb, K3 from 1 March to 31 May, K1 again from 1 June
    assert due(w.O_K1, D(2026, 2, 28)) == ["张三"] and due(w.O_K3, D(2026, 2, 28)) == ["赵六"]
    assert due(w.O_K1, D(2026, 3, 1)) == [] and due(w.O_K3, D(2026, 3, 1)) == ["张三", "赵六"]
    assert due(w.O_K1, D(2026, 5, 31)) == [] and due(w.O_K3, D(2026, 5, 31)) == ["张三", "赵六"]
    assert due(w.O_K1, D(2026, 6, 1)) == ["张三"] and due(w.O_K3, D(2026, 6, 1)) == ["赵六"]
    # a meeting recorded in K3 in April lists him; one in K1 in April does not
    theme = MeetingType.objects.get(code="theme_day")
    april_k3 = meetings.meeting_create(scope=street, acting_user=w.jiedao1, organization=w.O_K3, meeting_type=theme, held_on=D(2026, 4, 10), topic="四月", today=TODAY)
    april_k1 = meetings.meeting_create(scope=street, acting_user=w.jiedao1, organization=w.O_K1, meeting_type=theme, held_on=D(2026, 4, 11), topic="四月", today=TODAY)
    assert Attendance.objects.filter(meeting=april_k3, member=w.m_zhangsan).exists()
    assert not Attendance.objects.filter(meeting=april_k1, member=w.m_zhangsan).exists()
    member = PartyMember.objects.get(pk=w.m_zhangsan.pk)
    assert member.organization == w.O_K1 and member.history.first().history_change_reason == "组织关系转接"
    assert [(t.from_organization, t.to_organization) for t in member.transfers.all()] == [(w.O_K1, w.O_K3), (w.O_K3, w.O_K1)]


def test_transfer_rules(world, street, scope_of):
    w = world
    theme = MeetingType.objects.get(code="theme_day")
    meetings.meeting_create(scope=street, acting_user=w.jiedao1, organization=w.O_K1, meeting_type=theme, held_on=D(2026, 5, 10), topic="五月", today=TODAY)

    def error(**kwargs):
        args = {"scope": street, "acting_user": w.jiedao1, "member": w.m_zhangsan, "to_organization": w.O_K3, "on": D(2026, 7, 1), "today": TODAY} | kwargs
        with pytest.raises(ValidationError) as e:
            services.member_transfer(**args)
        return e.value.message_dict

    assert "转入党组织与当前所在党组织相同" in error(to_organization=w.O_K1)["to_organization"][0]
    assert "不能晚于今天" in error(on=D(2026, 12, 1))["on"][0]
    assert "2026-05-10" in error(on=D(2026, 5, 10))["on"][0]  # his attendance there stays with K1
    assert "应晚于入党日期" in error(on=w.m_zhangsan.joined_on)["on"][0]
    # a community worker cannot move a member into another community's branch
    with pytest.raises(Http404):
        services.member_transfer(scope=scope_of(w.shequ1), acting_user=w.shequ1, member=w.m_zhangsan, to_organization=w.O_K3, on=D(2026, 7, 1), today=TODAY)
    assert not MemberTransfer.objects.exists()
    services.member_transfer(scope=street, acting_user=w.jiedao1, member=w.m_zhangsan, to_organization=w.O_K3, on=D(2026, 7, 1), today=TODAY)
    assert "上一次转接（2026-07-01）" in error(to_organization=w.O_K1, on=D(2026, 7, 1))["on"][0]


def test_transfer_page(client, world):
    w = world
    client.force_login(w.jiedao1)
    url = reverse("people:member_transfer", args=[w.m_zhangsan.pk])
    page = client.get(url).content.decode()
    assert "和平里党支部" in page and "组织关系转接" in page
    r = client.post(url, {"to_organization": w.O_K3.pk, "on": "2026-11-01", "reason": "搬家"}, follow=True)
    assert "已将张三的组织关系转入“和平里党支部”。" in r.content.decode()
    assert PartyMember.objects.get(pk=w.m_zhangsan.pk).organization == w.O_K3
    client.force_login(w.shequ1)  # 张三 now belongs to C2's branch but still lives in C1: shequ1 sees him, not the branch
    page = client.get(url).content.decode()
    assert "和平里党支部" in page and f'value="{w.O_K3.pk}"' not in page


def test_an_import_that_moves_a_member_records_the_transfer(tmp_path, world, street):
    from gongzhi.people.imports.apply import members_import_apply
    from gongzhi.people.imports.columns import MEMBERS
    from gongzhi.people.tests.imports_helpers import member, plain_id, write_xlsx

    path = write_xlsx(tmp_path / "m.xlsx", MEMBERS.columns, [
        member(公民身份号码=plain_id(world.zhangsan), 姓名="张三", 所在党组织="和平里党支部", 入党日期=f"{world.m_zhangsan.joined_on:%Y-%m-%d}",
               转正日期=f"{world.m_zhangsan.full_on:%Y-%m-%d}"),
    ])
    result = members_import_apply(scope=street, acting_user=world.jiedao1, path=path)
    assert result.ok and result.updated == 1
    t = MemberTransfer.objects.get()
    assert (t.member_id, t.from_organization, t.to_organization, t.transferred_on, t.recorded_by) == (
        world.m_zhangsan.pk, world.O_K1, world.O_K3, dt.date.today(), world.jiedao1)
