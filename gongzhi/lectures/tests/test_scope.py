"""C1 and C2 do not see each other's requests, orders or 社区 teachers; S1 sees both; a district
teacher serves (and is seen by) every 社区 but is changed only by the district."""

import pytest
from django.http import Http404
from django.urls import reverse

from gongzhi.lectures import selectors, services

from . import factories as f


@pytest.fixture
def both(world):
    w = world
    district = f.teacher(w.D, name="李律师")
    c1_teacher = f.teacher(w.C1, name="张老师", kind="resident", organisation="")
    c2_teacher = f.teacher(w.C2, name="赵老师", kind="resident", organisation="")
    r1, r2 = f.request(w.C1, w.zhangsan), f.request(w.C2, w.zhaoliu)
    o1, o2 = f.order(w.C1, [district], [r1]), f.order(w.C2, [c2_teacher], [r2])
    return {"district": district, "c1": c1_teacher, "c2": c2_teacher, "r1": r1, "r2": r2, "o1": o1, "o2": o2}


def test_siblings_do_not_see_each_other(world, both, scope_of):
    w, b = world, both
    s1, s2, street = scope_of(w.shequ1), scope_of(w.shequ2), scope_of(w.jiedao1)
    assert list(selectors.request_list(scope=s1)) == [b["r1"]]
    assert list(selectors.request_list(scope=s2)) == [b["r2"]]
    assert set(selectors.request_list(scope=street)) == {b["r1"], b["r2"]}
    assert list(selectors.order_list(scope=s1)) == [b["o1"]]
    assert set(selectors.order_list(scope=street)) == {b["o1"], b["o2"]}
    assert set(selectors.teacher_list(scope=s1)) == {b["district"], b["c1"]}
    assert set(selectors.teacher_list(scope=s2)) == {b["district"], b["c2"]}
    assert set(selectors.teacher_list(scope=street)) == {b["district"], b["c1"], b["c2"]}
    with pytest.raises(Http404):
        selectors.order_get(scope=s1, pk=b["o2"].pk)
    with pytest.raises(Http404):
        selectors.teacher_get(scope=s1, pk=b["c2"].pk)


def test_services_check_scope(world, both, scope_of):
    w, b = world, both
    s1 = scope_of(w.shequ1)
    with pytest.raises(Http404):
        services.order_cancel(scope=s1, acting_user=w.shequ1, order=b["o2"], reason="x")
    with pytest.raises(Http404):
        services.request_decline(scope=s1, acting_user=w.shequ1, request=b["r2"], reason="x")
    with pytest.raises(Http404):
        f.services.order_place(scope=s1, acting_user=w.shequ1, community=w.C2, topic=f.topic(), title="", starts_at=b["o1"].starts_at,
                               venue="v", audience="a", expected_size=5, teachers=[b["district"]])
    assert not services.teacher_manageable(scope=s1, teacher=b["district"])
    assert services.teacher_manageable(scope=s1, teacher=b["c1"])
    with pytest.raises(Http404):
        services.teacher_token_reissue(scope=s1, teacher=b["district"])


def test_pages_404_for_the_sibling(client, world, both):
    w, b = world, both
    client.force_login(w.shequ1)
    for name, pk in (("lectures:order", b["o2"].pk), ("lectures:request", b["r2"].pk), ("lectures:teacher", b["c2"].pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse("lectures:order_new") + f"?community={w.C2.pk}").status_code == 404
    assert client.post(reverse("lectures:teacher", args=[b["district"].pk]), {"action": "reissue"}).status_code == 404
    html = client.get(reverse("lectures:orders")).content.decode()
    assert f'href="/lectures/orders/{b["o1"].pk}/"' in html and f'href="/lectures/orders/{b["o2"].pk}/"' not in html
    client.force_login(w.jiedao1)
    assert client.get(reverse("lectures:order", args=[b["o2"].pk])).status_code == 200
