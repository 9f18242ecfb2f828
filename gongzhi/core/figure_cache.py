"""Computed figures kept between requests, and forgotten the moment their records change.

A district's dashboard computes a hundred figures over millions of rows; most of them have not
changed since the last look. Each figure (and each breakdown) is kept in Django's cache under a
key made of the indicator, the scope, the period, today's date and the *versions* of the apps it
reads (`Indicator.reads`: its own app, the tree and the people by default). A version is a random
token per app, replaced whenever a row of one of that app's tables is written:

- every SQL statement the project runs passes `watch_writes` (a database execute wrapper,
  installed on each connection by CoreConfig.ready): an INSERT, UPDATE or DELETE on a table of a
  watched app replaces that app's version at once — so `QuerySet.update()`, `bulk_create()` and raw
  SQL count as much as `save()` — and again when the transaction commits (a reader that took the
  new version before the commit may have cached the old rows under it);
- a rolled-back write only costs a recomputation.

So a figure is never older than its records: no time-to-live decides freshness (the timeout only
frees memory). The versions live in the same cache as the figures: a deployment of several
processes needs a shared cache (REDIS_URL); one process (the demo, `runserver`, a small office)
does with local memory. `GONGZHI_FIGURE_CACHE = False` turns the cache off (figures are then
computed on every request, as before).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "gongzhi:figures:version:%s"
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


def versions(app_labels: Iterable[str]) -> tuple[str, ...]:
    """The current version of each app (sorted by app); an app without one gets one now."""
    labels = sorted(set(app_labels))
    keys = [VERSION_KEY % label for label in labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)  # another process may have set it first
            found[key] = cache.get(key)
    return tuple(f"{label}={found[key]}" for label, key in zip(labels, keys))


def _replace(app_labels: Iterable[str]) -> None:
    cache.set_many({VERSION_KEY % label: uuid.uuid4().hex for label in app_labels}, timeout=None)


class _OnCommit:
    """The commit-time replacement of one app's version (one per app and transaction)."""

    def __init__(self, app_label: str):
        self.app_label = app_label

    def __call__(self) -> None:
        _replace([self.app_label])


def records_changed(app_label: str, connection) -> None:
    """Rows of `app_label` were written on `connection`: forget its figures now and at commit."""
    _replace([app_label])
    if connection.in_atomic_block and not any(
        isinstance(entry[1], _OnCommit) and entry[1].app_label == app_label for entry in connection.run_on_commit
    ):
        transaction.on_commit(_OnCommit(app_label), using=connection.alias)


def watch_writes(execute: Callable, sql, params, many, context):
    """The database execute wrapper: run the statement, then note a write to a watched table."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
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
