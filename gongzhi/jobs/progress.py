"""Progress of a running job, kept in the cache (outside any database transaction, so that a
job writing everything in one transaction still shows how far it is)."""

from __future__ import annotations

import time

from django.core.cache import cache

TTL = 24 * 3600
MIN_INTERVAL = 0.3  # seconds between cache writes


def _key(job_id) -> str:
    return f"gongzhi:job:{job_id}:progress"


class Progress:
    """Handed to a job function: `phase(label, total)` starts a step, `update(done)` reports."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.label = ""
        self.total = 0
        self.done = 0
        self.step = 0
        self._written = 0.0

    def phase(self, label: str, total: int = 0) -> None:
        self.step += 1
        self.label, self.total, self.done = str(label), max(int(total), 0), 0
        self._write()

    def update(self, done: int, *, total: int | None = None) -> None:
        self.done = int(done)
        if total is not None:
            self.total = int(total)
        if time.monotonic() - self._written >= MIN_INTERVAL:
            self._write()

    def flush(self) -> None:
        """Write the last figures, however recently the previous ones were written."""
        self._write()

    def _write(self) -> None:
        self._written = time.monotonic()
        cache.set(_key(self.job_id), {"label": self.label, "step": self.step, "done": self.done, "total": self.total, "at": time.time()}, TTL)


def read(job_id) -> dict | None:
    """The last progress reported, or None (not started, or another process's local cache)."""
    return cache.get(_key(job_id))


def percent(state: dict | None) -> int | None:
    """0–99 while running (100 is for a finished job); None when the total is unknown."""
    if not state or not state.get("total"):
        return None
    return min(99, int(100 * state["done"] / state["total"]))
