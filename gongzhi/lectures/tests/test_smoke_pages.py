"""Every staff page opens for a 社区 worker, with records on it; the public page and the link too."""

import pytest
from django.urls import reverse


from . import factories as f


@pytest.fixture
def loop(world):
    w = world
    t = f.teacher(w.D)
    r = f.request(w.C1, w.zhangsan)
    o = f.order(w.C1, [t], [r])
    return t, r, o


def test_pages_open(client, world, loop):
    t, r, o = loop
    client.force_login(world.shequ1)
    for url in (reverse("lectures:overview"), reverse("lectures:requests"), reverse("lectures:request_new"), reverse("lectures:request", args=[r.pk]),
                reverse("lectures:orders"), reverse("lectures:order_new"), reverse("lectures:order", args=[o.pk]),
                reverse("lectures:teachers"), reverse("lectures:teacher_new"), reverse("lectures:teacher", args=[t.pk]), reverse("lectures:topics"),
                reverse("lectures:orders") + "?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
    client.logout()
    assert client.get(reverse("lectures:public", args=[world.C1.pk])).status_code == 200
    assert client.get(reverse("lectures:teacher_link", args=[t.token])).status_code == 200
    assert client.get(reverse("lectures:teacher_link", args=["nope"])).status_code == 404
