"""Computed figures kept between requests, and forgotten the moment their records change.

A district's dashboard computes a hundred figures over millions of rows; most of them have not
changed since the last look. Each figure (and each breakdown) is kept in Django's cache under a
key made of the indicator, the scope, the period, today's date and the *versions* of the apps it
reads (`Indicator.reads`: its own app, the tree and the people by default). Every SQL statement
the project runs passes `watch_writes` (a database execute wrapper installed on each connection
by CoreConfig.ready): an INSERT, UPDATE or DELETE on a table of a watched app — `save()`,
`QuerySet.update()`, `bulk_create()` or raw SQL alike — changes that app's version:

- at once in this process (a read later in the same transaction, or a test, sees the change);
- after the commit, for every process: `core.FigureVersion` counts the committed writes per app
  in the database (one short UPDATE after the commit, so no lock is held while the writer works),
  so the web process learns of a command-line import or a job worker's writes too. A reader that
  took the old number while the commit happened keeps new rows under an old key, which is never
  read again; a rolled-back write costs a recomputation only.

So a figure is never older than its records; the timeout only frees memory. The kept figures
themselves live in the process's cache (local memory) or, with REDIS_URL, in Redis for every
process. `GONGZHI_FIGURE_CACHE = False` turns the keeping off (every figure computed each time).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone

ENTRY_KEY = "gongzhi:figures:%s"
WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

_watched: set[str] = set()  # app labels whose writes replace their version (those indicators read)
_tables: dict[str, str] | None = None  # db_table → app label, of the watched apps


def enabled() -> bool:
    return getattr(settings, "GONGZHI_FIGURE_CACHE", True)


def watch(app_labels: Iterable[str]) -> None:
    """Writes to these apps' tables replace their versions (called by `indicators.register`)."""
    global _tables
    new = set(app_labels) - _watched
    if new:
        _watched.update(new)
        _tables = None


def _table_apps() -> dict[str, str]:
    global _tables
    if _tables is None:
        _tables = {m._meta.db_table: m._meta.app_label for m in apps.get_models(include_auto_created=True) if m._meta.app_label in _watched}
    return _tables


# ---- versions ----------------------------------------------------------------------------------------
#
# An app's version is two numbers: the committed one in the database (`core.FigureVersion`, bumped
# after each commit that wrote the app's tables, by whichever process wrote them) and this
# process's own counter, bumped at each write statement (so a read inside the writing transaction,
# and every test, which never commits, sees its own writes at once).

_local: dict[str, int] = {}
_counter = itertools.count(1)
_snapshot: ContextVar[dict | None] = ContextVar("gongzhi_figure_versions", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Within the block the committed versions are read from the database once (a dashboard or a
    report asks for them a few hundred times); nested blocks share the outer one."""
    if _snapshot.get() is not None:
        yield
        return
    flush()
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def _committed(labels: list[str]) -> dict[str, int]:
    from .models import FigureVersion

    memo = _snapshot.get()
    if memo is not None and all(label in memo for label in labels):
        return memo
    wanted = sorted(_watched | set(labels)) if memo is not None else labels
    found = dict(FigureVersion.objects.filter(app_label__in=wanted).values_list("app_label", "version"))
    found = {label: found.get(label, 0) for label in wanted}
    if memo is not None:
        memo.update(found)
    return found


def versions(app_labels: Iterable[str]) -> tuple[str, ...]:
    """The current version of each app (sorted by app): committed number and this process's counter."""
    labels = sorted(set(app_labels))
    committed = _committed(labels)
    return tuple(f"{label}={committed[label]}.{_local.get(label, 0)}" for label in labels)


def _bump_committed(app_label: str, using: str) -> None:
    from .models import FigureVersion

    rows = FigureVersion.objects.using(using)
    try:
        if rows.filter(app_label=app_label).update(version=F("version") + 1):
            return
        try:
            with transaction.atomic(using=using):
                rows.create(app_label=app_label, version=1)
        except IntegrityError:  # another process created it meanwhile
            rows.filter(app_label=app_label).update(version=F("version") + 1)
    except DatabaseError:
        # A data migration of another app, run before core's created the table: nothing is kept yet.
        if FigureVersion._meta.db_table in connections[using].introspection.table_names():
            raise


_bump_locks: dict[tuple[str, str], threading.Lock] = {}
_bump_started: dict[tuple[str, str], float] = {}  # when this process's latest bump of (app, database) began


def _bump_after(app_label: str, using: str, written_at: float) -> None:
    """Bump (app, database) for a write committed at `written_at` (time.monotonic()). The threads of
    a process bump one at a time; a thread that waited while another's bump began after its write
    had committed needs none of its own: that bump, finished once the lock is free, already moved
    the version past its write (so sixteen busy counters do not update one row sixteen times)."""
    lock = _bump_locks.setdefault((app_label, using), threading.Lock())
    with lock:
        if _bump_started.get((app_label, using), -1.0) > written_at:
            return
        _bump_started[(app_label, using)] = time.monotonic()
        _bump_committed(app_label, using)


class _OnCommit:
    """The commit-time bump of one app's version (one per app and transaction)."""

    def __init__(self, app_label: str, using: str):
        self.app_label, self.using = app_label, using

    def __call__(self) -> None:
        _bump_after(self.app_label, self.using, time.monotonic())


def records_changed(app_label: str, connection) -> None:
    """Rows of `app_label` were written on `connection`: forget its figures now (this process)
    and, once committed, everywhere."""
    _local[app_label] = next(_counter)
    memo = _snapshot.get()
    if memo is not None:
        memo.pop(app_label, None)
    if not connection.in_atomic_block:
        # Committed already, but the statement may still be open (SQLite's INSERT … RETURNING until
        # its row is fetched), so no other statement can commit on this connection now: the
        # database's number is bumped when the request ends, a block of figures is read, or the
        # process exits (`flush`).
        _pending[(app_label, connection.alias)] = time.monotonic()
    elif not any(isinstance(entry[1], _OnCommit) and entry[1].app_label == app_label for entry in connection.run_on_commit):
        transaction.on_commit(_OnCommit(app_label, connection.alias), using=connection.alias)


_pending: dict[tuple[str, str], float] = {}  # (app, database) written outside a transaction, not yet bumped: when


def flush(**kwargs) -> None:
    """Bump the committed versions of the writes made outside a transaction (a `request_finished`
    receiver; also called when figures are read, and at exit)."""
    while _pending:
        try:
            (app_label, using), written_at = _pending.popitem()
        except KeyError:  # another thread took the last one
            return
        _bump_after(app_label, using, written_at)


def flush_at_exit() -> None:
    """`flush` when the process ends; the database may be gone by then (a test run's): nothing
    is left to keep figures for."""
    try:
        flush()
    except Exception:  # noqa: BLE001 — at exit there is no one to tell
        pass


def watch_writes(execute: Callable, sql, params, many, context):
    """The database execute wrapper: run the statement, then note a write to a watched table."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and enabled():
        match = WRITE.match(sql)
        if match:
            app_label = _table_apps().get(match.group(1))
            if app_label is not None:
                records_changed(app_label, context["connection"])
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: put `watch_writes` on the new connection (once)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# ---- entries -----------------------------------------------------------------------------------------


def entry_key(kind: str, code: str, scope, period, reads: Iterable[str]) -> str:
    """The cache key of one figure or breakdown. The scope's labels and roles do not change a
    figure and are left out; today's date is in (open and overdue counts are as of today)."""
    parts = (
        kind, code, scope.place_paths, scope.org_paths, scope.grid_ids, scope.everything, scope.whole_tree,
        period.start, period.end, timezone.localdate(), versions(reads),
    )
    return ENTRY_KEY % hashlib.sha256(repr(parts).encode()).hexdigest()


def kept(kind: str, code: str, scope, period, reads: Iterable[str], compute: Callable[[], object]):
    """`compute()`, or what it gave before for the same arguments and the same versions."""
    if not enabled():
        return compute()
    key = entry_key(kind, code, scope, period, reads)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=getattr(settings, "GONGZHI_FIGURE_CACHE_SECONDS", 86400))
    return found
