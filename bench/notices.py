"""Time a 社区's public 公开栏 holding five years of notices, against hand-written SQL.

Usage: DATABASE_URL=... .venv/bin/python bench/notices.py [--runs 7] [--per-year 3000] [--others 99] [--json PATH]
On an empty, migrated database (bench/notices.sh makes one of each kind). Loads one 社区 with
`--per-year` notices a year for five years (about eight a day: 公示 of 道德银行 credits and star
ratings, 两公开 of decision matters, announcements, lectures, honours; most up for a week, some for
a month, a few until withdrawn, 2% withdrawn) and `--others` 社区 with half as many each, so the
table is the size of a district's.

What is timed, median of `--runs` after a warm-up, each a whole GET through Django's test client
(URL routing, the queries, the template): the public board (what is up today), a kind of it, the
archive's first and 50th pages, one notice, and the staff board of the 社区 for its worker.
Baseline in the same run: the page's rows and count from hand-written SQL (what any page must at
least read). The script stops unless the board lists the notices the SQL does.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from _timing import report, timed  # noqa: E402  (bench/ is the script's folder)
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongzhi.accounts.models import Role, RoleGrant, User  # noqa: E402
from gongzhi.notices.models import Notice, NoticeKind  # noqa: E402
from gongzhi.org.models import PlaceLevel  # noqa: E402
from gongzhi.org.tests import factories as org_factories  # noqa: E402

YEARS = 5
PER_PAGE = 10
# kind, share, days up (None: until withdrawn)
MIX = [(NoticeKind.PUBLICITY, 0.55, 7), (NoticeKind.ANNOUNCEMENT, 0.2, 30), (NoticeKind.RESOLUTION, 0.07, 10), (NoticeKind.RESULT, 0.07, 10),
       (NoticeKind.LECTURE, 0.06, 14), (NoticeKind.HONOUR, 0.04, 7), (NoticeKind.CONVENTION, 0.01, None)]


def load(per_year: int, others: int, today: dt.date):
    district = org_factories.place(None, PlaceLevel.DISTRICT, "基准区")
    street = org_factories.place(district, PlaceLevel.STREET, "基准街道")
    target = org_factories.place(street, PlaceLevel.COMMUNITY, "基准社区")
    compounds = [org_factories.place(target, PlaceLevel.COMPOUND, f"小区{i}") for i in range(6)]
    rng = random.Random(1)
    kinds, weights = [m[0] for m in MIX], [m[1] for m in MIX]
    days_up = {m[0]: m[2] for m in MIX}

    def notices(community, n, compounds=()):
        start = today - dt.timedelta(days=365 * YEARS)
        for i in range(n):
            kind = rng.choices(kinds, weights)[0]
            starts = start + dt.timedelta(days=rng.randrange(365 * YEARS + 3))  # a few still to come
            up = days_up[kind]
            yield Notice(community=community, compound=rng.choice(compounds) if compounds and rng.random() < 0.3 else None, kind=kind,
                         title=f"{kind.label}：第{i}号事项的标题文字", body="公开内容。" * 30, starts_on=starts,
                         ends_on=starts + dt.timedelta(days=up) if up else None,
                         withdrawn_at=timezone.now() if rng.random() < 0.02 else None)

    with transaction.atomic():
        Notice.objects.bulk_create(notices(target, per_year * YEARS, compounds), batch_size=2000)
        for c in range(others):
            community = org_factories.place(street, PlaceLevel.COMMUNITY, f"其他社区{c}")
            Notice.objects.bulk_create(notices(community, per_year * YEARS // 2), batch_size=2000)
    worker = User.objects.create_user(username="bench_shequ", password="x", is_staff=True)
    RoleGrant.objects.create(user=worker, role=Role.COMMUNITY_WORKER, place=target)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notices_notice")
    return target, worker


CURRENT = """SELECT id, title FROM notices_notice WHERE community_id = %s AND withdrawn_at IS NULL AND starts_on <= %s
              AND (ends_on IS NULL OR ends_on >= %s) {kind} ORDER BY starts_on DESC, id DESC LIMIT %s OFFSET %s"""
ENDED = """SELECT id, title FROM notices_notice WHERE community_id = %s AND withdrawn_at IS NULL AND ends_on < %s
           ORDER BY starts_on DESC, id DESC LIMIT %s OFFSET %s"""
COUNT_CURRENT = """SELECT COUNT(*) FROM notices_notice WHERE community_id = %s AND withdrawn_at IS NULL AND starts_on <= %s
                   AND (ends_on IS NULL OR ends_on >= %s) {kind}"""
COUNT_ENDED = "SELECT COUNT(*) FROM notices_notice WHERE community_id = %s AND withdrawn_at IS NULL AND ends_on < %s"


def hand_written(community_id: int, today: dt.date, *, archive=False, kind="", page=1) -> list[str]:
    offset = (page - 1) * PER_PAGE
    with connection.cursor() as cursor:
        if archive:
            cursor.execute(COUNT_ENDED, [community_id, today])
            cursor.fetchone()
            cursor.execute(ENDED, [community_id, today, PER_PAGE, offset])
        else:
            k = "AND kind = %s" if kind else ""
            extra = [kind] if kind else []
            cursor.execute(COUNT_CURRENT.format(kind=k), [community_id, today, today, *extra])
            cursor.fetchone()
            cursor.execute(CURRENT.format(kind=k), [community_id, today, today, *extra, PER_PAGE, offset])
        return [title for _id, title in cursor.fetchall()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--per-year", type=int, default=3000)
    parser.add_argument("--others", type=int, default=99)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    today = timezone.localdate()
    target, worker = load(args.per_year, args.others, today)
    public, staff = Client(), Client()
    staff.force_login(worker)
    board = reverse("notices:public_board", args=[target.pk])
    one = Notice.objects.filter(community=target, withdrawn_at__isnull=True, starts_on__lte=today).order_by("-starts_on").first()
    cases = [
        ("公开栏 · 正在公开", lambda: public.get(board), {}),
        ("公开栏 · 公示", lambda: public.get(board, {"kind": "publicity"}), {"kind": "publicity"}),
        ("公开栏 · 往期 第1页", lambda: public.get(board, {"archive": "1"}), {"archive": True}),
        ("公开栏 · 往期 第50页", lambda: public.get(board, {"archive": "1", "page": "50"}), {"archive": True, "page": 50}),
        ("公开事项页", lambda: public.get(reverse("notices:public_notice", args=[one.pk])), None),
        ("工作人员公开栏（本社区）", lambda: staff.get(reverse("notices:board"), {"state": "current"}), None),
    ]
    rows = []
    for label, fetch, sql_args in cases:
        times, response, queries = timed(fetch, args.runs)
        assert response.status_code == 200, (label, response.status_code)
        row = {"case": label, "median_ms": round(statistics.median(times) * 1000, 1), "runs_ms": [round(t * 1000, 1) for t in times],
               "queries": queries}
        if sql_args is not None:
            sql_times, titles, _q = timed(lambda: hand_written(target.pk, today, **sql_args), args.runs)
            html = response.content.decode()
            assert titles and all(t in html for t in titles), f"{label}: the page does not list what the SQL reads"
            row |= {"sql_median_ms": round(statistics.median(sql_times) * 1000, 2), "ratio": round(statistics.median(times) / statistics.median(sql_times), 1)}
        rows.append(row)
        print(f"{label:<24} {row['median_ms']:>8.1f} ms  {queries} queries" + (f"   SQL {row['sql_median_ms']:.2f} ms" if "sql_median_ms" in row else ""))
    report({"notices": Notice.objects.count(), "community_notices": Notice.objects.filter(community=target).count(), "runs": args.runs,
            "load": os.getloadavg(), "rows": rows}, args.json)


if __name__ == "__main__":
    main()
