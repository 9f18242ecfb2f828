"""Shared by the bench scripts (imported after django.setup())."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def timed(fn, runs: int) -> tuple[list[float], object, int]:
    """`fn` timed `runs` times after one warm-up: (seconds per run, the last result, queries of one more run)."""
    fn()
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as queries:
        fn()
    return times, result, len(queries)
