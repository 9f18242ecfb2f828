"""Two sibling 社区 (C1 of shequ1, C2 of shequ2, both in 街道 S1): neither sees the other's matters,
records, settings or 公约 (404 or left out of lists), nor acts on them; the 街道 sees both."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from gongzhi.decisions import selectors, services
from gongzhi.decisions.tests.factories import matter, record_next


@pytest.fixture
def two(world, scope_of):
    w = world
    w.s1, w.s2, w.sj = scope_of(w.shequ1), scope_of(w.shequ2), scope_of(w.jiedao1)
    w.m1 = matter(w.s1, w.shequ1, w.C1, title="幸福社区事项")
    w.m2 = matter(w.s2, w.shequ2, w.C2, title="和平社区事项")
    w.conv1 = services.convention_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, title="幸福社区公约")
    w.conv2 = services.convention_create(scope=w.s2, acting_user=w.shequ2, community=w.C2, title="和平社区公约")
    return w


def test_lists_are_disjoint_and_the_street_sees_both(two):
    w = two
    assert list(selectors.matter_list(scope=w.s1)) == [w.m1]
    assert list(selectors.matter_list(scope=w.s2)) == [w.m2]
    assert set(selectors.matter_list(scope=w.sj)) == {w.m1, w.m2}
    assert list(selectors.convention_list(scope=w.s1)) == [w.conv1]
    assert set(selectors.convention_list(scope=w.sj)) == {w.conv1, w.conv2}


def test_details_of_the_sibling_are_404(two):
    w = two
    with pytest.raises(Http404):
        selectors.matter_get(scope=w.s1, pk=w.m2.pk)
    with pytest.raises(Http404):
        selectors.convention_get(scope=w.s2, pk=w.conv1.pk)
    assert selectors.matter_get(scope=w.sj, pk=w.m2.pk) == w.m2


def test_services_refuse_the_sibling(two):
    w = two
    with pytest.raises((Http404, PermissionDenied, ValidationError)):
        record_next(w.s1, w.shequ1, w.m2)
    with pytest.raises((Http404, PermissionDenied, ValidationError)):
        services.matter_create(scope=w.s1, acting_user=w.shequ1, community=w.C2, title="越权", method=w.m1.method)
    with pytest.raises((Http404, PermissionDenied, ValidationError)):
        services.setting_save(scope=w.s1, acting_user=w.shequ1, community=w.C2, secretary_is_director=True)
    assert not w.m2.records.exists()


def test_pages_of_the_sibling_are_404(client, two):
    w = two
    client.force_login(w.shequ1)
    for url in (reverse("decisions:matter", args=[w.m2.pk]), reverse("decisions:record_docx", args=[w.m2.pk]),
                reverse("decisions:record_print", args=[w.m2.pk]), reverse("decisions:convention", args=[w.conv2.pk]),
                f"{reverse('decisions:matters')}?community={w.C2.pk}"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("decisions:matter", args=[w.m2.pk]), {"action": "step"}).status_code == 404
    assert client.post(reverse("decisions:settings"), {"community": w.C2.pk, "secretary_is_director": "on"}).status_code == 404
    page = client.get(reverse("decisions:matters")).content.decode()
    assert "幸福社区事项" in page and "和平社区事项" not in page
    client.force_login(w.jiedao1)
    page = client.get(reverse("decisions:matters")).content.decode()
    assert "幸福社区事项" in page and "和平社区事项" in page
