"""Figures kept between requests (core.figure_cache): kept while their records stay as they were,
computed again after any write to a table of an app they read, however it was written."""

import datetime as dt

import pytest
from django.db import connection

from gongzhi.core import figure_cache
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section, compute
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.org.tests import factories as of

pytestmark = pytest.mark.django_db
YEAR = Period.year(2026)
SCOPE = Scope.of(whole_tree=True)


def _counting(code="test.places", reads=()):
    """An indicator counting 小区, with the number of times it was computed."""
    calls = []

    def count(scope, period):
        calls.append(1)
        return Figure.count(Place.objects.filter(level=PlaceLevel.COMPOUND).count())

    return Indicator(code=code, section=Section.ORGANISATION, name="小区", formula="小区个数", kind=Kind.COUNT, compute=count, reads=reads), calls


def test_a_figure_is_kept_until_a_table_it_reads_is_written():
    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    indicator, calls = _counting()
    assert indicator.reads == ("org", "people", "test")
    assert indicator.figure(SCOPE, YEAR).value == 0 and indicator.figure(SCOPE, YEAR).value == 0
    assert len(calls) == 1
    of.place(district, PlaceLevel.COMPOUND, "幸福家园")  # save(): org
    assert indicator.figure(SCOPE, YEAR).value == 1 and len(calls) == 2
    assert indicator.figure(SCOPE, YEAR.previous()).value == 1 and len(calls) == 3  # another period: its own entry
    assert indicator.figure(Scope.of(place_paths=[district.path]), YEAR).value == 1 and len(calls) == 4  # another scope


@pytest.mark.parametrize("write", ["update", "bulk_create", "delete", "raw"])
def test_every_way_of_writing_counts(write):
    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    compound = of.place(district, PlaceLevel.COMPOUND, "幸福家园")
    indicator, calls = _counting()
    before = indicator.figure(SCOPE, YEAR).value
    if write == "update":
        Place.objects.filter(pk=compound.pk).update(level=PlaceLevel.BUILDING)
        expected = 0
    elif write == "bulk_create":
        Place.objects.bulk_create([Place(name="和平里", level=PlaceLevel.COMPOUND, path=district.path + "0009", depth=2)])
        expected = 2
    elif write == "delete":
        compound.delete()
        expected = 0
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Place._meta.db_table} SET level = %s WHERE id = %s", [PlaceLevel.BUILDING, compound.pk])
        expected = 0
    assert before == 1 and indicator.figure(SCOPE, YEAR).value == expected and len(calls) == 2


def test_writes_elsewhere_keep_the_figure():
    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    indicator, calls = _counting(code="test.narrow")
    object.__setattr__(indicator, "reads", ("org",))  # as if it read the tree only
    indicator.figure(SCOPE, YEAR)
    from gongzhi.accounts.models import User

    User.objects.create_user(username="somebody", password="x")  # accounts: not an app any figure reads
    from gongzhi.people.models import Household

    Household.objects.create(place=district, room="101")  # people: watched, but not read by this one
    indicator.figure(SCOPE, YEAR)
    assert len(calls) == 1


def test_the_version_is_replaced_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    """A reader that took the new version before the commit may have kept the old rows under it."""
    with django_capture_on_commit_callbacks() as callbacks:
        district = of.place(None, PlaceLevel.DISTRICT, "示范区")
        of.place(district, PlaceLevel.COMPOUND, "幸福家园")
        of.place(district, PlaceLevel.COMPOUND, "和平里")
        at_write = figure_cache.versions(["org"])
    assert len([c for c in callbacks if isinstance(c, figure_cache._OnCommit)]) == 1  # one per app and transaction
    for callback in callbacks:
        callback()
    assert figure_cache.versions(["org"]) != at_write


def test_breakdowns_are_kept_like_figures():
    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    calls = []

    def rows(scope, period):
        calls.append(1)
        return list(Place.objects.values_list("name", flat=True))

    indicator = Indicator(code="test.rows", section=Section.ORGANISATION, name="x", formula="x", kind=Kind.COUNT,
                          compute=lambda s, p: Figure.count(0), breakdown=rows)
    assert indicator.rows(SCOPE, YEAR) == ["示范区"] == indicator.rows(SCOPE, YEAR) and len(calls) == 1
    of.place(district, PlaceLevel.COMPOUND, "幸福家园")
    assert len(indicator.rows(SCOPE, YEAR)) == 2 and len(calls) == 2


def test_turned_off_every_figure_is_computed(settings):
    settings.GONGZHI_FIGURE_CACHE = False
    of.place(None, PlaceLevel.DISTRICT, "示范区")
    indicator, calls = _counting()
    indicator.figure(SCOPE, YEAR)
    indicator.figure(SCOPE, YEAR)
    assert len(calls) == 2


def test_todays_date_is_part_of_the_key(monkeypatch):
    """Open and overdue counts are as of today: a figure kept yesterday is not today's."""
    of.place(None, PlaceLevel.DISTRICT, "示范区")
    indicator, calls = _counting()
    indicator.figure(SCOPE, YEAR)
    monkeypatch.setattr(figure_cache.timezone, "localdate", lambda: dt.date(2099, 1, 1))
    indicator.figure(SCOPE, YEAR)
    assert len(calls) == 2


def test_compute_reads_through_the_cache():
    of.place(None, PlaceLevel.DISTRICT, "示范区")
    from gongzhi.core.indicators import get

    figures = compute(["org.compounds"], SCOPE, YEAR)
    with_cache = figure_cache.entry_key("figure", "org.compounds", SCOPE, YEAR, get("org.compounds").reads)
    from django.core.cache import cache

    assert cache.get(with_cache) == figures["org.compounds"]


def test_a_write_committed_by_another_process_is_seen():
    """A command-line import or a job worker bumps the committed version in the database; this
    process's counter knows nothing of it, the database does."""
    from gongzhi.core.models import FigureVersion

    of.place(None, PlaceLevel.DISTRICT, "示范区")
    indicator, calls = _counting()
    indicator.figure(SCOPE, YEAR)
    indicator.figure(SCOPE, YEAR)
    FigureVersion.objects.update_or_create(app_label="org", defaults={"version": 41})  # as the other process's commit
    indicator.figure(SCOPE, YEAR)
    assert len(calls) == 2


def test_a_dashboard_reads_the_committed_versions_once(django_assert_num_queries):
    from gongzhi.core.indicators import sharing

    of.place(None, PlaceLevel.DISTRICT, "示范区")
    indicator, _calls = _counting()
    indicator.figure(SCOPE, YEAR)
    with django_assert_num_queries(1), sharing():  # the versions; every figure kept
        for _ in range(20):
            indicator.figure(SCOPE, YEAR)


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_is_committed_when_the_request_ends(client):
    """A save outside any transaction commits by itself; its version is bumped in the database when
    the request ends (or figures are read), not while its statement may still be open."""
    from gongzhi.core.models import FigureVersion

    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    figure_cache.flush()
    before = FigureVersion.objects.get(app_label="org").version
    Place.objects.filter(pk=district.pk).update(name="新示范区")  # autocommit: pending
    assert ("org", "default") in figure_cache._pending
    client.get("/login/")  # any request: request_finished
    assert not figure_cache._pending and FigureVersion.objects.get(app_label="org").version == before + 1


def test_a_bump_begun_after_a_write_serves_for_it(db):
    """Sixteen threads of one process that wrote at once bump the version once or twice, not
    sixteen times: a thread that waited while a bump began after its write needs none of its own."""
    import time

    from gongzhi.core.models import FigureVersion

    figure_cache._bump_after("org", "default", time.monotonic())
    first = FigureVersion.objects.get(app_label="org").version
    written_before = time.monotonic() - 1  # committed before the bump just made began
    figure_cache._bump_after("org", "default", written_before)
    assert FigureVersion.objects.get(app_label="org").version == first
    figure_cache._bump_after("org", "default", time.monotonic())  # written after it: bumped again
    assert FigureVersion.objects.get(app_label="org").version == first + 1
