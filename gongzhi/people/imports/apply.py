"""Applying a validated residents sheet: all or nothing, in one transaction, in batches.

`residents_import_apply(scope=..., acting_user=..., path=...)` validates first (validate.py);
when any row has a problem nothing is written and the validation result is returned. Otherwise
the file is streamed again and written inside one transaction.atomic(), BATCH_SIZE rows at a
time: missing households (place, 房号) are created, new persons bulk-created, changed persons
bulk-updated on their changed fields only, unchanged rows left alone; 与户主关系 本人/户主 makes
the row's person the head of its household. Every write goes through simple-history's bulk
helpers with the importing user, so each imported change has an audit row. Place counters are
recounted for every touched place; on SQLite, ANALYZE runs after more than ANALYZE_AFTER rows.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.core.pinyin import name_initials
from gongzhi.core.scope import Scope

from gongzhi.org.models import Place, PlaceLevel

from ..models import CommunityCheckin, EmployerLevel, Household, MemberCategory, PartyMember, Person, PoliticalStatus
from ..services import identity_fields, org_counts_refresh, phone_fields, place_counts_refresh
from . import columns as C
from . import normalize as N
from .places import STEP, OrganizationIndex, PlaceIndex
from .reader import open_sheet
from .result import ImportResult
from .validate import BATCH_SIZE, KEEP, MemberRow, ResidentRow, _member_row, _resident_row, resolve_records, validate_members, validate_residents

ANALYZE_AFTER = 10_000  # rows written before SQLite's planner statistics are refreshed
HEAD_RELATIONS = {"本人", "户主"}


def residents_import_apply(*, scope: Scope, acting_user, path, result: ImportResult | None = None,
                           filename: str | None = None, engine: str | None = None, progress=None) -> ImportResult:
    """Validate, then write the whole sheet or nothing. Returns the result with the counts written."""
    if result is None:
        result = validate_residents(path, scope=scope, filename=filename, engine=engine, progress=progress)
    if not result.ok:
        return result
    report = _reporter(progress, result.rows)
    result.new = result.updated = result.unchanged = 0
    touched: set[int] = set()
    with transaction.atomic():
        places = PlaceIndex(scope)
        scratch = ImportResult(kind="residents")  # problems were all found by validation
        sheet = open_sheet(path, C.RESIDENTS, filename=filename, engine=engine)
        batch: list[tuple[ResidentRow, str]] = []
        for number, cells in sheet.rows:
            batch.append((_resident_row(number, cells, scratch, places), N.compact(cells[C.PHONE])))
            if len(batch) >= BATCH_SIZE:
                _write_batch(batch, result, touched, acting_user, scope, scratch)
                report(len(batch))
                batch = []
        if batch:
            _write_batch(batch, result, touched, acting_user, scope, scratch)
        if scratch.problems:  # the file changed between validation and apply
            raise RuntimeError(f"import file changed after validation: {scratch.problems}")
        place_counts_refresh(touched)
    written = result.new + result.updated
    if connection.vendor == "sqlite" and written > ANALYZE_AFTER:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result


def _reporter(progress, total: int):
    """A function to call after each written batch (with its size) that tells `progress`."""
    if progress is None:
        return lambda rows: None
    progress.phase(_("写入数据库"), total)
    done = 0

    def report(rows: int) -> None:
        nonlocal done
        done += rows
        progress.update(done)
    return report


def _households(batch, touched: set[int], acting_user) -> dict[tuple[int, str], Household]:
    """The households of the batch by (place, room), the missing ones created."""
    keys = {(r.place_id, r.room) for r, _phone in batch if r.room}
    if not keys:
        return {}
    place_ids = {k[0] for k in keys}
    rooms = {k[1] for k in keys}
    found = {(h.place_id, h.room): h for h in Household.objects.filter(place_id__in=place_ids, room__in=rooms)}
    missing = [Household(place_id=p, room=room) for p, room in sorted(keys - found.keys())]
    if missing:
        created = bulk_create_with_history(missing, Household, batch_size=BATCH_SIZE, default_user=acting_user)
        if any(h.pk is None for h in created):  # backends without RETURNING: read them back
            created = list(Household.objects.filter(place_id__in={h.place_id for h in missing}, room__in={h.room for h in missing}))
        for h in created:
            found[(h.place_id, h.room)] = h
            touched.add(h.place_id)
    return found


def _write_batch(batch, result: ImportResult, touched: set[int], acting_user, scope: Scope, scratch: ImportResult) -> None:
    resolve_records([r for r, _phone in batch], scratch, scope)  # masked numbers, by 系统编号
    households = _households(batch, touched, acting_user)
    hashes = [r.identity.hash for r, _phone in batch]
    existing = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=hashes)}
    new: list[Person] = []
    changed: list[Person] = []
    fields: set[str] = set()
    heads: list[tuple[Person, Household]] = []
    now = timezone.now()
    for r, phone in batch:
        household = households.get((r.place_id, r.room)) if r.room else None
        values = {
            "name": r.name, "name_initials": name_initials(r.name), "ethnicity": r.ethnicity,
            "place_id": r.place_id, "household_id": household.pk if household else None,
            "relation_to_head": r.relation, "political_status": r.political_status, "note": r.note,
        }
        person = existing.get(r.identity.hash)
        if person is None:
            person = Person(**values, **identity_fields(r.identity.number), **phone_fields(phone))
            new.append(person)
            touched.add(r.place_id)
        else:
            if r.phone_hash is not KEEP and r.phone_hash != person.phone_hash:
                values |= phone_fields(phone)
            diff = [f for f, v in values.items() if getattr(person, f) != v]
            if diff:
                touched.update({person.place_id, r.place_id})
                for f in diff:
                    setattr(person, f, values[f])
                person.updated_at = now
                fields.update(diff)
                changed.append(person)
            else:
                result.count("unchanged")
        if household is not None and r.relation in HEAD_RELATIONS:
            heads.append((person, household))
    if new:
        created = bulk_create_with_history(new, Person, batch_size=BATCH_SIZE, default_user=acting_user)
        if any(p.pk is None for p in created):
            ids = dict(Person.objects.filter(id_number_hash__in=[p.id_number_hash for p in new]).values_list("id_number_hash", "id"))
            for p in new:
                p.pk = ids[p.id_number_hash]
        result.count("new", len(new))
    if changed:
        bulk_update_with_history(changed, Person, sorted(fields | {"updated_at"}), batch_size=BATCH_SIZE, default_user=acting_user)
        result.count("updated", len(changed))
    new_heads = []
    for person, household in heads:
        if household.head_id != person.pk:
            household.head_id = person.pk
            household.updated_at = now
            new_heads.append(household)
    if new_heads:
        bulk_update_with_history(new_heads, Household, ["head", "updated_at"], batch_size=BATCH_SIZE, default_user=acting_user)


# ---- party members -----------------------------------------------------------------------

_MEMBER_VALUES = ("organization_id", "category", "joined_on", "full_on", "is_away", "away_location")


def members_import_apply(*, scope: Scope, acting_user, path, result: ImportResult | None = None,
                         filename: str | None = None, engine: str | None = None, today: dt.date | None = None, progress=None) -> ImportResult:
    """Validate, then write the members sheet or nothing: PartyMember rows created or updated,
    the person's 政治面貌 set to match, a 报到 (employer level 其他, registered today) in the
    person's 社区 when 报到单位 names a new employer, counters recounted; history for all."""
    today = today or dt.date.today()
    if result is None:
        result = validate_members(path, scope=scope, filename=filename, engine=engine, today=today, progress=progress)
    if not result.ok:
        return result
    report = _reporter(progress, result.rows)
    result.new = result.updated = result.unchanged = 0
    places: set[int] = set()
    orgs: set[int] = set()
    with transaction.atomic():
        index = OrganizationIndex(scope)
        scratch = ImportResult(kind="members")
        communities = dict(Place.objects.filter(level=PlaceLevel.COMMUNITY).values_list("path", "id"))
        sheet = open_sheet(path, C.MEMBERS, filename=filename, engine=engine)
        batch: list[MemberRow] = []
        for number, cells in sheet.rows:
            batch.append(_member_row(number, cells, scratch, index, today))
            if len(batch) >= BATCH_SIZE:
                resolve_records(batch, scratch, scope)
                _write_members(batch, result, places, orgs, communities, acting_user, today)
                report(len(batch))
                batch = []
        if batch:
            resolve_records(batch, scratch, scope)
            _write_members(batch, result, places, orgs, communities, acting_user, today)
        if scratch.problems:
            raise RuntimeError(f"import file changed after validation: {scratch.problems}")
        place_counts_refresh(places)
        org_counts_refresh(orgs)
    return result


def _community_of(path: str, communities: dict[str, int]) -> int | None:
    for n in range(STEP, len(path) + 1, STEP):
        if path[:n] in communities:
            return communities[path[:n]]
    return None


def _write_members(batch, result, places, orgs, communities, acting_user, today) -> None:
    now = timezone.now()
    persons = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=[m.identity.hash for m in batch]).select_related("place")}
    members = {m.person_id: m for m in PartyMember.objects.filter(person__in=persons.values())}
    existing_checkins = list(CommunityCheckin.objects.filter(member__in=members.values()).values_list("member__person_id", "employer", "community_id"))
    employers = {(p, e) for p, e, _c in existing_checkins}
    checked_in = {(p, c) for p, _e, c in existing_checkins}  # one 报到 per member and 社区
    new, changed, fields, statuses, checkins = [], [], set(), [], []
    for m in batch:
        person = persons[m.identity.hash]
        values = {"organization_id": m.organization_id, "category": m.category, "joined_on": m.joined_on,
                  "full_on": m.full_on, "is_away": bool(m.is_away), "away_location": m.away_location}
        member = members.get(person.pk)
        state = "unchanged"
        if member is None:
            member = PartyMember(person=person, **values)
            new.append(member)
            orgs.add(m.organization_id)
            places.add(person.place_id)
            state = "new"
        else:
            diff = [f for f, v in values.items() if getattr(member, f) != v]
            if diff:
                orgs.update({member.organization_id, m.organization_id})
                places.add(person.place_id)
                for f in diff:
                    setattr(member, f, values[f])
                member.updated_at = now
                fields.update(diff)
                changed.append(member)
                state = "updated"
        status = PoliticalStatus.MEMBER if m.category == MemberCategory.FULL else PoliticalStatus.PROBATIONARY
        if person.political_status != status:
            person.political_status = status
            person.updated_at = now
            statuses.append(person)
        if m.employer and (person.pk, m.employer) not in employers:
            community = _community_of(person.place.path, communities)
            if community and (person.pk, community) not in checked_in:
                checkins.append((member, m.employer, community))
                checked_in.add((person.pk, community))
                state = "updated" if state == "unchanged" else state
        result.count(state)
    if new:
        created = bulk_create_with_history(new, PartyMember, batch_size=BATCH_SIZE, default_user=acting_user)
        if any(x.pk is None for x in created):
            ids = dict(PartyMember.objects.filter(person_id__in=[x.person_id for x in new]).values_list("person_id", "id"))
            for x in new:
                x.pk = ids[x.person_id]
    if changed:
        bulk_update_with_history(changed, PartyMember, sorted(fields | {"updated_at"}), batch_size=BATCH_SIZE, default_user=acting_user)
    if statuses:
        bulk_update_with_history(statuses, Person, ["political_status", "updated_at"], batch_size=BATCH_SIZE, default_user=acting_user)
    rows = [CommunityCheckin(member=member, employer=employer, employer_level=EmployerLevel.OTHER, community_id=community, registered_on=today)
            for member, employer, community in checkins]
    if rows:
        bulk_create_with_history(rows, CommunityCheckin, batch_size=BATCH_SIZE, default_user=acting_user)
