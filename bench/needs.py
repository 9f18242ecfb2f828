"""Time the 挂账 ledger (open needs and projects) of the whole district against hand-written SQL.

Usage: DATABASE_URL=... .venv/bin/python bench/needs.py [--runs 7] [--json PATH] [--needs 500000 --projects 50000]
The database must hold the district demo (`gongzhi demo --scale district --seed 1`, which writes
500,000 needs and 50,000 projects). A district database built before the needs existed gets them
loaded first by the demo's own generator (`gongzhi.demo.needs.needs_history`, seed 1), timed.

What is timed, median of `--runs` after a warm-up: `needs.selectors.open_items` for the district
admin's scope (counts of open needs by category and status, how many are overdue to 受理 and to
办结 by their category's time limits, open projects by status, the 100 oldest open needs with
their overdue flags and the 100 oldest open projects with their task progress). Baseline in the
same run: the same figures from hand-written SQL (one statement per figure). The script stops
unless both agree.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from _timing import timed  # noqa: E402  (bench/ is the script's folder)
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.accounts.scopes import scope_for_user  # noqa: E402
from gongzhi.needs import selectors  # noqa: E402
from gongzhi.needs.models import Need, NeedCategory, Project  # noqa: E402

COUNTS = """
SELECT n.category_id, n.status, COUNT(*),
       SUM(CASE WHEN n.status = 'registered' AND n.registered_at < {accept} THEN 1 ELSE 0 END),
       SUM(CASE WHEN n.registered_at < {close} THEN 1 ELSE 0 END)
FROM needs_need n WHERE n.status IN ('registered', 'accepted', 'in_progress') GROUP BY n.category_id, n.status
"""
OLDEST_NEEDS = """
SELECT n.id, n.title, c.name, p.name, n.registered_at FROM needs_need n
JOIN needs_needcategory c ON c.id = n.category_id JOIN org_place p ON p.id = n.place_id
WHERE n.status IN ('registered', 'accepted', 'in_progress') ORDER BY n.registered_at, n.id LIMIT 100
"""
PROJECTS = "SELECT status, COUNT(*) FROM needs_project WHERE status IN ('opened', 'running') GROUP BY status"
OLDEST_PROJECTS = """
SELECT pr.id, pr.name, o.name, pr.opened_on,
       (SELECT COUNT(*) FROM needs_projecttask t WHERE t.project_id = pr.id),
       (SELECT COUNT(*) FROM needs_projecttask t WHERE t.project_id = pr.id AND t.done_at IS NOT NULL)
FROM needs_project pr JOIN org_partyorganization o ON o.id = pr.organization_id
WHERE pr.status IN ('opened', 'running') ORDER BY pr.opened_on, pr.id LIMIT 100
"""


def hand_written(today: dt.date):
    categories = list(NeedCategory.objects.all())
    def start(days):  # the start of the day, as the database stores timestamps (UTC text on SQLite)
        return connection.ops.adapt_datetimefield_value(timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time())))

    accept = "CASE n.category_id " + " ".join(f"WHEN {c.pk} THEN %s" for c in categories) + " END"
    close = accept
    params = [start(c.accept_days) for c in categories] + [start(c.close_days) for c in categories]
    with connection.cursor() as cursor:
        cursor.execute(COUNTS.format(accept=accept, close=close), params)
        counts = cursor.fetchall()
        cursor.execute(OLDEST_NEEDS)
        needs = cursor.fetchall()
        cursor.execute(PROJECTS)
        projects = cursor.fetchall()
        cursor.execute(OLDEST_PROJECTS)
        oldest_projects = cursor.fetchall()
    total = sum(r[2] for r in counts)
    return total, sum(r[3] for r in counts), sum(r[4] for r in counts), sum(n for _s, n in projects), [r[0] for r in needs], [r[0] for r in oldest_projects]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--needs", type=int, default=500_000)
    parser.add_argument("--projects", type=int, default=50_000)
    args = parser.parse_args()
    today = timezone.localdate()
    info = {"date": time.strftime("%Y-%m-%d %H:%M"), "database": connection.vendor,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"}
    if not Need.objects.exists():
        from gongzhi.demo.needs import needs_history

        t = time.perf_counter()
        needs_history(rng=random.Random(1), as_of=today, needs=args.needs, projects=args.projects, progress=print)
        info["load_s"] = round(time.perf_counter() - t, 1)
        print(f"loaded in {info['load_s']} s")
    scope = scope_for_user(User.objects.get(username="quwei"))
    info |= {"needs": Need.objects.count(), "projects": Project.objects.count(), "load": os.getloadavg()}
    ours_times, ours, queries = timed(lambda: selectors.open_items(scope=scope, today=today), args.runs)
    sql_times, sql, _q = timed(lambda: hand_written(today), args.runs)
    mine = (ours.need_total, ours.overdue_accept, ours.overdue_close, ours.project_total, [r.need.pk for r in ours.needs], [r.project.pk for r in ours.projects])
    assert mine == sql, "the ledger and the hand-written SQL disagree"
    g, s = statistics.median(ours_times), statistics.median(sql_times)
    info |= {"open_needs": ours.need_total, "open_projects": ours.project_total, "overdue_accept": ours.overdue_accept, "overdue_close": ours.overdue_close,
             "gongzhi_median_s": round(g, 3), "gongzhi_runs_s": [round(t, 3) for t in ours_times], "queries": queries,
             "sql_median_s": round(s, 3), "sql_runs_s": [round(t, 3) for t in sql_times], "ratio": round(g / s, 2)}
    print(f"{connection.vendor}: {info['needs']:,} needs, {info['projects']:,} projects; open {ours.need_total:,} needs "
          f"({ours.overdue_accept:,} overdue to 受理, {ours.overdue_close:,} to 办结), {ours.project_total:,} projects; "
          f"Gongzhi {g * 1000:.0f} ms ({queries} queries), SQL {s * 1000:.0f} ms, ratio {g / s:.2f}")
    if args.json:
        args.json.write_text(json.dumps(info, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
