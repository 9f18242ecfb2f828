"""Loading many rows fast: our own primary keys, treebeard paths computed in memory, batched inserts.

The generator gives every row its primary key before inserting it, so rows can point at each
other across batches without reading ids back (a household names its head before the head's
row is written: foreign keys are checked at commit, DEFERRABLE INITIALLY DEFERRED on both
SQLite and PostgreSQL). PostgreSQL sequences are moved past the keys at the end.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models, reset_queries
from treebeard.mp_tree import MP_Node


class KeySequence:
    """Primary keys handed out in order, starting after the largest one in the table."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.next_key = (model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        key = self.next_key
        self.next_key += 1
        return key


class TreePaths:
    """Materialised paths for nodes added in order, as treebeard's add_root/add_child would give."""

    def __init__(self, model: type[MP_Node]):
        self.model = model
        self.roots = model._base_manager.filter(depth=1).count()

    def add_root(self, node: MP_Node) -> MP_Node:
        self.roots += 1
        node.depth, node.numchild = 1, 0
        node.path = self.model._get_path(None, 1, self.roots)
        return node

    def add_child(self, parent: MP_Node, node: MP_Node) -> MP_Node:
        parent.numchild += 1
        node.depth, node.numchild = parent.depth + 1, 0
        node.path = self.model._get_path(parent.path, node.depth, parent.numchild)
        return node


class BatchWriter:
    """Rows buffered per model and written with bulk_create, in the model order given."""

    def __init__(self, order: list[type[models.Model]], batch_size: int):
        self.order = order
        self.batch_size = batch_size
        self.buffers: dict[type[models.Model], list] = defaultdict(list)
        self.written: dict[type[models.Model], int] = defaultdict(int)

    def add(self, obj: models.Model) -> None:
        self.buffers[type(obj)].append(obj)

    def pending(self, model: type[models.Model]) -> int:
        return len(self.buffers[model])

    def flush(self) -> None:
        for model in self.order:
            rows = self.buffers.pop(model, [])
            if rows:
                model._base_manager.bulk_create(rows, batch_size=self.batch_size)
                self.written[model] += len(rows)
        reset_queries()  # DEBUG keeps every statement's SQL text otherwise


def write_all(model: type[models.Model], rows: list, batch_size: int = 2000) -> None:
    model._base_manager.bulk_create(rows, batch_size=batch_size)
    reset_queries()


def sequences_reset(models_written) -> None:
    """Move PostgreSQL sequences past the keys we chose (SQLite's AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_written))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def planner_statistics_refresh(models_written) -> None:
    """ANALYZE the loaded tables: right after a bulk load the query planner has no statistics
    (SQLite then scanned all people for a grid worker's scoped count: 1.7 s instead of 0.01 s)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            return
        for model in models_written:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Stopwatch:
    def __init__(self):
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def rate(self, rows: int) -> float:
        return rows / self.seconds if self.seconds > 0 else 0.0


@contextmanager
def sqlite_page_cache(kibibytes: int = 131072):
    """A larger SQLite page cache while loading (the default 2 MB makes SQLite spill index pages
    to the WAL again and again once the tables outgrow it); put back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def residents_by_community(communities, *, limit: int, **filters) -> dict[int, list[int]]:
    """For each 社区 of `communities`: the ids of its first `limit` residents (在册, matching
    `filters`) in id order, read in one pass over the people (a query per 社区 walks the whole
    table on SQLite, whose planner prefers the id order to the place range)."""
    from gongzhi.people.models import Person, PersonStatus

    by_path = {c.path: c.pk for c in communities}
    depth = len(next(iter(by_path))) if by_path else 0
    found: dict[int, list[int]] = {pk: [] for pk in by_path.values()}
    rows = Person.objects.filter(status=PersonStatus.RESIDENT, **filters).values_list("pk", "place__path").order_by()
    for pk, path in rows.iterator(chunk_size=20_000):
        community = by_path.get(path[:depth])
        if community is not None:
            found[community].append(pk)
    return {c: sorted(ids)[:limit] for c, ids in found.items()}
