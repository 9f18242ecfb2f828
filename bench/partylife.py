"""Time the 三会一课 compliance table for the whole district against a hand-written SQL query.

Usage (the database must hold the district demo: `gongzhi demo --scale district --seed 1`, which
records five years of meetings and attendance):
    DATABASE_URL=... .venv/bin/python bench/partylife.py [--runs 7] [--json PATH]

Cases: the compliance of every organisation in the district (`selectors.compliance` with the
district admin's scope) for the last whole year, and for all the years the demo holds (five). Each is
timed `--runs` times after one warm-up run; the median is reported with the query count. The
baseline, in the same run: one hand-written SQL statement counting meetings per organisation,
meeting type and month (and those given by the secretary), folded into required / met by the same
plain loop, timed the same way. Both must give the same totals, or the script stops.
"""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from _timing import timed  # noqa: E402  (bench/ is the script's folder)

from django.db import connection  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.accounts.scopes import scope_for_user  # noqa: E402
from gongzhi.partylife import selectors  # noqa: E402
from gongzhi.partylife.models import Attendance, FrequencyRule, Meeting, Period  # noqa: E402

MONTH = {"sqlite": "strftime('%%Y-%%m-01', m.held_on)", "postgresql": "to_char(date_trunc('month', m.held_on), 'YYYY-MM-01')"}
SQL = """
SELECT m.organization_id, m.meeting_type_id, {month} AS month, COUNT(*), SUM(CASE WHEN m.lecturer_role = 'secretary' THEN 1 ELSE 0 END)
FROM partylife_meeting m JOIN org_partyorganization o ON o.id = m.organization_id
WHERE o.kind_id IN (SELECT org_kind_id FROM partylife_frequencyrule) AND m.held_on BETWEEN %s AND %s
GROUP BY m.organization_id, m.meeting_type_id, {month}
"""
ORGS_SQL = "SELECT id, kind_id FROM org_partyorganization WHERE kind_id IN (SELECT org_kind_id FROM partylife_frequencyrule)"


def baseline(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Required and met over the district, from hand-written SQL and the plain fold."""
    rules = defaultdict(list)
    for kind, type_id, period, times, secretary in FrequencyRule.objects.values_list("org_kind_id", "meeting_type_id", "period", "times", "by_secretary"):
        rules[kind].append((type_id, period, times, secretary))
    with connection.cursor() as cursor:
        cursor.execute(ORGS_SQL)
        orgs = cursor.fetchall()
        cursor.execute(SQL.format(month=MONTH[connection.vendor]), [start, end])
        held = defaultdict(int)
        for org, type_id, month, n, secretary in cursor.fetchall():
            first = dt.date.fromisoformat(month)
            held[(org, type_id, first, False)] += n
            held[(org, type_id, first, True)] += secretary or 0
    windows = {p: selectors.periods(p, start, end) for p in Period.values}
    required = met = 0
    for org, kind in orgs:
        for type_id, period, times, secretary in rules[kind]:
            for _label, months in windows[period]:
                count = sum(held[(org, type_id, m, secretary)] for m in months)
                required += times
                met += min(count, times)
    return required, met


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scope = scope_for_user(User.objects.get(username="quwei"))
    first = Meeting.objects.order_by("held_on").values_list("held_on", flat=True).first()
    last = Meeting.objects.order_by("-held_on").values_list("held_on", flat=True).first()
    assert last, "no meetings: build the demo first (gongzhi demo --scale district --seed 1)"
    year = dt.date(last.year - (0 if last.month == 12 else 1), 1, 1)
    cases = {
        "one year": (year, dt.date(year.year, 12, 31)),
        "all years": (first.replace(month=1, day=1), last),  # the demo's five years
    }
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "database": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "meetings": Meeting.objects.count(), "attendance": Attendance.objects.count(), "load": os.getloadavg(), "cases": {},
    }
    print(f"{connection.vendor}: {info['meetings']:,} meetings, {info['attendance']:,} attendance rows")
    for label, (start, end) in cases.items():
        page_times, rows, queries = timed(lambda: selectors.compliance(scope=scope, start=start, end=end), args.runs)
        sql_times, (required, met), _q = timed(lambda: baseline(start, end), args.runs)
        total = selectors.total(rows)
        assert (total.denominator, total.numerator) == (required, met), (total, required, met)
        page, sql = statistics.median(page_times), statistics.median(sql_times)
        info["cases"][label] = {"start": str(start), "end": str(end), "organisations": len(rows), "required": required, "met": met,
                                "gongzhi_median_s": round(page, 3), "gongzhi_runs_s": [round(t, 3) for t in page_times], "queries": queries,
                                "sql_median_s": round(sql, 3), "sql_runs_s": [round(t, 3) for t in sql_times], "ratio": round(page / sql, 2)}
        print(f"  {label:10s} {start}..{end}: {len(rows):,} organisations, 落实率 {met:,}/{required:,}; "
              f"Gongzhi {page * 1000:.0f} ms ({queries} queries), SQL {sql * 1000:.0f} ms, ratio {page / sql:.2f}")
    if args.json:
        args.json.write_text(json.dumps(info, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
