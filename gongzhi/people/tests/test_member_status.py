"""Member status changes (转出 / 去世 / 恢复在册): a new history version each, counters recounted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from gongzhi.people import selectors, services


def test_transfer_out_and_back_keeps_every_version(world, scope_of):
    s = scope_of(world.shequ1)
    assert world.K1.member_count == 0 and world.B1.member_count == 1  # 张三 lives in B1
    services.member_change_status(scope=s, acting_user=world.shequ1, member=world.m_zhangsan, status="transferred_out", on=dt.date(2026, 3, 1), reason="转往市直机关党委")
    world.B1.refresh_from_db()
    world.O_K1.refresh_from_db()
    assert world.B1.member_count == 0 and world.O_K1.member_count == 0
    services.member_change_status(scope=s, acting_user=world.shequ1, member=world.m_zhangsan, status="active", on=dt.date(2026, 6, 1))
    history = selectors.member_status_history(scope=s, member=world.m_zhangsan)
    assert [(e.status, e.on) for e in history] == [("在册", None), ("已转出", dt.date(2026, 3, 1)), ("在册", dt.date(2026, 6, 1))]
    assert history[1].reason == "转往市直机关党委" and history[1].who == world.shequ1
    world.O_K1.refresh_from_db()
    assert world.O_K1.member_count == 1


def test_status_change_errors_name_the_field(world, scope_of):
    s = scope_of(world.shequ1)
    with pytest.raises(ValidationError) as e:
        services.member_change_status(scope=s, member=world.m_zhangsan, status="active", on=dt.date(2026, 1, 1))
    assert "当前已是“在册”" in str(e.value)
    with pytest.raises(ValidationError) as e:
        services.member_change_status(scope=s, member=world.m_zhangsan, status="deceased", on=dt.date(2009, 1, 1))
    assert "不能早于入党日期" in str(e.value) and "on" in e.value.message_dict
    with pytest.raises(Http404):
        services.member_change_status(scope=s, member=world.m_zhaoliu, status="deceased", on=dt.date(2026, 1, 1))


def test_status_page(client, world):
    client.force_login(world.shequ1)
    url = reverse("people:member_status", args=[world.m_zhangsan.pk])
    assert "党员状态变更" in client.get(url).content.decode()
    r = client.post(url, {"status": "deceased", "on": "2030-01-01"})
    assert "变更日期不能晚于今天" in r.content.decode()
    r = client.post(url, {"status": "deceased", "on": "2026-02-02", "reason": "病故"})
    assert r.status_code == 302
    world.m_zhangsan.refresh_from_db()
    assert world.m_zhangsan.status == "deceased"
    page = client.get(reverse("people:person", args=[world.zhangsan.pk])).content.decode()
    assert "已去世" in page
    assert client.get(reverse("people:member_status", args=[world.m_zhaoliu.pk])).status_code == 404
