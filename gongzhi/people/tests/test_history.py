"""The change history (gongzhi.core.history) on the household, member, place and organisation pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core.history import record_history
from gongzhi.org import services as org_services
from gongzhi.people import services
from gongzhi.people.selectors import PERSON_HISTORY_FIELDS


def history_of(html: str) -> str:
    return html.split('id="history"', 1)[1]


@pytest.fixture
def q(world, scope_of):
    return scope_of(world.quwei)


def test_household_page_shows_who_changed_what(client, world, q):
    services.household_update(scope=q, acting_user=world.shequ1, household=world.H1, room="1-102", note="门牌更正")
    client.force_login(world.quwei)
    history = history_of(client.get(reverse("people:household", args=[world.H1.pk])).content.decode())
    assert "shequ1" in history and "修改" in history
    assert "1-101" in history and "1-102" in history and "门牌更正" in history and "房号" in history


def test_household_head_change_is_named(world, q):
    services.household_update(scope=q, acting_user=world.quwei, household=world.H1, head=world.lisi)
    (entry, *_rest) = record_history(world.H1, fields=("head",))
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("户主", "张三", "李四")]


def test_org_page_shows_its_history(client, world, q):
    org_services.organization_update(scope=q, acting_user=world.jiedao1, org=world.O_K1, secretary_name="钱书记", founded_on=dt.date(2020, 7, 1))
    client.force_login(world.quwei)
    history = history_of(client.get(reverse("org:org", args=[world.O_K1.pk])).content.decode())
    assert "jiedao1" in history and "钱书记" in history and "书记" in history and "2020-07-01" in history


def test_place_page_shows_its_history(client, world, q):
    org_services.place_update(scope=q, acting_user=world.shequ1, place=world.K2, property_manager="新居物业", reason="引入物业")
    client.force_login(world.quwei)
    history = history_of(client.get(reverse("org:place", args=[world.K2.pk])).content.decode())
    assert "shequ1" in history and "新居物业" in history and "物业服务企业" in history and "引入物业" in history


def test_a_place_created_through_the_service_shows_who_created_it(client, world, q):
    place = org_services.place_create(scope=q, acting_user=world.quwei, parent=world.K1, level="building", name="2号楼")
    client.force_login(world.quwei)
    history = history_of(client.get(reverse("org:place", args=[place.pk])).content.decode())
    assert "quwei" in history and "新建" in history


def test_member_status_page_shows_the_full_history(client, world, q):
    services.member_change_status(scope=q, acting_user=world.shequ1, member=world.m_zhangsan, status="transferred_out", on=dt.date(2025, 1, 2), reason="转往外区")
    client.force_login(world.quwei)
    history = history_of(client.get(reverse("people:member_status", args=[world.m_zhangsan.pk])).content.decode())
    assert "shequ1" in history and "已转出" in history and "在册" in history and "转往外区" in history


def test_history_never_holds_a_plain_number(world, q):
    services.person_update(scope=q, acting_user=world.quwei, person=world.zhangsan, phone="13900002222")
    text = repr(record_history(world.zhangsan, fields=PERSON_HISTORY_FIELDS))
    assert "13900002222" not in text and "139****2222" in text


def test_household_update_checks_the_head_and_the_room(world, q):
    with pytest.raises(ValidationError, match="户主须是本户成员"):
        services.household_update(scope=q, household=world.H1, head=world.wangwu)
    services.household_create(scope=q, place=world.B1, room="1-102")
    with pytest.raises(ValidationError, match="1-102室已登记为一户"):
        services.household_update(scope=q, household=world.H1, room="1-102")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_history_query_counts_do_not_grow(client, world, q, django_assert_max_num_queries):
    client.force_login(world.quwei)
    urls = [
        reverse("people:household", args=[world.H1.pk]), reverse("org:org", args=[world.O_K1.pk]),
        reverse("org:place", args=[world.K2.pk]), reverse("people:member_status", args=[world.m_zhangsan.pk]),
        reverse("people:person", args=[world.wangwu.pk]),
    ]
    services.household_update(scope=q, acting_user=world.shequ1, household=world.H1, note="起")
    before = [_count(client, u) for u in urls]
    for i in range(6):
        services.household_update(scope=q, acting_user=world.shequ1 if i % 2 else world.quwei, household=world.H1, note=f"第{i}次", head=world.lisi if i % 2 else world.zhangsan)
        org_services.organization_update(scope=q, acting_user=world.jiedao1, org=world.O_K1, secretary_name=f"书记{i}")
        org_services.place_update(scope=q, acting_user=world.shequ1, place=world.K2, property_manager=f"物业{i}", units=i + 1)
        services.person_update(scope=q, acting_user=world.quwei, person=world.wangwu, note=f"第{i}次", relation_to_head=f"关系{i}")
        status = "transferred_out" if i % 2 == 0 else "active"
        services.member_change_status(scope=q, acting_user=world.shequ1, member=world.m_zhangsan, status=status, on=dt.date(2025, 1, 2 + i))
    assert [_count(client, u) for u in urls] == before
    with django_assert_max_num_queries(20):
        client.get(urls[1])
