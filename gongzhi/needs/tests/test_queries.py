"""The hot pages of 三张清单 read a fixed number of queries, however many rows they show: the
ledger (needs and projects), a need (steps, photos, other open needs to merge into), the
project list, and a project (needs, tasks with their dependencies, spending). Each page is
read with a few rows and with ten times as many, and both must cost the same; the maxima are
today's counts (session, user and grants included), so a new query shows up here."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.needs import photo_services, services
from gongzhi.needs.tests.factories import days_ago, need
from gongzhi.needs.tests.test_photos import JPEG


@pytest.fixture
def w(world, scope_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.s1 = scope_of(world.shequ1)
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _needs(w, n, *, start=0):
    made = []
    for i in range(start, start + n):
        x = need(w.s1, w.shequ1, title=f"需求{i}", place=(w.B1, w.B2)[i % 2], registered_at=days_ago(40 - i % 30))
        if i % 3 == 0:
            services.need_accept(scope=w.s1, acting_user=w.shequ1, need=x, note="已受理")
        made.append(x)
    return made


def _project(w, i, needs, *, tasks=0, spendings=0):
    project = services.project_open(scope=w.s1, acting_user=w.shequ1, name=f"项目{i}", organization=(w.O_C1, w.O_K1)[i % 2],
                                    leader_name="刘书记", needs=needs, budget=Decimal("1000"),
                                    opened_on=dt.date.today() - dt.timedelta(days=10))
    previous = []
    for t in range(tasks):
        previous = [services.task_add(scope=w.s1, acting_user=w.shequ1, project=project, title=f"任务{t}", owner_name="王五",
                                      due_on=dt.date.today() - dt.timedelta(days=t % 3), depends_on=previous[-1:])] + previous
    for s in range(spendings):
        services.spending_add(scope=w.s1, acting_user=w.shequ1, project=project, spent_on=dt.date.today(), amount=Decimal("10"),
                              purpose=f"材料{s}")
    return project


def _grows(client, url, grow) -> tuple[int, int]:
    few = _queries(client, url)
    grow()
    return few, _queries(client, url)


def test_ledger_of_needs_and_of_projects(c1, w, django_assert_max_num_queries):
    _needs(w, 3)
    for i in range(2):
        _project(w, i, _needs(w, 1, start=100 + i), tasks=2)
    ledger, projects = reverse("needs:ledger"), reverse("needs:ledger") + "?kind=projects"
    few = (_queries(c1, ledger), _queries(c1, projects))
    _needs(w, 30, start=3)
    for i in range(2, 20):
        _project(w, i, _needs(w, 1, start=100 + i), tasks=2, spendings=1)
    assert (_queries(c1, ledger), _queries(c1, projects)) == few
    with django_assert_max_num_queries(16):
        c1.get(ledger)


def test_need_page(c1, w, django_assert_max_num_queries):
    target = _needs(w, 1)[0]
    url = reverse("needs:need", args=[target.pk])

    def grow():
        _needs(w, 30, start=1)  # other open needs of the category: the merge choices
        for i in range(30):
            photo_services.photo_add(scope=w.s1, acting_user=w.shequ1, need=target, file=SimpleUploadedFile(f"{i}.jpg", JPEG))
        services.need_start(scope=w.s1, acting_user=w.shequ1, need=target, note="开始")

    few, many = _grows(c1, url, grow)
    assert many <= few  # with similar needs found in its 小区 the search stops there: one query fewer
    with django_assert_max_num_queries(22):
        c1.get(url)


def test_project_list(c1, w, django_assert_max_num_queries):
    url = reverse("needs:projects")
    for i in range(3):
        _project(w, i, _needs(w, 1, start=i), tasks=1)
    few, many = _grows(c1, url, lambda: [_project(w, i, _needs(w, 1, start=i), tasks=2, spendings=1) for i in range(3, 30)])
    assert many == few
    with django_assert_max_num_queries(5):
        c1.get(url)


def test_project_page(c1, w, django_assert_max_num_queries):
    small = _project(w, 0, _needs(w, 3), tasks=3, spendings=3)
    large = _project(w, 1, _needs(w, 30, start=3), tasks=30, spendings=30)
    few = _queries(c1, reverse("needs:project", args=[small.pk]))
    assert _queries(c1, reverse("needs:project", args=[large.pk])) == few
    with django_assert_max_num_queries(10):
        c1.get(reverse("needs:project", args=[large.pk]))
