"""Time the dashboard (数据看板) and the report (调研报告) on a built demo district, against hand-written SQL.

Usage (the database must hold a demo: `gongzhi demo --scale district --seed 1`):
    DATABASE_URL=... .venv/bin/python bench/dashboard.py [--runs 5] [--json FILE]

Dashboard cases: a full request through Django's test client (`GET /reports/`, the current year
to date, as the user named: 区 quwei, 街道 jiedao1, 社区 shequ1, 支部 zhibu1), timed two ways:
- cold: the figure cache emptied before every run, so every figure is computed from the records
  (the first look after the records changed, or a deployment with GONGZHI_FIGURE_CACHE off);
- warm: the figures kept from the run before (core.figure_cache; what every later look costs
  until a record it reads is written).
Report cases: the job's work without the job table (figures, the .docx with its charts, the
.xlsx) for the district and for one 社区, cold, and warm as it is when the report is asked for
from the dashboard (its button carries the unit and the period): after one look at the dashboard
of the same unit and period, which keeps the period's and the previous period's figures, the
child units' and the alerts' breakdowns.

The baseline is hand-written SQL on a raw cursor for the unit's subtree, timed the same way in the
same run: the six key figures of the dashboard's tiles (小区党组织覆盖率, 参会率, 党员教育覆盖率 with
its two counts, open needs, volunteer hours) and the members count. The dashboard computes far
more than this (47 indicators, the previous period, the child units, the alerts), so the ratio says
how much the rest costs, not how slow one figure is.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import _timing  # noqa: E402  (bench/ is the script's folder)

from django.conf import settings  # noqa: E402

# What a deployment runs with (the test settings compute the report in one thread).
settings.GONGZHI_REPORT_THREADS = int(os.environ.get("GONGZHI_REPORT_THREADS", "2"))

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.accounts.scopes import scope_for_user  # noqa: E402
from gongzhi.core.fields import PREFIX_END  # noqa: E402
from gongzhi.core.indicators import Period  # noqa: E402
from gongzhi.org.models import Place, PlaceLevel  # noqa: E402
from gongzhi.people.models import PartyMember, Person  # noqa: E402
from gongzhi.reports import units  # noqa: E402
from gongzhi.reports.content import report_content  # noqa: E402
from gongzhi.reports.document import report_docx  # noqa: E402
from gongzhi.reports.workbook import report_xlsx  # noqa: E402

# The key figures by hand, for the places under one path prefix [%(lo)s, %(hi)s) and a period.
BASELINE_SQL = [
    # 小区党组织覆盖率: 小区 covered by an organisation ÷ 小区
    """SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM org_partyorganization_covers c WHERE c.place_id = p.id))
       FROM org_place p WHERE p.level = 'compound' AND p.path >= %(lo)s AND p.path < %(hi)s""",
    # 参会率: present ÷ due at the meetings held in the period by organisations sitting there
    """SELECT COUNT(a.id), COUNT(a.id) FILTER (WHERE a.status = 'present')
       FROM partylife_meeting m JOIN org_partyorganization o ON o.id = m.organization_id JOIN org_place p ON p.id = o.place_id
       JOIN partylife_attendance a ON a.meeting_id = m.id
       WHERE m.held_on BETWEEN %(start)s AND %(end)s AND p.path >= %(lo)s AND p.path < %(hi)s""",
    # 党员教育覆盖率: active members there, and those present at an education meeting in the period
    """SELECT COUNT(*), COUNT(e.member_id)
       FROM people_partymember pm JOIN org_partyorganization o ON o.id = pm.organization_id JOIN org_place p ON p.id = o.place_id
       LEFT JOIN (SELECT DISTINCT a.member_id FROM partylife_attendance a JOIN partylife_meeting m ON m.id = a.meeting_id
                  JOIN partylife_meetingtype t ON t.id = m.meeting_type_id
                  WHERE a.status = 'present' AND t.is_education AND m.held_on BETWEEN %(start)s AND %(end)s) e ON e.member_id = pm.id
       WHERE pm.status = 'active' AND p.path >= %(lo)s AND p.path < %(hi)s""",
    # open needs
    """SELECT COUNT(*) FROM needs_need n JOIN org_place p ON p.id = n.place_id
       WHERE n.status IN ('registered', 'accepted', 'in_progress') AND p.path >= %(lo)s AND p.path < %(hi)s""",
    # volunteer hours in the period
    """SELECT COALESCE(SUM(r.hours), 0) FROM volunteers_servicerecord r JOIN org_place p ON p.id = r.community_id
       WHERE r.served_on BETWEEN %(start)s AND %(end)s AND r.verified_at IS NOT NULL AND p.path >= %(lo)s AND p.path < %(hi)s""",
]


def baseline(place: Place, period: Period):
    params = {"lo": place.path, "hi": place.path + PREFIX_END, "start": period.start, "end": period.end}
    sqlite = connection.vendor == "sqlite"

    def run():
        with connection.cursor() as cursor:
            for sql in BASELINE_SQL:
                if sqlite:  # SQLite ≥ 3.30 has FILTER too; only TRUE differs
                    sql = sql.replace("t.is_education", "t.is_education = 1")
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def place_of(user: User) -> Place:
    unit = units.unit_for(scope_for_user(user))
    if unit.place is not None:
        return unit.place
    return unit.organization.place


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", choices=["dashboard", "report"], help="one kind of case")
    parser.add_argument("--users", help="only these users' cases, comma-separated (quwei,shequ1 …)")
    args = parser.parse_args()
    today = timezone.localdate()
    period = Period.year(today.year).up_to(today)
    rows = []
    dashboards = [("quwei", "区"), ("jiedao1", "街道"), ("shequ1", "社区"), ("zhibu1", "支部")]
    chosen = set(args.users.split(",")) if args.users else None
    for username, level in dashboards if args.only != "report" else []:
        if chosen and username not in chosen:
            continue
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        url = "/reports/"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        cold_queries = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        warm_queries = len(ctx.captured_queries)
        cold = _timing.median_ms(lambda: client.get(url), args.runs, before=cache.clear)
        warm = _timing.median_ms(lambda: client.get(url), args.runs)
        base = _timing.median_ms(baseline(place_of(user), period), args.runs)
        row = {"case": f"dashboard · {level} · {username}", "cold_ms": round(cold, 1), "cold_queries": cold_queries,
               "warm_ms": round(warm, 1), "warm_queries": warm_queries, "baseline_ms": round(base, 1),
               "cold_ratio": round(cold / base, 1), "warm_ratio": round(warm / base, 2)}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    for username, level in [("quwei", "区"), ("shequ1", "社区")] if args.only != "dashboard" else []:
        if chosen and username not in chosen:
            continue
        user = User.objects.get(username=username)
        unit = units.unit_for(scope_for_user(user))
        client = Client()
        client.force_login(user)

        def work():
            with translation.override("zh-hans"):
                content = report_content(unit=unit, period=period, today=today)
                docx = report_docx(unit=unit, period=period, today=today, content=content)
                xlsx = report_xlsx(unit=unit, period=period, today=today, content=content)
            return len(docx) + len(xlsx)

        def dashboard_first():
            cache.clear()
            assert client.get("/reports/").status_code == 200

        cold = _timing.median_ms(work, args.runs, before=cache.clear)
        warm = _timing.median_ms(work, args.runs, before=dashboard_first)
        base = _timing.median_ms(baseline(place_of(user), period), args.runs)
        row = {"case": f"report · {level} · {username}", "cold_ms": round(cold, 1), "warm_ms": round(warm, 1),
               "baseline_ms": round(base, 1), "cold_ratio": round(cold / base, 1), "warm_ratio": round(warm / base, 2)}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    _timing.report({
        "period": period.label,
        "residents": Person.objects.count(),
        "members": PartyMember.objects.count(),
        "communities": Place.objects.filter(level=PlaceLevel.COMMUNITY).count(),
        "runs": args.runs,
        "rows": rows,
    }, args.json)


if __name__ == "__main__":
    main()
