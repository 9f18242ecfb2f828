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


def report(info: dict, json_path=None) -> None:
    """Print a run's header (machine, database, data size …) and write the whole of `info` —
    with its `rows` — to `json_path` when given. `date` and `machine` are filled in here."""
    import json
    import os
    import platform

    info = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "database": connection.vendor,
        **info,
    }
    print(json.dumps({k: v for k, v in info.items() if k != "rows"}, ensure_ascii=False))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(info, ensure_ascii=False, indent=1))


def median_ms(fn, runs: int, *, warmups: int = 1, before=None) -> float:
    """The median milliseconds of `runs` calls of `fn` after `warmups` untimed ones; `before()`,
    when given, runs untimed before each call (emptying a cache for a cold run)."""
    import statistics

    for _ in range(warmups):
        if before:
            before()
        fn()
    out = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)
