"""Validating a whole sheet against the file and the database, streaming, in batches.

`validate_residents(source, scope=...)` and `validate_members(source, scope=...)` read the file
row by row (reader.open_sheet), normalise each row (normalize), collect every problem of every
row as Chinese messages naming the column, and classify each valid row as new / updated /
unchanged against the database, matched on the ID number's blind index. Database reads are
batched: places and organisations once per file (places.PlaceIndex), existing persons and
members once per BATCH_SIZE rows, never per row. Memory: one batch of rows, plus one small
entry per ID number seen (to find duplicates inside the file) and the problems found.
Nothing is written.

`progress`, when given, is an object with `phase(label, total)` and `update(done, total=None)`
(gongzhi.jobs.progress.Progress): told once per batch how many rows have been read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core import pii
from gongzhi.core.scope import Scope
from gongzhi.core.text import squeeze
from gongzhi.core.validators import parse_id_number, validate_mobile

from ..models import Gender, MemberCategory, PartyMember, Person
from ..services import MEMBER_MIN_AGE  # the same rule as member_create
from . import columns as C
from . import normalize as N
from .places import OrganizationIndex, PlaceIndex
from .reader import estimate_rows, open_sheet
from .result import NEW, UNCHANGED, UPDATED, ImportResult

BATCH_SIZE = 1000  # rows per database round (existing persons / members by blind index)
KEEP = object()  # a masked phone equal to the stored mask: keep the stored number


def _message(error: Exception) -> str:
    return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


NAME_MAX, ETHNICITY_MAX, RELATION_MAX, NOTE_MAX = (_max_length(Person, f) for f in ("name", "ethnicity", "relation_to_head", "note"))
AWAY_LOCATION_MAX = _max_length(PartyMember, "away_location")


@dataclass
class _Identity:
    number: str  # "" while a masked number awaits its 系统编号 (resolve_records)
    hash: str
    birth_date: dt.date | None
    gender: str | None
    record: int | None = None  # the 系统编号 column: a person's pk, written by the export
    masked: str = ""  # the masked number as the sheet shows it (110105********002X)


def _identity(row: int, cells: dict, result: ImportResult) -> _Identity | None:
    """The row's ID number checked, or a masked one to be matched on its 系统编号."""
    record = _record(row, cells.get(C.RECORD), result)
    try:
        number = N.id_number(cells[C.ID_NUMBER])
    except ValueError as e:
        result.add(row, C.ID_NUMBER, str(e))
        return None
    if N.is_masked(number):
        if record is None:
            result.add(row, C.ID_NUMBER, _("“%(v)s”是打码后的号码：修改导出的表时请保留“系统编号”列；新登记的居民请填写完整号码。") % {"v": number})
            return None
        return _Identity("", f"#{record}", None, None, record=record, masked=number)
    try:
        info = parse_id_number(number)
    except (ValidationError, ValueError) as e:
        result.add(row, C.ID_NUMBER, _message(e))
        return None
    return _Identity(info.number, pii.blind_index(info.number), info.birth_date, info.gender, record=record)


def _record(row: int, value, result: ImportResult) -> int | None:
    text = N.compact(value)
    if not text:
        return None
    if text.endswith(".0"):  # a number cell read as float
        text = text[:-2]
    if not text.isdigit():
        result.add(row, C.RECORD, _("应为导出时生成的数字编号，表中为“%(v)s”；新登记的居民请留空。") % {"v": text})
        return None
    return int(text)


def resolve_records(batch: list, result: ImportResult, scope: Scope) -> list:
    """Rows carrying a 系统编号 matched to the person it names, in one query for the batch.

    A masked ID number takes the person's (after checking the mask); a full one must be that
    person's. A 系统编号 that is missing or out of scope is an error, like any unknown name.
    Returns the rows whose masked number was resolved (their identity now has the real hash).
    """
    wanted = {r.identity.record for r in batch if r.identity is not None and r.identity.record is not None}
    if not wanted:
        return []
    persons = {row[0]: row for row in scope.filter(Person.objects.filter(pk__in=wanted)).values_list("id", "id_number_hash", "id_number_mask", "birth_date", "gender")}
    resolved = []
    for r in batch:
        identity = r.identity
        if identity is None or identity.record is None:
            continue
        person = persons.get(identity.record)
        if person is None:
            result.add(r.number, C.RECORD, _("编号%(pk)s的居民不存在或不在您的管辖范围内。") % {"pk": identity.record})
            r.identity = None
        elif identity.masked:
            if person[2] != identity.masked:
                result.add(r.number, C.ID_NUMBER, _("打码后的号码“%(v)s”与系统编号%(pk)s登记的号码不符。") % {"v": identity.masked, "pk": identity.record})
                r.identity = None
            else:
                identity.hash, identity.birth_date, identity.gender = person[1], person[3], person[4]
                resolved.append(r)
        elif person[1] != identity.hash:
            result.add(r.number, C.RECORD, _("系统编号%(pk)s登记的是另一位居民（公民身份号码不同）：请核对，或把系统编号留空。") % {"pk": identity.record})
            r.identity = None
    return resolved


def _required_text(row: int, cells: dict, column: str, result: ImportResult, max_length: int | None = None, *, repeated: bool = False) -> str:
    value = (N.compact_repeated if repeated else N.compact)(cells.get(column))
    if not value:
        result.add(row, column, _("不能为空。"))
    return _checked_length(row, column, value, result, max_length)


def _checked_length(row: int, column: str, value: str, result: ImportResult, max_length: int | None) -> str:
    if max_length and len(value) > max_length:
        result.add(row, column, _("不能超过%(n)s个字（当前%(m)s个）。") % {"n": max_length, "m": len(value)})
    return value


def _parsed(row: int, column: str, parse: Callable, value, result: ImportResult, default=None):
    """parse(value, column), or `default` with the problem recorded."""
    try:
        return parse(value, column)
    except ValueError as e:
        result.add(row, column, str(e))
        return default


class _Run:
    """One pass over a sheet: the result, duplicates inside the file, the current batch."""

    def __init__(self, result: ImportResult, check_batch: Callable[[list, ImportResult], list], write: Callable[[list], None] | None = None):
        self.result = result
        self.check_batch = check_batch
        self.write = write  # apply: called with each checked batch while no row has a problem
        self.seen: dict[str, list] = {}  # ID hash → [first row number, its status once classified]
        self.batch: list = []

    def add(self, clean) -> None:
        if clean.identity is not None:
            self._note_duplicate(clean.number, clean.identity.hash)
        self.batch.append(clean)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def _note_duplicate(self, row: int, key: str) -> None:
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = [row, None]
            return
        first_row, status = first
        if status is not None and first_row not in self.result.problems:
            self.result.count(status, -1)  # counted before its twin turned up
        self.result.add(first_row, C.ID_NUMBER, _("与第%(row)s行重复：同一公民身份号码出现了不止一次。") % {"row": row})
        self.result.add(row, C.ID_NUMBER, _("与第%(row)s行重复：同一公民身份号码出现了不止一次。") % {"row": first_row})

    def flush(self) -> None:
        if self.batch:
            for clean in self.check_batch(self.batch, self.result):  # masked numbers matched on 系统编号
                if clean.identity is not None:
                    self._note_duplicate(clean.number, clean.identity.hash)
            for clean in self.batch:
                if clean.status is not None and clean.number not in self.result.problems:
                    self.result.count(clean.status)
                    self.seen[clean.identity.hash][1] = clean.status
            if self.write is not None and not self.result.problems:
                self.write(self.batch)
            self.batch = []


def _validate(source, *, template, scope: Scope, normalise_row, check_batch, filename=None, engine=None, progress=None, write=None) -> ImportResult:
    sheet = open_sheet(source, template, filename=filename, engine=engine)
    result = ImportResult(kind=template.kind, ignored_columns=sheet.header.ignored, header_row=sheet.header.row_number)
    if progress is not None:
        progress.phase(_("校验数据"), max(estimate_rows(source, filename=filename) - sheet.header.row_number, 0))
    run = _Run(result, check_batch, write)
    for number, cells in sheet.rows:
        result.rows += 1
        run.add(normalise_row(number, cells, result))
        if progress is not None and not result.rows % BATCH_SIZE:
            progress.update(result.rows)
    run.flush()
    if progress is not None:
        progress.update(result.rows, total=result.rows)
    return result


# ---- residents ---------------------------------------------------------------------------


@dataclass
class ResidentRow:
    number: int
    identity: _Identity | None
    name: str
    ethnicity: str
    phone_hash: object  # str, "" (none) or KEEP
    phone_masked: str
    phone: str  # the valid number itself ("" when none or masked): kept in memory for the writer
    place_id: int | None
    room: str
    relation: str
    political_status: str
    note: str
    gender: str | None = None  # as the sheet gives it, checked against the ID number
    status: str | None = None


def validate_residents(source, *, scope: Scope, filename: str | None = None, engine: str | None = None, progress=None, write=None) -> ImportResult:
    places = PlaceIndex(scope)
    return _validate(
        source, template=C.RESIDENTS, scope=scope, filename=filename, engine=engine, progress=progress, write=write,
        normalise_row=lambda number, cells, result: _resident_row(number, cells, result, places),
        check_batch=lambda batch, result: _residents_against_db(batch, result, scope),
    )


def _resident_row(row: int, cells: dict, result: ImportResult, places: PlaceIndex) -> ResidentRow:
    identity = _identity(row, cells, result)
    gender = _parsed(row, C.GENDER, N.gender, cells[C.GENDER], result)
    _check_gender(row, gender, identity, result)
    phone_hash, masked, phone = _phone(row, cells[C.PHONE], result)
    return ResidentRow(
        number=row,
        identity=identity,
        gender=gender,
        name=_required_text(row, cells, C.NAME, result, NAME_MAX),
        ethnicity=_checked_length(row, C.ETHNICITY, N.compact_repeated(cells[C.ETHNICITY]) or "汉族", result, ETHNICITY_MAX),
        phone_hash=phone_hash,
        phone_masked=masked,
        phone=phone,
        place_id=_residence(row, cells, result, places),
        room=_checked_length(row, C.ROOM, N.compact(cells[C.ROOM]), result, 20),
        relation=_checked_length(row, C.RELATION, N.compact_repeated(cells[C.RELATION]), result, RELATION_MAX),
        political_status=_parsed(row, C.POLITICAL, N.political_status, cells[C.POLITICAL], result, default=""),
        note=_checked_length(row, C.NOTE, N.text(cells[C.NOTE]), result, NOTE_MAX),
    )


def _check_gender(row: int, gender: str | None, identity: _Identity | None, result: ImportResult) -> None:
    if gender and identity and identity.gender and gender != identity.gender:
        result.add(row, C.GENDER, _("表中为%(sheet)s，与公民身份号码不符：号码第17位表示%(id)s。") % {
            "sheet": Gender(gender).label, "id": Gender(identity.gender).label,
        })


def _phone(row: int, value, result: ImportResult) -> tuple[object, str, str]:
    """(blind index, "", number) of a valid phone; ("", "", "") when blank; (KEEP, mask, "") for
    a masked one."""
    phone = N.compact(value)
    if not phone:
        return "", "", ""
    if N.is_masked(phone):
        return KEEP, phone, ""
    try:
        number = validate_mobile(phone)
    except ValidationError as e:
        result.add(row, C.PHONE, _message(e))
        return "", "", ""
    return pii.blind_index(number), "", number


def _residence(row: int, cells: dict, result: ImportResult, places: PlaceIndex) -> int | None:
    community = _required_text(row, cells, C.COMMUNITY, result, repeated=True)
    building = _required_text(row, cells, C.BUILDING, result, repeated=True)
    if not (community and building):
        return None
    place_id, problem = places.resolve(community, N.compact_repeated(cells[C.COMPOUND]), building, N.compact_repeated(cells[C.UNIT]))
    if problem:
        result.add(row, problem.split("：", 1)[0], problem)
    return place_id


_RESIDENT_FIELDS = ("id", "id_number_hash", "name", "ethnicity", "phone_hash", "phone_mask", "place_id", "household__room", "relation_to_head", "political_status", "note")


def _residents_against_db(batch: list[ResidentRow], result: ImportResult, scope: Scope) -> list[ResidentRow]:
    resolved = resolve_records(batch, result, scope)
    for r in resolved:
        _check_gender(r.number, r.gender, r.identity, result)
    hashes = [r.identity.hash for r in batch if r.identity]
    existing = {p["id_number_hash"]: p for p in Person.objects.filter(id_number_hash__in=hashes).values(*_RESIDENT_FIELDS)}
    mine = set(scope.filter(Person.objects.filter(id_number_hash__in=list(existing))).values_list("id_number_hash", flat=True)) if existing else set()
    for r in batch:
        if r.identity is None:
            continue
        person = existing.get(r.identity.hash)
        if person is not None and r.identity.hash not in mine:
            result.add(r.number, C.ID_NUMBER, _("该公民身份号码已在其他辖区登记，不能在此导入；如已迁入本辖区，请先由原辖区办理迁出。"))
            continue
        if r.phone_hash is KEEP and (person is None or person["phone_mask"] != r.phone_masked):
            result.add(r.number, C.PHONE, _("“%(v)s”是打码后的号码，无法导入：请填写完整的手机号码。") % {"v": r.phone_masked})
            continue
        r.status = NEW if person is None else (UNCHANGED if _resident_same(r, person) else UPDATED)
    return resolved


def _resident_same(r: ResidentRow, p: dict) -> bool:
    return (
        r.name == p["name"] and r.ethnicity == p["ethnicity"] and r.place_id == p["place_id"]
        and r.room == (p["household__room"] or "") and r.relation == p["relation_to_head"]
        and r.political_status == p["political_status"] and r.note == p["note"]
        and (r.phone_hash is KEEP or r.phone_hash == p["phone_hash"])
    )


# ---- party members -----------------------------------------------------------------------


@dataclass
class MemberRow:
    number: int
    identity: _Identity | None
    name: str
    organization_id: int | None
    category: str | None
    joined_on: dt.date | None
    full_on: dt.date | None
    is_away: bool | None
    away_location: str
    employer: str
    status: str | None = None
    organization_name: str = ""
    organization_problem: str = ""  # not found in scope: still fine if it is the member's current one


def validate_members(source, *, scope: Scope, filename: str | None = None, engine: str | None = None, today: dt.date | None = None,
                     progress=None, write=None) -> ImportResult:
    orgs = OrganizationIndex(scope)
    today = today or dt.date.today()
    return _validate(
        source, template=C.MEMBERS, scope=scope, filename=filename, engine=engine, progress=progress, write=write,
        normalise_row=lambda number, cells, result: _member_row(number, cells, result, orgs, today),
        check_batch=lambda batch, result: _members_against_db(batch, result, scope),
    )


def _member_row(row: int, cells: dict, result: ImportResult, orgs: OrganizationIndex, today: dt.date) -> MemberRow:
    m = MemberRow(
        number=row,
        identity=_identity(row, cells, result),
        name=_required_text(row, cells, C.NAME, result),
        category=_parsed(row, C.CATEGORY, N.category, cells[C.CATEGORY], result),
        joined_on=_parsed(row, C.JOINED_ON, N.date, cells[C.JOINED_ON], result),
        full_on=_parsed(row, C.FULL_ON, N.date, cells[C.FULL_ON], result),
        is_away=_parsed(row, C.IS_AWAY, N.yes_no, cells[C.IS_AWAY], result),  # None: unreadable
        away_location=_checked_length(row, C.AWAY_LOCATION, N.text(cells[C.AWAY_LOCATION]), result, AWAY_LOCATION_MAX),
        employer=_checked_length(row, C.CHECKIN_EMPLOYER, N.text(cells[C.CHECKIN_EMPLOYER]), result, 100),
        organization_id=None,
    )
    m.organization_id, m.organization_name, m.organization_problem = _organization(row, cells, result, orgs)
    if not N.compact(cells[C.JOINED_ON]):
        result.add(row, C.JOINED_ON, _("不能为空。"))
    if m.category == MemberCategory.FULL and not N.compact(cells[C.FULL_ON]):
        result.add(row, C.FULL_ON, _("正式党员须填写转正日期。"))
    _check_member_dates(m, result, today)
    _check_away(m, result)
    return m


def _organization(row: int, cells: dict, result: ImportResult, orgs: OrganizationIndex) -> tuple[int | None, str, str]:
    """(id, name, problem): the problem is decided per batch (_members_against_db), because the
    member's current organisation may stand outside the importer's scope (a grid worker's members
    belong to branches above the grid) or share its name with another: keeping it is no change."""
    name = _required_text(row, cells, C.ORGANIZATION, result, repeated=True)
    if not name:
        return None, "", ""
    pk, problem = orgs.resolve(name)
    return pk, name, problem or ""


def _check_member_dates(m: MemberRow, result: ImportResult, today: dt.date) -> None:
    if m.joined_on is None:
        return
    if m.joined_on > today:
        result.add(m.number, C.JOINED_ON, _("不能晚于今天。"))
    _check_member_age(m, result)
    if m.category == MemberCategory.PROBATIONARY and m.full_on:
        result.add(m.number, C.FULL_ON, _("党员类型为预备，不应填写转正日期。"))
    if m.full_on and m.full_on <= m.joined_on:
        result.add(m.number, C.FULL_ON, _("转正日期（%(full)s）应晚于入党日期（%(joined)s）。") % {"full": f"{m.full_on:%Y-%m-%d}", "joined": f"{m.joined_on:%Y-%m-%d}"})


def _check_member_age(m: MemberRow, result: ImportResult) -> None:
    """Members join at 18 or older, by the birth date in the ID number (known once a masked
    number is matched)."""
    if m.joined_on is None or m.identity is None or m.identity.birth_date is None:
        return
    birth = m.identity.birth_date
    age = m.joined_on.year - birth.year - ((m.joined_on.month, m.joined_on.day) < (birth.month, birth.day))
    if age < MEMBER_MIN_AGE:
        result.add(m.number, C.JOINED_ON, _("入党时须年满%(min)s岁：按公民身份号码，%(date)s时%(age)s岁。") % {"min": MEMBER_MIN_AGE, "date": f"{m.joined_on:%Y-%m-%d}", "age": age})


def _check_away(m: MemberRow, result: ImportResult) -> None:
    if m.is_away and not m.away_location:
        result.add(m.number, C.AWAY_LOCATION, _("是否在外为“是”时须填写在外地点。"))
    if m.is_away is False and m.away_location:
        result.add(m.number, C.IS_AWAY, _("填写了在外地点，但是否在外不是“是”。"))


_MEMBER_FIELDS = ("person_id", "organization_id", "organization__name", "category", "joined_on", "full_on", "is_away", "away_location")


def _members_against_db(batch: list[MemberRow], result: ImportResult, scope: Scope) -> list[MemberRow]:
    resolved = resolve_records(batch, result, scope)
    for m in resolved:
        _check_member_age(m, result)
    hashes = [m.identity.hash for m in batch if m.identity]
    persons = {h: (pk, name) for pk, h, name in scope.filter(Person.objects.filter(id_number_hash__in=hashes)).values_list("id", "id_number_hash", "name")}
    person_ids = [pk for pk, _name in persons.values()]
    members = {m["person_id"]: m for m in PartyMember.objects.filter(person_id__in=person_ids).values(*_MEMBER_FIELDS)}
    employers = set(PartyMember.objects.filter(person_id__in=person_ids).values_list("person_id", "checkins__employer"))
    for m in batch:
        person = persons.get(m.identity.hash) if m.identity else None
        existing = members.get(person[0]) if person else None
        if m.organization_problem:
            if existing is not None and squeeze(existing["organization__name"]) == m.organization_name:
                m.organization_id = existing["organization_id"]  # kept as it is, though outside the scope
            else:
                result.add(m.number, C.ORGANIZATION, m.organization_problem)
        if m.identity is None:
            continue
        if person is None:
            result.add(m.number, C.ID_NUMBER, _("该号码的居民尚未在您的辖区登记：请先导入居民表，再导入党员表。"))
            continue
        if m.name and m.name != person[1]:
            result.add(m.number, C.NAME, _("表中为“%(sheet)s”，与该公民身份号码登记的姓名“%(db)s”不一致。") % {"sheet": m.name, "db": person[1]})
            continue
        m.status = NEW if existing is None else (UNCHANGED if _member_same(m, existing, (person[0], m.employer) in employers) else UPDATED)
    return resolved


def _member_same(m: MemberRow, e: dict, employer_known: bool) -> bool:
    return (
        m.organization_id == e["organization_id"] and m.category == e["category"] and m.joined_on == e["joined_on"]
        and m.full_on == e["full_on"] and m.is_away == e["is_away"] and m.away_location == e["away_location"]
        and (not m.employer or employer_known)
    )
