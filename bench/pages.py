"""Time the tree page and the people search on a built demo district, against hand-written SQL.

Usage (the database must hold a demo: `gongzhi demo --scale district --seed 1`):
    DATABASE_URL=... .venv/bin/python bench/pages.py [--runs 7]

Each case is a full Django request through the test client (middleware, scope, selectors,
templates; no HTTP socket), as the user named, timed `--runs` times after 2 warm-up runs; the
median is reported with the number of SQL queries. The baseline is the same data fetched with
one hand-written SQL statement per figure on a raw cursor, timed the same way in the same run;
`ratio` = page median ÷ baseline median.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import _timing  # noqa: E402  (bench/ is the script's folder)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.core import pii  # noqa: E402
from gongzhi.core.fields import PREFIX_END  # noqa: E402
from gongzhi.org.models import Place, PlaceLevel  # noqa: E402
from gongzhi.people.models import Person  # noqa: E402

TREE_SQL = """
SELECT c.id, c.name, c.level, t.r, t.h, t.m
FROM org_place c
LEFT JOIN (SELECT substr(path, 1, %s) AS p, SUM(resident_count) AS r, SUM(household_count) AS h, SUM(member_count) AS m
           FROM org_place WHERE path >= %s AND path < %s GROUP BY substr(path, 1, %s)) t ON t.p = c.path
WHERE c.path > %s AND c.path < %s AND c.depth = %s ORDER BY c.path
"""
SEARCH_WHERE = {
    "name": "p.name >= %s AND p.name < %s",
    "initials": "p.name_initials >= %s AND p.name_initials < %s",
    "phone": "p.phone_hash = %s",
    "id_last4": "p.id_last4 = %s",
}
SEARCH_SQL = """
SELECT p.id, p.name, p.gender, p.birth_date, p.id_number_mask, p.phone_mask, p.political_status, pl.name, h.room
FROM people_person p JOIN org_place pl ON pl.id = p.place_id LEFT JOIN people_household h ON h.id = p.household_id
WHERE {where} AND pl.path >= %s AND pl.path < %s ORDER BY {order} LIMIT 21
"""
COUNT_SQL = """
SELECT COUNT(*) FROM (SELECT p.id FROM people_person p JOIN org_place pl ON pl.id = p.place_id
WHERE {where} AND pl.path >= %s AND pl.path < %s LIMIT 1001) x
"""


def sql_runner(statements):
    def run():
        with connection.cursor() as cur:
            for sql, params in statements:
                cur.execute(sql, params)
                cur.fetchall()

    return run


def tree_baseline(node: Place):
    n = len(node.path) + Place.steplen
    hi = node.path + PREFIX_END
    return [(TREE_SQL, [n, node.path, hi, n, node.path, hi, node.depth + 1])]


def search_baseline(kind: str, key: str, node: Place):
    where = SEARCH_WHERE[kind]
    if kind in ("name", "initials"):
        params = [key, key + PREFIX_END]
    elif kind == "phone":
        params = [pii.blind_index(key)]
    else:
        params = [key]
    params += [node.path, node.path + PREFIX_END]
    order = "p.name_initials, p.name, p.id" if kind == "initials" else "p.name, p.id"
    return [(SEARCH_SQL.format(where=where, order=order), params), (COUNT_SQL.format(where=where), params)]


def cases():
    district = Place.objects.get(depth=1)
    shequ1 = User.objects.get(username="shequ1")
    community = shequ1.grants.get().place
    sample = Person.objects.filter(place__path__gte=community.path, place__path__lt=community.path + PREFIX_END).exclude(phone_enc="").order_by("id").first()
    phone = pii.decrypt(sample.phone_enc)
    yield "tree page · district root · quwei", "quwei", f"/places/{district.pk}/", tree_baseline(district)
    yield "tree page · one 社区 · shequ1", "shequ1", f"/places/{community.pk}/", tree_baseline(community)
    for label, kind, key in [("name 张", "name", "张"), ("initials zs", "initials", "zs"), ("phone", "phone", phone), ("ID last 4", "id_last4", sample.id_last4)]:
        yield f"people search {label} · district root · quwei", "quwei", f"/people/?q={key}", search_baseline(kind, key, district)
        yield f"people search {label} · one 社区 · shequ1", "shequ1", f"/people/?q={key}", search_baseline(kind, key, community)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    clients = {}
    for label, username, url, baseline in cases():
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries = len(ctx.captured_queries)  # read now: the next request clears the log
        page = _timing.median_ms(lambda: client.get(url), args.runs, warmups=2)
        base = _timing.median_ms(sql_runner(baseline), args.runs, warmups=2)
        rows.append({"case": label, "url": url, "median_ms": round(page, 1), "queries": queries, "baseline_ms": round(base, 2), "ratio": round(page / base, 1) if base else None})
        print(f"{label:52s} {page:8.1f} ms  {queries:3d} q   baseline {base:7.2f} ms  ×{page / base:6.1f}", flush=True)
    _timing.report({
        "residents": Person.objects.count(),
        "places": Place.objects.count(),
        "communities": Place.objects.filter(level=PlaceLevel.COMMUNITY).count(),
        "runs": args.runs,
        "rows": rows,
    }, args.json)


if __name__ == "__main__":
    main()
