"""The staff pages drive the loop: recording a request for a resident, 下单, the order page's
actions, teachers and topics; the orders list's queries do not grow with its rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.pii import decrypt
from gongzhi.lectures.models import LectureOrder, LectureRequest, OrderStatus, RequestStatus, Teacher, Topic

from . import factories as f


def test_record_a_request_and_order_it(client, world):
    w = world
    client.force_login(w.shequ1)
    topic = f.topic("邻里纠纷与相邻关系")
    data = {"community": w.C1.pk, "name": "李四", "id_number": decrypt(w.lisi.id_number_enc), "topic": topic.pk}
    response = client.post(reverse("lectures:request_new"), data)
    r = LectureRequest.objects.get()
    assert response.status_code == 302 and (r.person, r.recorded_by, r.channel) == (w.lisi, w.shequ1, "staff")
    t = f.teacher(w.D)
    form = client.get(reverse("lectures:order_new") + f"?community={w.C1.pk}&request={r.pk}").content.decode()
    assert "李律师" in form and "邻里纠纷与相邻关系（0人附议）" in form
    when = timezone.localtime() + dt.timedelta(days=5)
    post = {"topic": topic.pk, "title": "", "starts_at": f"{when:%Y-%m-%dT%H:%M}", "minutes": 90, "venue": "二楼会议室", "audience": "全体居民",
            "expected_size": 30, "teachers": [t.pk], "requests": [r.pk]}
    response = client.post(reverse("lectures:order_new") + f"?community={w.C1.pk}", post)
    o = LectureOrder.objects.get()
    assert response.status_code == 302 and (o.title, o.status, o.ordered_by) == ("邻里纠纷与相邻关系", OrderStatus.ASKED, w.shequ1)
    r.refresh_from_db()
    assert r.status == RequestStatus.ORDERED
    page = client.get(reverse("lectures:order", args=[o.pk])).content.decode()
    assert f"/lectures/t/{t.token}/" in page


def test_order_page_actions(client, world):
    w = world
    client.force_login(w.shequ1)
    li, wang = f.teacher(w.D), f.teacher(w.S1, name="王法官")
    o = f.order(w.C1, [li])
    url = reverse("lectures:order", args=[o.pk])
    refused = client.post(url, {"action": "hold", "hold-attendance": 10})
    assert refused.status_code == 302
    assert "讲座当前为“待接单”，不能进行此操作。" in client.get(url).content.decode()
    client.post(url, {"action": "ask", "ask-teachers": [wang.pk]})
    assert o.invites.count() == 2
    f.accepted(o, wang)
    LectureOrder.objects.filter(pk=o.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    bad = client.post(url, {"action": "hold", "hold-attendance": "-1"})
    assert "实到人数不能小于 0。" in bad.content.decode()
    assert client.post(url, {"action": "hold", "hold-attendance": 42, "hold-summary": "答疑20分钟"}).status_code == 302
    o.refresh_from_db()
    assert (o.status, o.attendance) == (OrderStatus.HELD, 42)
    client.post(url, {"action": "close", "close-note": ""})
    o.refresh_from_db()
    assert o.status == OrderStatus.CLOSED
    cancel = f.order(w.C1, [li])
    client.post(reverse("lectures:order", args=[cancel.pk]), {"action": "cancel", "cancel-reason": "场地冲突"})
    cancel.refresh_from_db()
    assert cancel.status == OrderStatus.CANCELLED


def test_teachers_and_topics(client, world):
    w = world
    client.force_login(w.shequ1)
    topic = f.topic()
    data = {"name": "刘老师", "kind": "resident", "organisation": "", "place": w.C1.pk, "phone": "13900001111", "topics": [topic.pk], "intro": ""}
    response = client.post(reverse("lectures:teacher_new"), data)
    t = Teacher.objects.get()
    assert response.status_code == 302 and (t.phone_mask, t.place) == ("139****1111", w.C1)
    assert "13900001111" not in client.get(reverse("lectures:teacher", args=[t.pk])).content.decode()
    linked = data | {"name": "王五", "id_number": decrypt(w.wangwu.id_number_enc)}
    client.post(reverse("lectures:teacher_new"), linked)
    assert Teacher.objects.get(name="王五").person == w.wangwu
    wrong = client.post(reverse("lectures:teacher_new"), linked | {"id_number": decrypt(w.zhaoliu.id_number_enc)})
    assert "姓名与身份证号不符，或不是幸福社区登记在册的居民。" in wrong.content.decode()
    expert = client.post(reverse("lectures:teacher_new"), data | {"kind": "expert"})
    assert "外部专家请填写工作单位" in expert.content.decode()
    client.post(reverse("lectures:teacher_new"), data | {"place": w.C2.pk})  # not among the choices: refused
    assert not Teacher.objects.filter(place=w.C2).exists()
    edit = data | {"action": "edit", "phone": "", "is_active": "on", "name": "刘晓"}
    client.post(reverse("lectures:teacher", args=[t.pk]), edit)
    t.refresh_from_db()
    assert (t.name, t.phone_mask) == ("刘晓", "139****1111")  # blank phone keeps the number
    assert client.post(reverse("lectures:topics"), {"title": "新主题", "category": "other"}).status_code == 404
    client.force_login(w.quwei)
    client.post(reverse("lectures:topics"), {"title": "反家庭暴力法", "category": "marriage", "description": ""})
    assert Topic.objects.filter(title="反家庭暴力法").exists()


def test_order_list_queries_do_not_grow(client, world):
    w = world
    client.force_login(w.shequ1)
    t = f.teacher(w.D)
    f.order(w.C1, [t], [f.request(w.C1, w.zhangsan)])
    url = reverse("lectures:orders")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(6):
        f.order(w.C1, [t, f.teacher(w.C1, name=f"讲师{i}", kind="resident", organisation="")])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["lectures:overview", "lectures:requests", "lectures:orders", "lectures:teachers"])
def test_grid_worker_without_community_sees_empty_pages(client, world, name):
    client.force_login(world.wangge1)
    assert client.get(reverse(name)).status_code == 200
