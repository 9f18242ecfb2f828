"""Every indicator says which apps it reads (`Indicator.reads`): a kept figure is computed again
only after a write to one of those apps' tables (core.figure_cache). A figure reading a table its
`reads` leaves out would be kept while its records change — this test reads the SQL each
indicator runs and fails on any such table."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.core import figure_cache
from gongzhi.core.indicators import Period, all_indicators
from gongzhi.core.scope import Scope
from gongzhi.reports import units

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


def _apps_read(sql: str, tables: dict[str, str]) -> set[str]:
    return {tables[t] for t in TABLE.findall(sql) if t in tables}


@pytest.mark.django_db
def test_each_indicator_reads_only_the_apps_it_names(world, settings):
    settings.GONGZHI_FIGURE_CACHE = False
    tables = {m._meta.db_table: m._meta.app_label for m in apps.get_models(include_auto_created=True)}
    watched = set(figure_cache._watched)
    assert {"org", "people", "partylife", "needs", "volunteers", "points"} <= watched
    scopes = [Scope.of(whole_tree=True), units.place_unit(world.C1).scope, units.org_unit(world.O_C1).scope]
    wrong = {}
    for indicator in all_indicators():
        for scope in scopes:
            with CaptureQueriesContext(connection) as queries:
                indicator.compute(scope, Period.year(2026))
                if indicator.breakdown is not None:
                    indicator.breakdown(scope, Period.year(2026))
            read = set().union(*(_apps_read(q["sql"], tables) for q in queries.captured_queries))
            missing = (read & watched) - set(indicator.reads)
            if missing:
                wrong[indicator.code] = sorted(missing)
    assert wrong == {}
