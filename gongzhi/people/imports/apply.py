"""Applying a sheet: all or nothing, in one transaction, in one streaming pass.

`residents_import_apply(scope=..., acting_user=..., path=...)` runs the same validation as the
preview (validate.py) inside one transaction.atomic(), and writes each batch of BATCH_SIZE rows
as soon as it is checked, while no row so far has had a problem. Any problem anywhere (a
duplicate found 90,000 rows later included) rolls the whole transaction back, so nothing is
written, and the result lists every problem as the preview does. The file is read once.

Writes for new residents go through core.bulk: ids reserved up front, then one executemany
(COPY on PostgreSQL) per batch for the people, one for their history rows, likewise for new
households, which are inserted with their head already set: Django's bulk_create spent most of
an import's time compiling values, and reading ids back and setting heads afterwards the rest. Changed residents and heads of existing households go through
simple-history's bulk_update_with_history (a re-import changes few rows). Every written row has
its history row by the importing user. Place counters are recounted for every touched place;
on SQLite, ANALYZE runs after more than ANALYZE_AFTER rows.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.core import pii
from gongzhi.core.bulk import insert_history, insert_rows, reserve_ids
from gongzhi.core.pinyin import name_initials
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel

from ..models import CommunityCheckin, EmployerLevel, Household, MemberCategory, MemberTransfer, PartyMember, Person, PersonStatus, PoliticalStatus
from ..services import org_counts_refresh, place_counts_refresh
from .places import STEP
from .result import NEW, UPDATED, ImportResult
from .validate import BATCH_SIZE, KEEP, MemberRow, ResidentRow, validate_members, validate_residents

ANALYZE_AFTER = 10_000  # rows written before SQLite's planner statistics are refreshed
HEAD_RELATIONS = {"本人", "户主"}


def residents_import_apply(*, scope: Scope, acting_user, path, filename: str | None = None, engine: str | None = None,
                           progress=None) -> ImportResult:
    """Check and write the whole sheet, or nothing. Returns the result: counts, or the problems."""
    writer = _ResidentWriter(acting_user)
    return _all_or_nothing(
        lambda write: validate_residents(path, scope=scope, filename=filename, engine=engine, progress=progress, write=write),
        writer.write, lambda: place_counts_refresh(writer.touched),
    )


def _all_or_nothing(validate, write, finish) -> ImportResult:
    """Run `validate(write)` with every write in one transaction, `finish()` at the end, and
    roll it all back if any row had a problem. Writes go to a second thread (its own connection
    and transaction) when that is possible, so reading and checking the next batch overlaps
    with the database writing this one; otherwise they happen in line (inside an outer
    transaction, as in tests, or on an in-memory SQLite database, whose connections do not
    share uncommitted rows)."""
    if connection.in_atomic_block or (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        with transaction.atomic():
            result = validate(write)
            if result.ok:
                finish()
            else:
                transaction.set_rollback(True)
    else:
        writer = WriterThread(write, finish)
        try:
            result = validate(writer.put)
        except BaseException:
            writer.close(commit=False, raise_error=False)
            raise
        writer.close(commit=result.ok)
    _analyze(result)
    return result


_COMMIT, _ROLLBACK = object(), object()


class WriterThread:
    """A thread that applies batches inside one transaction of its own connection, then commits
    (running `finish` first) or rolls back. The queue holds at most two batches: the reader waits
    when the database is slower, so memory stays bounded. An error in the thread is raised in
    the caller at its next `put` or at `close`; nothing is committed then."""

    def __init__(self, write, finish):
        self._write, self._finish = write, finish
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def put(self, batch) -> None:
        if self.error is not None:
            raise self.error
        self._queue.put(batch)

    def close(self, *, commit: bool, raise_error: bool = True) -> None:
        self._queue.put(_COMMIT if commit else _ROLLBACK)
        self._thread.join()
        if self.error is not None and raise_error:
            raise self.error

    def _run(self) -> None:
        ended = False
        try:
            with transaction.atomic():
                while True:
                    item = self._queue.get()
                    if item is _COMMIT or item is _ROLLBACK:
                        ended = True
                        if item is _COMMIT:
                            self._finish()
                        else:
                            transaction.set_rollback(True)
                        break
                    self._write(item)
        except BaseException as e:  # handed to the caller
            self.error = e
            while not ended:  # keep taking batches so that the caller never blocks
                item = self._queue.get()
                ended = item is _COMMIT or item is _ROLLBACK
        finally:
            connection.close()


def _analyze(result: ImportResult) -> None:
    if result.ok and connection.vendor == "sqlite" and result.new + result.updated > ANALYZE_AFTER:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _ResidentWriter:
    """Writes each checked batch. New rows get their ids reserved first (core.bulk.reserve_ids),
    so a new household is inserted with its head and a new resident with their household, and
    nothing is read back or updated afterwards."""

    def __init__(self, acting_user):
        self.user = acting_user
        self.touched: set[int] = set()  # places whose counters change

    def write(self, batch: list[ResidentRow]) -> None:
        now = timezone.now()
        new = [r for r in batch if r.status == NEW]
        changed = [r for r in batch if r.status == UPDATED]
        persons = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=[r.identity.hash for r in changed])} if changed else {}
        ids = dict(zip((r.identity.hash for r in new), reserve_ids(Person, len(new))))
        ids |= {h: p.pk for h, p in persons.items()}
        households, heads = self._households(new + changed, ids, now)
        self._insert(new, ids, households, now)
        if changed:
            self._update(changed, persons, households, now)
        if heads:
            self._heads(heads, now)

    def _households(self, rows, ids: dict[str, int], now) -> tuple[dict[tuple[int, str], int], dict[int, int]]:
        """Household ids by (place, room), the missing ones inserted (with their head, when the
        batch names one: 本人/户主); and the heads to set on households that already existed."""
        keys = {(r.place_id, r.room) for r in rows if r.room}
        if not keys:
            return {}, {}
        found = {(p, room): pk for pk, p, room in Household.objects.filter(
            place_id__in={k[0] for k in keys}, room__in={k[1] for k in keys}).values_list("id", "place_id", "room")}
        missing = sorted(keys - found.keys())
        found |= dict(zip(missing, reserve_ids(Household, len(missing))))
        heads = {found[(r.place_id, r.room)]: ids[r.identity.hash] for r in rows if r.room and r.relation in HEAD_RELATIONS}
        if missing:
            created = [{"id": found[key], "place_id": key[0], "room": key[1], "head_id": heads.pop(found[key], None), "note": "",
                        "created_at": now, "updated_at": now} for key in missing]
            insert_rows(Household, created, with_pk=True)
            insert_history(Household, [row["id"] for row in created], user=self.user, when=now)
            self.touched.update(key[0] for key in missing)
        return found, heads

    def _insert(self, rows: list[ResidentRow], ids: dict[str, int], households, now) -> None:
        """New residents: one INSERT (COPY on PostgreSQL) for the batch, one for their history."""
        if not rows:
            return
        values = []
        for r in rows:
            number = r.identity.number
            values.append({
                "id": ids[r.identity.hash], "created_at": now, "updated_at": now, "name": r.name, "name_initials": name_initials(r.name),
                "gender": r.identity.gender, "birth_date": r.identity.birth_date, "ethnicity": r.ethnicity,
                "id_number_enc": pii.encrypt(number), "id_number_hash": r.identity.hash,
                "id_number_mask": pii.mask_id_number(number), "id_last4": number[-4:],
                "phone_enc": pii.encrypt(r.phone), "phone_hash": r.phone_hash if r.phone else "",
                "phone_mask": pii.mask_phone(r.phone) if r.phone else "",
                "place_id": r.place_id, "household_id": households[(r.place_id, r.room)] if r.room else None,
                "relation_to_head": r.relation, "political_status": r.political_status, "status": PersonStatus.RESIDENT, "note": r.note,
            })
            self.touched.add(r.place_id)
        insert_rows(Person, values, with_pk=True)
        insert_history(Person, [v["id"] for v in values], user=self.user, when=now)

    def _update(self, rows: list[ResidentRow], persons: dict[str, Person], households, now) -> None:
        """Changed residents: only their changed fields, with history (simple-history's bulk helper)."""
        changed, fields = [], set()
        for r in rows:
            person = persons[r.identity.hash]
            values = {
                "name": r.name, "name_initials": name_initials(r.name), "ethnicity": r.ethnicity, "place_id": r.place_id,
                "household_id": households[(r.place_id, r.room)] if r.room else None,
                "relation_to_head": r.relation, "political_status": r.political_status, "note": r.note,
            }
            if r.phone_hash is not KEEP and r.phone_hash != person.phone_hash:
                values |= {"phone_enc": pii.encrypt(r.phone), "phone_hash": r.phone_hash if r.phone else "",
                           "phone_mask": pii.mask_phone(r.phone) if r.phone else ""}
            diff = [f for f, v in values.items() if getattr(person, f) != v]
            if diff:
                self.touched.update({person.place_id, r.place_id})
                for f in diff:
                    setattr(person, f, values[f])
                person.updated_at = now
                fields.update(diff)
                changed.append(person)
        if changed:
            bulk_update_with_history(changed, Person, sorted(fields | {"updated_at"}), batch_size=BATCH_SIZE, default_user=self.user)

    def _heads(self, heads: dict[int, int], now) -> None:
        """Households that existed before this batch and get a new head, with history."""
        existing = [h for h in Household.objects.filter(pk__in=heads) if h.head_id != heads[h.pk]]
        for h in existing:
            h.head_id, h.updated_at = heads[h.pk], now
        if existing:
            bulk_update_with_history(existing, Household, ["head", "updated_at"], batch_size=BATCH_SIZE, default_user=self.user)


# ---- party members -----------------------------------------------------------------------


def members_import_apply(*, scope: Scope, acting_user, path, filename: str | None = None, engine: str | None = None,
                         today: dt.date | None = None, progress=None) -> ImportResult:
    """Check and write the members sheet, or nothing: PartyMember rows created or updated, the
    person's 政治面貌 set to match, a 报到 (employer level 其他, registered today) in the person's
    社区 when 报到单位 names a new employer, counters recounted; history for all."""
    today = today or dt.date.today()
    writer = _MemberWriter(acting_user, today)

    def finish():
        place_counts_refresh(writer.places)
        org_counts_refresh(writer.orgs)

    return _all_or_nothing(
        lambda write: validate_members(path, scope=scope, filename=filename, engine=engine, today=today, progress=progress, write=write),
        writer.write, finish,
    )


class _MemberWriter:
    def __init__(self, acting_user, today: dt.date):
        self.user, self.today = acting_user, today
        self.places: set[int] = set()
        self.orgs: set[int] = set()
        self._communities: dict[str, int] | None = None

    def community_of(self, path: str) -> int | None:
        if self._communities is None:
            self._communities = dict(Place.objects.filter(level=PlaceLevel.COMMUNITY).values_list("path", "id"))
        for n in range(STEP, len(path) + 1, STEP):
            if path[:n] in self._communities:
                return self._communities[path[:n]]
        return None

    def write(self, batch: list[MemberRow]) -> None:
        now = timezone.now()
        batch = [m for m in batch if m.status is not None]
        persons = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=[m.identity.hash for m in batch]).select_related("place")}
        members = {m.person_id: m for m in PartyMember.objects.filter(person__in=persons.values())}
        existing_checkins = list(CommunityCheckin.objects.filter(member__in=members.values()).values_list("member__person_id", "employer", "community_id"))
        employers = {(p, e) for p, e, _c in existing_checkins}
        checked_in = {(p, c) for p, _e, c in existing_checkins}  # one 报到 per member and 社区
        new, changed, fields, statuses, checkins, transfers = [], [], set(), [], [], []
        for m in batch:
            person = persons[m.identity.hash]
            values = {"organization_id": m.organization_id, "category": m.category, "joined_on": m.joined_on,
                      "full_on": m.full_on, "is_away": bool(m.is_away), "away_location": m.away_location}
            member = members.get(person.pk)
            if member is None:
                member = PartyMember(person=person, **values)
                new.append(member)
                self.orgs.add(m.organization_id)
                self.places.add(person.place_id)
            else:
                diff = [f for f, v in values.items() if getattr(member, f) != v]
                if diff:
                    self.orgs.update({member.organization_id, m.organization_id})
                    if "organization_id" in diff:  # 组织关系转接, dated the day of the import
                        transfers.append(MemberTransfer(member=member, from_organization_id=member.organization_id,
                                                        to_organization_id=m.organization_id, transferred_on=self.today, recorded_by=self.user))
                    self.places.add(person.place_id)
                    for f in diff:
                        setattr(member, f, values[f])
                    member.updated_at = now
                    fields.update(diff)
                    changed.append(member)
            status = PoliticalStatus.MEMBER if m.category == MemberCategory.FULL else PoliticalStatus.PROBATIONARY
            if person.political_status != status:
                person.political_status = status
                person.updated_at = now
                statuses.append(person)
            if m.employer and (person.pk, m.employer) not in employers:
                community = self.community_of(person.place.path)
                if community and (person.pk, community) not in checked_in:
                    checkins.append((member, m.employer, community))
                    checked_in.add((person.pk, community))
        if new:
            created = bulk_create_with_history(new, PartyMember, batch_size=BATCH_SIZE, default_user=self.user)
            if any(x.pk is None for x in created):
                ids = dict(PartyMember.objects.filter(person_id__in=[x.person_id for x in new]).values_list("person_id", "id"))
                for x in new:
                    x.pk = ids[x.person_id]
        if transfers:
            MemberTransfer.objects.bulk_create(transfers, batch_size=BATCH_SIZE)
        if changed:
            bulk_update_with_history(changed, PartyMember, sorted(fields | {"updated_at"}), batch_size=BATCH_SIZE, default_user=self.user)
        if statuses:
            bulk_update_with_history(statuses, Person, ["political_status", "updated_at"], batch_size=BATCH_SIZE, default_user=self.user)
        rows = [CommunityCheckin(member=member, employer=employer, employer_level=EmployerLevel.OTHER, community_id=community, registered_on=self.today)
                for member, employer, community in checkins]
        if rows:
            bulk_create_with_history(rows, CommunityCheckin, batch_size=BATCH_SIZE, default_user=self.user)
