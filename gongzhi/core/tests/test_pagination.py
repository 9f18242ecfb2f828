"""The one paginator: counts stop after the cap, pages past the end show the last one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.core.pagination import capped_count, capped_page
from gongzhi.org.models import Place

pytestmark = pytest.mark.django_db


def places():
    return Place.objects.order_by("path")


def test_capped_count_stops_after_the_cap(world):
    total = Place.objects.count()
    assert capped_count(places(), cap=3) == 4
    assert capped_count(places(), cap=total + 5) == total


def test_pages_are_read_up_to_the_cap(world):
    everything = list(places())
    first = capped_page(places(), "1", cap=5, per_page=2)
    assert first.rows == everything[:2] and first.over_cap and first.count_label == "5+"
    assert first.page.paginator.num_pages == 3  # the cap's rows only
    last = capped_page(places(), "99", cap=5, per_page=2)
    assert last.page.number == 3 and last.rows == everything[4:5]
    assert capped_page(places(), "x", cap=5, per_page=2).page.number == 1


def test_an_empty_list_reads_no_rows(world):
    with CaptureQueriesContext(connection) as ctx:
        page = capped_page(Place.objects.filter(name="没有"), None)
    assert page.rows == [] and page.count_label == "0" and len(ctx.captured_queries) == 1


def test_a_planned_list_is_read_at_its_offset(world):
    offsets = []

    def rows(offset):
        offsets.append(offset)
        return places()

    page = capped_page(rows, "2", counted=places(), per_page=3)
    assert offsets == [3] and page.rows == list(places())[3:6]
