"""免于参加组织生活: recorded with a reason, never overlapping, leaving the member out of 应到."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from gongzhi.partylife import services
from gongzhi.partylife.models import Exemption

D = dt.date


def test_exemption_rules_and_effect_on_who_is_due(world, scope_of):
    w, s = world, scope_of(world.zhibu1)

    def add(starts_on, ends_on=None, reason="重病住院"):
        return services.exemption_create(scope=s, acting_user=w.zhibu1, member=w.m_zhangsan, starts_on=starts_on, ends_on=ends_on, reason=reason)

    first = add(D(2026, 2, 1), D(2026, 5, 31))
    assert first.approved_by == w.zhibu1
    assert [m.person.name for m in services.members_due(w.O_K1, D(2026, 3, 1))] == []
    assert [m.person.name for m in services.members_due(w.O_K1, D(2026, 6, 1))] == ["张三"]
    with pytest.raises(ValidationError) as e:
        add(D(2026, 5, 31))  # overlaps on its first day
    assert "与已有的免于参加期间（2026-02-01 至 2026-05-31，重病住院）重叠" in e.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as e:
        add(D(2026, 8, 1), D(2026, 7, 1), reason="  ")
    assert set(e.value.message_dict) == {"ends_on", "reason"}
    open_ended = add(D(2026, 9, 1))
    with pytest.raises(ValidationError) as e:
        add(D(2027, 1, 1), D(2027, 2, 1))  # inside the open-ended one
    services.exemption_end(scope=s, acting_user=w.zhibu1, exemption=open_ended, on=D(2026, 10, 31))
    assert Exemption.objects.get(pk=open_ended.pk).ends_on == D(2026, 10, 31)
    add(D(2027, 1, 1), D(2027, 2, 1))  # now fine
    with pytest.raises(Http404):
        services.exemption_create(scope=scope_of(w.shequ2), acting_user=w.shequ2, member=w.m_zhangsan, starts_on=D(2026, 11, 1), ends_on=None, reason="x")


def test_exemption_page(client, world):
    client.force_login(world.zhibu1)
    url = reverse("partylife:member_exemptions", args=[world.m_zhangsan.pk])
    r = client.post(url, {"action": "add", "starts_on": "2026-11-01", "ends_on": "", "reason": "出国探亲半年"}, follow=True)
    html = r.content.decode()
    assert "已记录张三免于参加组织生活。" in html and "出国探亲半年" in html and "今天结束" in html
    bad = client.post(url, {"action": "add", "starts_on": "", "reason": ""}).content.decode()
    assert "请填写开始日期。" in bad and "请填写原因。" in bad
    exemption = Exemption.objects.get(member=world.m_zhangsan)
    r = client.post(url, {"action": "end", "exemption": exemption.pk}, follow=True)
    assert "已结束免于参加组织生活" in r.content.decode() and Exemption.objects.get(pk=exemption.pk).ends_on is not None
    other = Exemption.objects.create(member=world.m_zhaoliu, starts_on=D(2026, 1, 1), reason="x")
    assert client.post(url, {"action": "end", "exemption": other.pk}).status_code == 404  # not this member's
    client.force_login(world.shequ2)
    assert client.get(url).status_code == 404
