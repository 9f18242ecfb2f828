"""Residents and party members of a scope as sheets in the import templates' format.

An exported sheet can be edited and imported again:
- the header is the template's columns without hints, then 系统编号 (the person's number in
  Gongzhi): `columns.RESIDENTS.known` / `columns.MEMBERS.known`;
- ID numbers and phones are the stored masks, never decrypted (the import matches a masked row
  on 系统编号 and checks the mask);
- each choice column holds a label the import reads back (the msgid, whatever language is
  active): 男/女, 群众/中共党员/…, 正式/预备, 是/否; dates are "YYYY-MM-DD" text.

Streaming, with memory bounded whatever the scope's size: rows come from the database in chunks
(`.iterator(chunk_size=CHUNK)`) and go straight to the file (openpyxl in write-only mode, which
spools rows to a temporary file, or csv.writer). The names of 社区/小区/楼栋/单元 are read once,
in one query, for the whole scope. Queries: residents 2 (the place names, the persons), members
1 (the members, with their latest 报到's employer as a subquery), whatever the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.db.models import F, OuterRef, Subquery
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel

from .imports import columns as C
from .imports.normalize import CATEGORY_ALIASES, FORMULA_STARTS
from .models import CommunityCheckin, Gender, MemberStatus, Person, PersonStatus, PoliticalStatus
from .selectors import member_list

CHUNK = 2000
STEP = Place.steplen
# The place levels named in a residents row, in column order.
ADDRESS_LEVELS = (PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND, PlaceLevel.BUILDING, PlaceLevel.UNIT)
# Column widths in Excel's units (about one digit; a Chinese character takes two).
WIDTHS = {
    C.NAME: 12, C.ID_NUMBER: 22, C.GENDER: 6, C.ETHNICITY: 8, C.PHONE: 14, C.COMMUNITY: 16, C.COMPOUND: 16,
    C.BUILDING: 12, C.UNIT: 8, C.ROOM: 10, C.RELATION: 12, C.POLITICAL: 14, C.NOTE: 30, C.ORGANIZATION: 28,
    C.CATEGORY: 10, C.JOINED_ON: 12, C.FULL_ON: 12, C.IS_AWAY: 10, C.AWAY_LOCATION: 20, C.CHECKIN_EMPLOYER: 24,
    C.RECORD: 10,
}
# Cells in Excel's text format ("@"): a full number typed over a mask keeps all 18 digits.
TEXT_COLUMNS = frozenset({C.ID_NUMBER, C.PHONE})
TEXT_FORMAT = "@"
CATEGORY_LABELS = {str(value): label for label, value in CATEGORY_ALIASES.items()}  # full → 正式
YES_NO = {True: "是", False: "否"}


# ---------------------------------------------------------------- the public API


def residents_export(*, scope: Scope, target, fmt: str = "xlsx", progress=None) -> int:
    """Every resident (在册) in scope, by place, room, name and id, written to `target` (a path
    or a binary file object) as .xlsx or .csv; the number of rows written. `progress` (see
    gongzhi.jobs.progress.Progress) hears how many rows are written, every CHUNK rows."""
    write = _writer(fmt)
    rows = _resident_rows(scope)
    if progress is not None:
        total = scope.filter(Person.objects.filter(status=PersonStatus.RESIDENT)).count()
        rows = _reporting(rows, progress, total)
    return write(C.RESIDENTS, rows, target)


def members_export(*, scope: Scope, target, fmt: str = "xlsx", progress=None) -> int:
    """Every active party member in scope, by organisation and name, written to `target`; the
    number of rows written. 系统编号 is the member's person's number."""
    write = _writer(fmt)
    rows = _member_rows(scope)
    if progress is not None:
        rows = _reporting(rows, progress, member_list(scope=scope, status=MemberStatus.ACTIVE).count())
    return write(C.MEMBERS, rows, target)


def _reporting(rows: Iterator[list], progress, total: int) -> Iterator[list]:
    progress.phase(translation.gettext("导出数据"), total)
    for n, row in enumerate(rows, start=1):
        if not n % CHUNK:
            progress.update(n)
        yield row


def export_filename(kind: str, fmt: str, today: dt.date) -> str:
    """The download's name: 居民-20261127.xlsx, 党员-20261127.csv."""
    _writer(fmt)
    template = C.TEMPLATES.get(kind)
    if template is None:
        raise ValueError(f"unknown export kind {kind!r}")
    return f"{template.title}-{today:%Y%m%d}.{fmt}"


# ---------------------------------------------------------------- rows


@lru_cache(maxsize=None)
def _labels(choices) -> dict[str, str]:
    """value → the label the import reads back (the msgid, whatever language is active)."""
    with translation.override(None):
        return {value: str(label) for value, label in choices.choices}


RESIDENT_FIELDS = (
    "pk", "name", "id_number_mask", "gender", "ethnicity", "phone_mask", "place__path", "household__room",
    "relation_to_head", "political_status", "note",
)


def _resident_rows(scope: Scope) -> Iterator[list]:
    persons = scope.filter(Person.objects.filter(status=PersonStatus.RESIDENT)).order_by(
        "place__path", F("household__room").asc(nulls_first=True), "name", "id"
    )
    address = _addresses(scope)
    genders, politicals = _labels(Gender), _labels(PoliticalStatus)
    for pk, name, id_mask, gender, ethnicity, phone_mask, path, room, relation, political, note in (
        persons.values_list(*RESIDENT_FIELDS).iterator(chunk_size=CHUNK)
    ):
        community, compound, building, unit = address(path)
        yield _in_order(C.RESIDENTS, {
            C.NAME: name, C.ID_NUMBER: id_mask, C.GENDER: genders.get(gender, ""), C.ETHNICITY: ethnicity,
            C.PHONE: phone_mask, C.COMMUNITY: community, C.COMPOUND: compound, C.BUILDING: building, C.UNIT: unit,
            C.ROOM: room or "", C.RELATION: relation, C.POLITICAL: politicals.get(political, ""), C.NOTE: note,
            C.RECORD: pk,
        })


MEMBER_FIELDS = (
    "person_id", "person__id_number_mask", "person__name", "organization__name", "category", "joined_on", "full_on",
    "is_away", "away_location", "checkin_employer",
)


def _member_rows(scope: Scope) -> Iterator[list]:
    latest = CommunityCheckin.objects.filter(member=OuterRef("pk")).order_by("-registered_on", "-id").values("employer")[:1]
    members = (
        member_list(scope=scope, status=MemberStatus.ACTIVE)
        .annotate(checkin_employer=Subquery(latest))
        .order_by("organization__path", "person__name", "id")
    )
    for person_id, id_mask, name, organization, category, joined_on, full_on, is_away, away_location, employer in (
        members.values_list(*MEMBER_FIELDS).iterator(chunk_size=CHUNK)
    ):
        yield _in_order(C.MEMBERS, {
            C.ID_NUMBER: id_mask, C.NAME: name, C.ORGANIZATION: organization, C.CATEGORY: CATEGORY_LABELS.get(category, ""),
            C.JOINED_ON: _date(joined_on), C.FULL_ON: _date(full_on), C.IS_AWAY: YES_NO[bool(is_away)],
            C.AWAY_LOCATION: away_location, C.CHECKIN_EMPLOYER: employer or "", C.RECORD: person_id,
        })


def _in_order(template: C.Template, values: dict) -> list:
    return [values[column] for column in template.known]


def _date(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _addresses(scope: Scope) -> Callable[[str], tuple[str, str, str, str]]:
    """(社区, 小区, 楼栋, 单元) names of a residence by its path ("" where the path has no such
    level: a 楼栋 standing in its 社区, a resident registered at the 楼栋).

    One query: the places of those levels in scope, and those above the scope's top nodes (a
    grid's buildings, a branch's 小区); every ancestor of a place in scope is one of them. Each
    residence's names are worked out once (bounded by the number of places, not of residents)."""
    above = {a for top in scope.place_paths for a in ancestor_paths(top, STEP, include_self=False)}
    places = Place.objects.filter(level__in=ADDRESS_LEVELS).order_by()
    rows = (scope.filter(places) | places.filter(path__in=above)).values_list("path", "level", "name")
    names = {path: (level, name) for path, level, name in rows.iterator(chunk_size=CHUNK)}
    found: dict[str, tuple[str, str, str, str]] = {}

    def address(path: str) -> tuple[str, str, str, str]:
        if path not in found:
            by_level = dict(names[a] for a in ancestor_paths(path, STEP) if a in names)
            found[path] = tuple(by_level.get(level, "") for level in ADDRESS_LEVELS)
        return found[path]

    return address


# ---------------------------------------------------------------- writers


def _writer(fmt: str) -> Callable[[C.Template, Iterable[list], object], int]:
    writers = {"xlsx": _write_xlsx, "csv": _write_csv}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}: xlsx or csv")
    return writers[fmt]


def _write_xlsx(template: C.Template, rows: Iterable[list], target) -> int:
    """One sheet in write-only mode: bold header frozen above the rows, columns sized."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(template.title)
    columns = template.known
    for i, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column, 12)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, column, font=bold) for column in columns])
    text_at = frozenset(i for i, column in enumerate(columns) if column in TEXT_COLUMNS)
    written = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, value, as_text=i in text_at) for i, value in enumerate(row)])
        written += 1
    book.save(target)
    return written


def _xlsx_value(sheet, value, *, as_text: bool = False):
    """A row's value as written: blank → no value, text kept as text (never a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
        if as_text or (value and value.startswith("=")):
            return _xlsx_cell(sheet, value, number_format=TEXT_FORMAT if as_text else None)
    return value


def _xlsx_cell(sheet, value, *, font=None, number_format=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if value is not None:
        cell.data_type = "s"  # what openpyxl would take for a formula ("=…") stays text
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _write_csv(template: C.Template, rows: Iterable[list], target) -> int:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    written = 0
    with _text_stream(target) as out:
        writer = csv.writer(out)
        writer.writerow(template.known)
        for row in rows:
            writer.writerow([_csv_safe(v) for v in row])
            written += 1
    return written


def _csv_safe(value):
    """A text that Excel would run as a formula (=, +, -, @ first) gets a leading apostrophe,
    which Excel hides and the import removes again (normalize.cell_text): CSV injection."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@contextmanager
def _text_stream(target):
    """A text stream over `target`: a path (opened and closed here) or a binary file object
    (left open for the caller)."""
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8-sig", newline="") as out:
            yield out
        return
    out = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    try:
        yield out
    finally:
        out.flush()
        out.detach()
