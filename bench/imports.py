"""Time importing one residents sheet (.xlsx) three ways, on the database in DATABASE_URL.

Usage (the database must be migrated; bench/imports.sh does that, on SQLite and PostgreSQL):
    DATABASE_URL=... .venv/bin/python bench/imports.py [--rows 100000] [--runs 5] [--json PATH]

1. bare read   iterate the sheet with gongzhi.people.imports.reader.iter_raw_rows (calamine),
               touching every cell: the floor.
2. Gongzhi     residents_import_apply (validate the whole sheet, then write it all or nothing in
               one transaction: households, persons, history rows, counters); and
               validate_residents alone, as its own figure.
3. django-import-export 4.x: a ModelResource for Person fed by the library's own XLSX loader
               (import_export.formats.base_formats.XLSX, tablib + openpyxl read-only). Per row it
               validates the ID number, computes the encrypted / blind-index / mask columns
               (people.services.identity_fields, phone_fields), resolves the place from a dict of
               (社区, 小区, 楼栋, 单元) names built once, and matches on id_number_hash. Timed in its
               fastest documented setting (use_bulk, skip_diff, batch_size 1000,
               CachedInstanceLoader), and once in its default row-by-row setting on a smaller sheet.

Every timed run starts from the same state: the place tree and the importing user present, no
households, persons or their history (reset() empties those tables). The sheet is generated
once, deterministically (--seed), into bench/results/. Peak memory (ru_maxrss) of a Gongzhi
import is measured in a fresh subprocess per sheet size.
"""

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from import_export import fields, resources, widgets  # noqa: E402
from import_export.formats.base_formats import XLSX  # noqa: E402
from import_export.instance_loaders import CachedInstanceLoader, ModelInstanceLoader  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from gongzhi.accounts.models import Role, RoleGrant, User  # noqa: E402
from gongzhi.accounts.scopes import scope_for_user  # noqa: E402
from gongzhi.core import pii  # noqa: E402
from gongzhi.core.pinyin import name_initials  # noqa: E402
from gongzhi.core.validators import id_check_char, parse_id_number  # noqa: E402
from gongzhi.org.models import Place, PlaceLevel  # noqa: E402
from gongzhi.people.imports.apply import residents_import_apply  # noqa: E402
from gongzhi.people.imports.columns import RESIDENTS  # noqa: E402
from gongzhi.people.imports.reader import iter_raw_rows, iter_xlsx_openpyxl  # noqa: E402
from gongzhi.people.imports.validate import validate_residents  # noqa: E402
from gongzhi.people.models import Household, Person, PoliticalStatus  # noqa: E402
from gongzhi.people.services import identity_fields, phone_fields  # noqa: E402

USERNAME = "bench_quwei"
SECTIONS = ["bare", "bare-openpyxl", "validate", "apply", "iie", "iie-default", "rss", "profile"]
RESET_TABLES = ("people_historicalperson", "people_historicalhousehold", "people_person", "people_household")

# ---- the place tree and the sheet ------------------------------------------------------------

STREETS = ("东风街道", "西山街道")
COMMUNITIES = ("幸福社区", "和平社区", "光明社区", "建设社区", "胜利社区", "友谊社区", "团结社区", "新华社区", "朝阳社区", "长安社区")
COMPOUNDS = ("锦绣家园", "阳光花园", "翠竹苑", "建业小区")
BUILDINGS_PER_COMPOUND, UNITS_PER_BUILDING, FLOORS = 10, 2, 18
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红玲芬建国志海燕欣怡子轩浩然梓涵宇航思雨文博嘉晨阳佳琪俊辉秀云凤德福荣"
RELATIONS_AFTER_HEAD = ("配偶", "子女", "子女", "父母", "孙子女")
POLITICAL = (("群众", 80), ("中共党员", 8), ("共青团员", 9), ("无党派人士", 2), ("民主党派", 1))
ETHNICITY = (("汉族", 95), ("回族", 3), ("满族", 2))


def build_tree() -> Place:
    """1 区, 2 街道, 10 社区, 4 小区 each, 10 楼栋 each, 2 单元 each (1,253 places)."""
    with transaction.atomic():  # treebeard keeps each parent's numchild up to date in memory
        district = Place.objects.add_root(instance=Place(level=PlaceLevel.DISTRICT, name="示范区", code="410305"))
        for s, street_name in enumerate(STREETS, 1):
            street = Place.objects.add_child(district, instance=Place(level=PlaceLevel.STREET, name=street_name, code=f"410305{s:03d}000"))
            for c, community_name in enumerate(COMMUNITIES[(s - 1) * 5: s * 5], 1):
                community = Place.objects.add_child(street, instance=Place(level=PlaceLevel.COMMUNITY, name=community_name, code=f"410305{s:03d}{c:03d}"))
                for compound_name in COMPOUNDS:
                    compound = Place.objects.add_child(community, instance=Place(level=PlaceLevel.COMPOUND, name=compound_name))
                    for b in range(1, BUILDINGS_PER_COMPOUND + 1):
                        building = Place.objects.add_child(compound, instance=Place(level=PlaceLevel.BUILDING, name=f"{b}号楼", units=UNITS_PER_BUILDING, floors=FLOORS))
                        for u in range(1, UNITS_PER_BUILDING + 1):
                            Place.objects.add_child(building, instance=Place(level=PlaceLevel.UNIT, name=f"{u}单元"))
    return district


def ensure_world():
    """The place tree and a district administrator; built once per database."""
    district = Place.objects.filter(depth=1).first() or build_tree()
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=USERNAME, password=None, display_name="区委组织部（基准）", is_staff=True)
        RoleGrant.objects.create(user=user, role=Role.DISTRICT_ADMIN, place=district)
    return user


def _weighted(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _id_number(rng, used: set) -> tuple[str, bool]:
    while True:
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 80))
        male = rng.random() < 0.5
        seq = rng.randrange(500) * 2 + (1 if male else 0)
        first17 = f"410305{birth:%Y%m%d}{seq:03d}"
        if first17 not in used:
            used.add(first17)
            return first17 + id_check_char(first17), male


def sheet_rows(n: int, seed: int):
    """n residents in households spread evenly over every 单元, in template column order."""
    rng = random.Random(seed)
    used: set[str] = set()
    units = [(c, k, f"{b}号楼", f"{u}单元") for c in COMMUNITIES for k in COMPOUNDS
             for b in range(1, BUILDINGS_PER_COMPOUND + 1) for u in range(1, UNITS_PER_BUILDING + 1)]
    for i, (community, compound, building, unit) in enumerate(units):
        left = n // len(units) + (1 if i < n % len(units) else 0)
        room_seq = 0
        while left > 0:
            size = min(left, rng.choice((1, 2, 2, 3, 3, 3, 4, 5)))
            room_seq += 1
            room = f"{(room_seq - 1) // 4 + 1}{(room_seq - 1) % 4 + 1:02d}"
            for m in range(size):
                number, male = _id_number(rng, used)
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if rng.random() < 0.85 else ""
                yield [name, number, "男" if male else "女", _weighted(rng, ETHNICITY), phone, community, compound, building, unit,
                       room, "本人" if m == 0 else rng.choice(RELATIONS_AFTER_HEAD), _weighted(rng, POLITICAL),
                       "独居老人" if rng.random() < 0.02 else ""]
            left -= size


def sheet_path(n: int, seed: int) -> Path:
    """The cached sheet of n rows, written with openpyxl in write-only mode (ID numbers as text)."""
    from openpyxl import Workbook

    path = RESULTS / f"residents-{n}-seed{seed}.xlsx"
    if path.exists():
        return path
    RESULTS.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(list(RESIDENTS.columns))
    for row in sheet_rows(n, seed):
        sheet.append(row)
    tmp = path.with_suffix(".tmp.xlsx")
    workbook.save(tmp)
    tmp.rename(path)
    return path


# ---- resetting the database between runs -----------------------------------------------------


def reset() -> None:
    """No households, persons or their history; place counters zero; SQLite statistics gone."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(RESET_TABLES)} CASCADE")
        else:
            for table in RESET_TABLES:
                cursor.execute(f"DELETE FROM {table}")
        Place.objects.update(resident_count=0, household_count=0, member_count=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("VACUUM")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(RESET_TABLES)}")


# ---- django-import-export ----------------------------------------------------------------------

GENDERS = {"男": "M", "女": "F"}
POLITICAL_VALUES = {str(label): value for value, label in PoliticalStatus.choices}
COMPUTED = ("id_number_enc", "id_number_hash", "id_number_mask", "id_last4", "gender", "birth_date",
            "phone_enc", "phone_hash", "phone_mask", "name_initials", "place_id", "political_status")


def _field(attribute: str, column: str | None = None) -> fields.Field:
    """A field whose value is taken as given (the row already holds the clean value)."""
    return fields.Field(attribute=attribute, column_name=column or attribute, widget=widgets.Widget())


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def place_names() -> dict[tuple, int]:
    """(社区, 小区, 楼栋, 单元) → place id, 单元 "" for the 楼栋 itself; one query."""
    rows = list(Place.objects.order_by("path").values_list("id", "path", "level", "name"))
    names = {path: name for _pk, path, _level, name in rows}
    step = Place.steplen
    index = {}
    for pk, path, level, _name in rows:
        if level == PlaceLevel.UNIT:
            index[tuple(names[path[:n]] for n in range(3 * step, len(path) + 1, step))] = pk
        elif level == PlaceLevel.BUILDING:
            index[tuple(names[path[:n]] for n in range(3 * step, len(path) + 1, step)) + ("",)] = pk
    return index


class PersonResource(resources.ModelResource):
    """Person rows from the residents sheet, doing per row what Gongzhi does to store a person."""

    name = _field("name", "姓名")
    ethnicity = _field("ethnicity", "民族")
    relation_to_head = _field("relation_to_head", "与户主关系")
    note = _field("note", "备注")
    id_number_enc = _field("id_number_enc")
    id_number_hash = _field("id_number_hash")
    id_number_mask = _field("id_number_mask")
    id_last4 = _field("id_last4")
    gender = _field("gender")
    birth_date = _field("birth_date")
    phone_enc = _field("phone_enc")
    phone_hash = _field("phone_hash")
    phone_mask = _field("phone_mask")
    name_initials = _field("name_initials")
    place_id = _field("place_id")
    political_status = _field("political_status")

    class Meta:
        model = Person
        fields = ("name", "ethnicity", "relation_to_head", "note") + COMPUTED
        import_id_fields = ("id_number_hash",)
        use_bulk = True
        skip_diff = True
        batch_size = 1000
        instance_loader_class = CachedInstanceLoader
        report_skipped = False

    def before_import(self, dataset, **kwargs):
        """The place names, once; and the blind index column the instance loader matches on."""
        self.places = place_names()
        column = dataset.headers.index("公民身份号码")
        hashes = []
        for row in dataset:
            try:
                hashes.append(pii.blind_index(parse_id_number(_text(row[column])).number))
            except ValidationError:
                hashes.append(None)
        dataset.append_col(hashes, header="id_number_hash")

    def before_import_row(self, row, **kwargs):
        """Validate and compute the stored columns; a ValidationError marks the row invalid."""
        for column in ("姓名", "民族", "与户主关系", "备注"):
            row[column] = _text(row[column])
        if not row["姓名"]:
            raise ValidationError({"name": "姓名不能为空。"})
        row["民族"] = row["民族"] or "汉族"
        row.update(identity_fields(_text(row["公民身份号码"]), gender=GENDERS.get(_text(row["性别"]))))
        row.update(phone_fields(_text(row["联系电话"])))
        key = tuple(_text(row[c]) for c in ("社区", "小区", "楼栋", "单元"))
        row["place_id"] = self.places.get(key)
        if row["place_id"] is None:
            raise ValidationError({"place": f"找不到{' '.join(key)}。"})
        political = _text(row["政治面貌"]) or "群众"
        if political not in POLITICAL_VALUES:
            raise ValidationError({"political_status": f"政治面貌“{political}”无法识别。"})
        row["political_status"] = POLITICAL_VALUES[political]
        row["name_initials"] = name_initials(row["姓名"])


class PersonResourceDefault(PersonResource):
    """The same resource in the library's default setting: one save() per row, diffs, per-row lookup."""

    class Meta(PersonResource.Meta):
        use_bulk = False
        skip_diff = False
        instance_loader_class = ModelInstanceLoader
        report_skipped = True


def iie_import(path: Path, resource_class) -> dict:
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        dataset = XLSX().create_dataset(f.read())
    t1 = time.perf_counter()
    result = resource_class().import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
    t2 = time.perf_counter()
    assert not result.has_errors(), [e.error for row in result.row_errors()[:3] for e in row[1]]
    assert not result.has_validation_errors(), result.invalid_rows[:3]
    return {"load_s": t1 - t0, "import_s": t2 - t1, "total_s": t2 - t0, "new": result.totals["new"]}


# ---- the measurements --------------------------------------------------------------------------


def bare_read(path: Path, rows_of=iter_raw_rows) -> int:
    rows = cells = 0
    for _number, row in rows_of(path):
        rows += 1
        for cell in row:
            if cell is not None:
                cells += 1
    return rows - 1  # the header


def timed_runs(label: str, runs: int, fn, *, before=None) -> list[float]:
    out = []
    for i in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
        print(f"  {label} run {i + 1}/{runs}: {out[-1]:.2f} s   load {os.getloadavg()[0]:.2f}", flush=True)
    return out


def check_apply(result, n: int) -> None:
    assert result.ok and result.new == n, result.summary()


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not ru_maxrss: on Linux that survives execve, so
    a child started from a large parent would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM := current RSS
    except OSError:
        pass


def rss_child(n: int, seed: int, what: str) -> None:
    """In a fresh process: reset, then one import of the n-row sheet; print peak RSS as JSON."""
    path = sheet_path(n, seed)
    user = ensure_world()
    reset()
    _reset_peak_rss()  # emptying the tables (SQLite) can itself raise the peak; count only the import
    before = peak_rss_mb()
    t = time.perf_counter()
    if what == "apply":
        check_apply(residents_import_apply(scope=scope_for_user(user), acting_user=user, path=path), n)
    else:
        assert bare_read(path) == n
    print(json.dumps({"rows": n, "what": what, "seconds": round(time.perf_counter() - t, 2), "rss_before_mb": round(before, 1),
                      "peak_rss_mb": round(peak_rss_mb(), 1)}))


def measure_rss(n: int, seed: int, what: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--rss-child", str(n), "--seed", str(seed), "--rss-what", what],
                         capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def profile_apply(path: Path, user, n: int, out: Path) -> str:
    reset()
    profiler = cProfile.Profile()
    profiler.enable()
    result = residents_import_apply(scope=scope_for_user(user), acting_user=user, path=path)
    profiler.disable()
    check_apply(result, n)
    profiler.dump_stats(str(out))
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(30)
    return text.getvalue()


def code_version() -> dict:
    """What was measured: the commit, and a hash of every .py file under gongzhi/ and config/ as
    they are on disk (the working tree may hold uncommitted changes), with the newest change."""
    import hashlib

    digest, newest = hashlib.sha256(), 0.0
    for path in sorted(p for top in ("gongzhi", "config") for p in (ROOT / top).rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        newest = max(newest, path.stat().st_mtime)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--short", "gongzhi", "config"], cwd=ROOT, capture_output=True, text=True).stdout.split("\n")
    return {"commit": head, "tree_sha256": digest.hexdigest()[:16], "newest_change": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(newest)) + " UTC",
            "uncommitted": [line.strip() for line in dirty if line.strip()]}


def summary(runs: list[float]) -> dict:
    return {"median_s": round(statistics.median(runs), 2), "runs_s": [round(r, 2) for r in runs]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of bare read, validate and apply")
    parser.add_argument("--iie-runs", type=int, default=5, help="runs of django-import-export in bulk mode")
    parser.add_argument("--iie-default-rows", type=int, default=10_000, help="sheet for the one row-by-row run (0: skip)")
    parser.add_argument("--rss-rows", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--profile", action="store_true", help="also cProfile one Gongzhi apply")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", nargs="*", choices=SECTIONS, default=SECTIONS, help="sections to run (default: all)")
    parser.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rss-what", default="apply", help=argparse.SUPPRESS)
    args = parser.parse_args()
    assert not settings.DEBUG, "run with DEBUG off: Django would keep every query in memory"
    if args.rss_child:
        rss_child(args.rss_child, args.seed, args.rss_what)
        return
    n = args.rows
    t = time.perf_counter()
    path = sheet_path(n, args.seed)
    print(f"sheet {path.name}: {path.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - t:.1f} s)", flush=True)
    user = ensure_world()
    scope = scope_for_user(user)
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "database": connection.vendor,
        "server": connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else f"SQLite {connection.Database.sqlite_version}",
        "rows": n, "sheet": path.name, "sheet_mb": round(path.stat().st_size / 1e6, 1),
        "places": Place.objects.count(), "load_start": os.getloadavg(), "code": code_version(), "figures": {},
    }
    print(f"code: {info['code']}", flush=True)
    figures = info["figures"]

    assert bare_read(path) == n  # warm-up: the file into the page cache
    if "bare" in args.only:
        print("bare read (calamine, every cell)", flush=True)
        figures["bare_read"] = summary(timed_runs("bare read", args.runs, lambda: bare_read(path)))
    if "bare-openpyxl" in args.only:  # the reader most code uses (and django-import-export's tablib)
        print("bare read (openpyxl read-only, every cell)", flush=True)
        figures["bare_read_openpyxl"] = summary(timed_runs("openpyxl read", args.runs, lambda: bare_read(path, iter_xlsx_openpyxl)))

    reset()

    def validate():
        result = validate_residents(path, scope=scope)
        assert result.ok and result.new == n, result.summary()

    if "validate" in args.only:
        print("Gongzhi validate only (empty registry: every row new)", flush=True)
        figures["gongzhi_validate"] = summary(timed_runs("validate", args.runs, validate))

    if "apply" in args.only:
        print("Gongzhi apply (validate + write, one transaction)", flush=True)
        figures["gongzhi_apply"] = summary(timed_runs(
            "apply", args.runs, lambda: check_apply(residents_import_apply(scope=scope, acting_user=user, path=path), n), before=reset))
        figures["gongzhi_apply"]["written"] = {"persons": Person.objects.count(), "households": Household.objects.count(),
                                              "person_history": Person.history.count()}

    if args.iie_runs and "iie" in args.only:
        print("django-import-export, bulk (use_bulk, skip_diff, batch_size=1000, CachedInstanceLoader)", flush=True)
        parts = []

        def iie_bulk():
            parts.append(iie_import(path, PersonResource))
            assert parts[-1]["new"] == n and Person.objects.count() == n

        runs = timed_runs("iie bulk", args.iie_runs, iie_bulk, before=reset)
        figures["iie_bulk"] = summary(runs) | {
            "load_median_s": round(statistics.median(p["load_s"] for p in parts), 2),
            "import_data_median_s": round(statistics.median(p["import_s"] for p in parts), 2),
            "parts": [{k: round(v, 2) for k, v in p.items()} for p in parts],
        }
        sample = Person.objects.order_by("id_number_hash").values_list("id_number_hash", "place_id", "gender", "birth_date", "phone_mask", "political_status").first()
        figures["iie_bulk"]["written"] = {"persons": Person.objects.count(), "person_history": Person.history.count(), "sample": [str(v) for v in sample]}

    if args.iie_default_rows and "iie-default" in args.only:
        m = args.iie_default_rows
        small = sheet_path(m, args.seed)
        print(f"django-import-export, default row-by-row, {m} rows", flush=True)

        def iie_default():
            assert iie_import(small, PersonResourceDefault)["new"] == m

        runs = timed_runs("iie default", args.iie_runs, iie_default, before=reset)
        seconds = statistics.median(runs)
        figures["iie_default"] = summary(runs) | {"rows": m, "seconds": round(seconds, 2), "scaled_to_rows_s": round(seconds * n / m, 1),
                                                  "person_history": Person.history.count()}
        print(f"  median {seconds:.2f} s for {m} rows; ×{n / m:g} = {seconds * n / m:.0f} s", flush=True)

    if args.rss_rows and "rss" in args.only:
        print("peak RSS, fresh subprocess per size", flush=True)
        figures["rss"] = []
        for size in args.rss_rows:
            sheet_path(size, args.seed)
            for what in ("apply", "bare_read"):
                figures["rss"].append(measure_rss(size, args.seed, what))
                print(f"  {figures['rss'][-1]}", flush=True)

    if args.profile and "profile" in args.only:
        print("cProfile of one Gongzhi apply", flush=True)
        out = RESULTS / f"{connection.vendor}-apply-{n}.prof"
        text = profile_apply(path, user, n, out)
        (out.with_suffix(".txt")).write_text(text)
        info["profile"] = str(out.with_suffix(".txt").relative_to(ROOT))
        print(text[:6000], flush=True)

    reset()
    info["load_end"] = os.getloadavg()
    end = code_version()
    info["code_changed_during_run"] = end["tree_sha256"] != info["code"]["tree_sha256"]
    if info["code_changed_during_run"]:
        info["code_at_end"] = end
        print(f"WARNING: the code changed during the run: {end}", flush=True)
    info["ratios"] = ratios(figures, n)
    print_table(info)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(info, ensure_ascii=False, indent=1, default=str))


def ratios(f: dict, n: int) -> dict:
    out = {}
    med = {k: v["median_s"] for k, v in f.items() if isinstance(v, dict) and "median_s" in v}
    for label, top, bottom in [("apply/bare_read", "gongzhi_apply", "bare_read"), ("validate/bare_read", "gongzhi_validate", "bare_read"),
                               ("apply/bare_read_openpyxl", "gongzhi_apply", "bare_read_openpyxl"),
                               ("iie_bulk/apply", "iie_bulk", "gongzhi_apply")]:
        if top in med and bottom in med:
            out[label] = round(med[top] / med[bottom], 2)
    if "iie_default" in f and "gongzhi_apply" in med:
        out["iie_default_scaled/apply"] = round(f["iie_default"]["scaled_to_rows_s"] / med["gongzhi_apply"], 2)
    return out


def print_table(info: dict) -> None:
    f = info["figures"]
    print(f"\n{info['database']} ({info['server']}), {info['rows']:,} rows, sheet {info['sheet_mb']} MB; load {info['load_start']} → {info['load_end']}")
    print(f"{'way':58s} {'median s':>9s}  runs")
    rows = [("bare read (calamine, every cell)", "bare_read"), ("bare read (openpyxl read-only)", "bare_read_openpyxl"),
            ("Gongzhi validate only", "gongzhi_validate"),
            ("Gongzhi apply (validate + write)", "gongzhi_apply"), ("django-import-export bulk (load + import_data)", "iie_bulk")]
    for label, key in rows:
        if key in f:
            print(f"{label:58s} {f[key]['median_s']:9.2f}  {f[key]['runs_s']}")
    if "iie_default" in f:
        d = f["iie_default"]
        print(f"{'django-import-export default, ' + format(d['rows'], ',') + ' rows':58s} {d['seconds']:9.2f}  {d['runs_s']} scaled ×{info['rows'] / d['rows']:g}: {d['scaled_to_rows_s']} s")
    for r in f.get("rss", []):
        print(f"peak RSS {r['what']:10s} {r['rows']:>7,} rows: {r['peak_rss_mb']:.0f} MB ({r['seconds']:.1f} s)")
    print("ratios:", info["ratios"])


if __name__ == "__main__":
    main()
