"""Time member-points rankings for the whole district against hand-written SQL.

Usage (the database must hold the district demo: `gongzhi demo --scale district --seed 1`, which
scores the last two years: about 40,000 members and 2,000,000 ledger entries):
    DATABASE_URL=... .venv/bin/python bench/points.py [--runs 7] [--json PATH]

Cases, for the latest year with entries: the ranking of every 在册 member of the district (the
district admin's scope), and of one community. Gongzhi: `selectors.standings` (reads each
member's yearly total kept beside the ledger, applies base, floor and grade of the member's rule
set, ranks). Baselines in the same run: (1) one hand-written SQL statement summing the ledger
entries per member and ranking them (what a query without the kept totals must do), and (2) one
hand-written SQL statement reading the same kept totals. Each is timed `--runs` times after a
warm-up; medians are reported. The scores of all three must agree, or the script stops. The
rankings page itself (`points:ranking`, first page) is timed through the test client too.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from _timing import timed  # noqa: E402  (bench/ is the script's folder)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.accounts.scopes import scope_for_user  # noqa: E402
from gongzhi.core.fields import PREFIX_END  # noqa: E402
from gongzhi.org.models import PartyOrganization  # noqa: E402
from gongzhi.points import selectors  # noqa: E402
from gongzhi.points.models import MemberCycleTotal, PointEntry, RuleSet  # noqa: E402

# Both return what the selector returns (member, organisation, score), best first, ties by member.
FROM_LEDGER = """
SELECT m.id, o.name, MAX(%s + COALESCE(SUM(e.amount), 0), %s) AS score
FROM people_partymember m
JOIN org_partyorganization o ON o.id = m.organization_id
LEFT JOIN points_pointentry e ON e.member_id = m.id AND e.cycle = %s AND e.status = 'approved'
WHERE m.status = 'active' AND o.path >= %s AND o.path < %s
GROUP BY m.id, o.name ORDER BY score DESC, m.id
"""
FROM_TOTALS = """
SELECT m.id, o.name, MAX(%s + COALESCE(t.total, 0), %s) AS score
FROM people_partymember m
JOIN org_partyorganization o ON o.id = m.organization_id
LEFT JOIN points_membercycletotal t ON t.member_id = m.id AND t.cycle = %s
WHERE m.status = 'active' AND o.path >= %s AND o.path < %s
ORDER BY score DESC, m.id
"""
GREATEST = {"sqlite": "MAX", "postgresql": "GREATEST"}


def hand_written(sql: str, base, floor, cycle: int, prefix: str) -> dict[int, Decimal]:
    sql = sql.replace("MAX(%s", f"{GREATEST[connection.vendor]}(%s", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, [float(base), float(floor), cycle, prefix, prefix + PREFIX_END])
        return {pk: Decimal(str(score)).quantize(Decimal("0.1")) for pk, _org, score in cursor.fetchall()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    user = User.objects.get(username="quwei")
    scope = scope_for_user(user)
    cycle = MemberCycleTotal.objects.order_by("-cycle").values_list("cycle", flat=True).first()
    assert cycle, "no points: build the demo first (gongzhi demo --scale district --seed 1)"
    assert RuleSet.objects.count() == 1, "the baseline applies the district default's base and floor only"
    version = RuleSet.objects.get().versions.order_by("-effective_from").first()
    community = PartyOrganization.objects.filter(kind__code="community_committee").order_by("path").first()
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "database": connection.vendor, "cycle": cycle,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "entries": PointEntry.objects.count(), "totals": MemberCycleTotal.objects.count(), "load": os.getloadavg(), "cases": {},
    }
    print(f"{connection.vendor}: {info['entries']:,} ledger entries, cycle {cycle}")
    for label, org in (("district", None), ("community", community)):
        prefix = org.path if org else ""
        page_times, rows, queries = timed(lambda: selectors.standings(scope=scope, cycle=cycle, organization=org), args.runs)
        ledger_times, by_ledger, _q = timed(lambda: hand_written(FROM_LEDGER, version.base_score, version.floor, cycle, prefix), args.runs)
        totals_times, by_totals, _q = timed(lambda: hand_written(FROM_TOTALS, version.base_score, version.floor, cycle, prefix), args.runs)
        ours = {s.member_id: s.score for s in rows}
        assert ours == by_ledger == by_totals, "the three rankings disagree"
        g, lsql, tsql = (statistics.median(x) for x in (page_times, ledger_times, totals_times))
        info["cases"][label] = {"members": len(rows), "gongzhi_median_s": round(g, 3), "gongzhi_runs_s": [round(t, 3) for t in page_times],
                                "queries": queries, "sql_ledger_median_s": round(lsql, 3), "sql_totals_median_s": round(tsql, 3),
                                "ratio_vs_ledger_sql": round(g / lsql, 2), "ratio_vs_totals_sql": round(g / tsql, 2)}
        print(f"  {label:9s}: {len(rows):,} members; Gongzhi {g * 1000:.0f} ms ({queries} queries); "
              f"SQL over the ledger {lsql * 1000:.0f} ms (ratio {g / lsql:.2f}); SQL over the kept totals {tsql * 1000:.0f} ms (ratio {g / tsql:.2f})")
    try:
        url = reverse("points:ranking") + f"?year={cycle}"
    except NoReverseMatch:
        url = None
    if url:
        client = Client()
        client.force_login(user)
        page_times, response, queries = timed(lambda: client.get(url), args.runs)
        assert response.status_code == 200
        info["cases"]["page"] = {"url": url, "median_s": round(statistics.median(page_times), 3), "queries": queries}
        print(f"  page     : {url} {statistics.median(page_times) * 1000:.0f} ms ({queries} queries)")
    if args.json:
        args.json.write_text(json.dumps(info, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
