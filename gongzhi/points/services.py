"""Writing the points ledger. Entries are never changed once they count: a correction is a
reversing entry. Manual entries wait for a branch secretary (or above) to approve them; entries
from the records (meetings attended or missed, 党课 given, verified hours) are written by
`ledger_sync`, which compares what the records call for with what the ledger holds and writes
only the difference, so running it again changes nothing.

Caps (每周期上限) are applied when an entry comes to count, in date order: the entry gets what is
left under the cap of its rule's code for the member and cycle (possibly 0, noted)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Role
from gongzhi.core.bulk import insert_rows
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.people.models import MemberStatus, PartyMember

from .models import EntryStatus, MemberCycleTotal, PointEntry, Rule, RuleSource, RuleVersion
from .rulebook import RuleBook

APPROVER_ROLES = {Role.BRANCH_SECRETARY, Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_ADMIN}
MANUAL, REVERSAL = "manual", "reversal"


TENTH = Decimal("0.1")


def points_for(rule: Rule, quantity: Decimal) -> Decimal:
    """A rule's points for a quantity (occurrences, or hours), to one decimal like the ledger
    keeps them (0.5 a hour × 2.1 hours = 1.05 → 1.1, rounded half up)."""
    return (rule.points * quantity).quantize(TENTH, ROUND_HALF_UP)


def can_approve(user) -> bool:
    """支部书记或以上: the roles that may approve manual entries and reverse entries."""
    return user.is_authenticated and user.grants.filter(role__in=APPROVER_ROLES).exists()


# ---- caps -----------------------------------------------------------------------------------------


class CapMeter:
    """What each member has already counted under each capped code in each cycle."""

    def __init__(self, member_ids, cycles):
        self.used: dict[tuple, Decimal] = defaultdict(Decimal)
        rows = (PointEntry.objects.filter(member_id__in=member_ids, cycle__in=cycles, status=EntryStatus.APPROVED)
                .values_list("member_id", "code", "cycle").annotate(s=Sum("amount")))
        for member_id, code, cycle, total in rows:
            self.used[(member_id, code, cycle)] = total

    def take(self, member_id: int, rule: Rule, cycle: int, wanted: Decimal) -> tuple[Decimal, str]:
        key = (member_id, rule.code, cycle)
        if rule.cap is None:
            self.used[key] += wanted
            return wanted, ""
        room = max(rule.cap - abs(self.used[key]), Decimal(0))
        amount = wanted if abs(wanted) <= room else (room if wanted > 0 else -room)
        self.used[key] += amount
        note = _("已达本年度上限 %(cap)s 分") % {"cap": rule.cap} if amount != wanted else ""
        return amount, note

    def give_back(self, member_id: int, code: str, cycle: int, amount: Decimal) -> None:
        self.used[(member_id, code, cycle)] -= amount


def totals_refresh(member_ids, cycles) -> None:
    """Recount MemberCycleTotal of these members and cycles from their approved entries."""
    member_ids, cycles = list(member_ids), list(cycles)
    if not member_ids or not cycles:
        return
    MemberCycleTotal.objects.filter(member_id__in=member_ids, cycle__in=cycles).delete()
    rows = (PointEntry.objects.filter(member_id__in=member_ids, cycle__in=cycles, status=EntryStatus.APPROVED)
            .values("member_id", "cycle").annotate(total=Sum("amount"), entries=Count("id")).order_by())
    insert_rows(MemberCycleTotal, [dict(r) for r in rows])


def totals_rebuild(cycles) -> None:
    """Recount MemberCycleTotal of every member for these cycles (after loading in bulk)."""
    cycles = list(cycles)
    MemberCycleTotal.objects.filter(cycle__in=cycles).delete()
    rows = (PointEntry.objects.filter(cycle__in=cycles, status=EntryStatus.APPROVED)
            .values("member_id", "cycle").annotate(total=Sum("amount"), entries=Count("id")).order_by())
    insert_rows(MemberCycleTotal, (dict(r) for r in rows.iterator(chunk_size=20_000)))


def _bump(member_id: int, cycle: int, amount: Decimal) -> None:
    updated = MemberCycleTotal.objects.filter(member_id=member_id, cycle=cycle).update(total=F("total") + amount, entries=F("entries") + 1)
    if not updated:
        MemberCycleTotal.objects.create(member_id=member_id, cycle=cycle, total=amount, entries=1)


# ---- manual entries -------------------------------------------------------------------------------


@transaction.atomic
def entry_create(*, scope: Scope, acting_user, member: PartyMember, rule: Rule, occurred_on: dt.date, quantity: Decimal = Decimal(1),
                 evidence: str, note: str = "", today: dt.date | None = None) -> PointEntry:
    """A manual entry (an article written, dues unpaid …), waiting for approval. The rule must be a
    manual one of the version in effect for the member on that day."""
    scope.require(member)
    today = today or timezone.localdate()
    evidence = clean_text(evidence)
    book = RuleBook.load()
    ruleset = book.ruleset_for(member.organization.path)
    version = book.version_on(ruleset, occurred_on)
    errors = {}
    if occurred_on > today:
        errors["occurred_on"] = _("发生日期不能晚于今天。")
    elif version is None or rule.version_id != version.pk:
        errors["rule"] = _("该细则条目不适用于%(name)s在%(date)s的情况：请按当时生效的细则选择。") % {"name": member.person.name, "date": f"{occurred_on:%Y-%m-%d}"}
    elif rule.source != RuleSource.MANUAL:
        errors["rule"] = _("“%(rule)s”由系统根据记录自动计分，不能人工录入。") % {"rule": rule.name}
    if not evidence:
        errors["evidence"] = _("请填写依据（如文章题目、会议记录、处分文号）。")
    if quantity <= 0:
        errors["quantity"] = _("次数应大于0。")
    if member.status != MemberStatus.ACTIVE:
        errors["member"] = _("只能为在册党员录入积分。")
    if errors:
        raise ValidationError(errors)
    return PointEntry.objects.create(
        member=member, rule=rule, code=rule.code, cycle=book.cycle_of(ruleset, occurred_on), occurred_on=occurred_on, quantity=quantity,
        amount=points_for(rule, quantity), source_kind=MANUAL, evidence=evidence, note=clean_text(note), status=EntryStatus.PENDING, entered_by=acting_user,
    )


def _decide(scope: Scope, acting_user, entry: PointEntry) -> None:
    scope.require(entry)
    if not can_approve(acting_user):
        raise PermissionDenied(_("只有支部书记及以上可以审核积分。"))
    if entry.status != EntryStatus.PENDING:
        raise ValidationError(_("这条积分已审核过（%(status)s）。") % {"status": entry.get_status_display()})


@transaction.atomic
def entry_approve(*, scope: Scope, acting_user, entry: PointEntry) -> PointEntry:
    """The entry counts from now, within its rule's cap."""
    entry = PointEntry.objects.select_for_update().select_related("rule").get(pk=entry.pk)
    _decide(scope, acting_user, entry)
    amount, note = CapMeter([entry.member_id], [entry.cycle]).take(entry.member_id, entry.rule, entry.cycle, entry.amount)
    entry.amount, entry.status, entry.decided_by, entry.decided_at = amount, EntryStatus.APPROVED, acting_user, timezone.now()
    entry.note = "；".join(x for x in (entry.note, note) if x)
    entry.save(update_fields=["amount", "status", "decided_by", "decided_at", "note"])
    _bump(entry.member_id, entry.cycle, amount)
    return entry


@transaction.atomic
def entry_reject(*, scope: Scope, acting_user, entry: PointEntry, reason: str) -> PointEntry:
    entry = PointEntry.objects.select_for_update().get(pk=entry.pk)
    _decide(scope, acting_user, entry)
    if not clean_text(reason):
        raise ValidationError({"reason": _("请填写不通过的原因。")})
    entry.status, entry.decided_by, entry.decided_at, entry.note = EntryStatus.REJECTED, acting_user, timezone.now(), clean_text(reason)
    entry.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return entry


@transaction.atomic
def entry_reverse(*, scope: Scope, acting_user, entry: PointEntry, reason: str) -> PointEntry:
    """冲正: a new entry of the opposite amount, pointing at the one it cancels."""
    entry = PointEntry.objects.select_for_update().select_related("rule").get(pk=entry.pk)
    scope.require(entry)
    if not can_approve(acting_user):
        raise PermissionDenied(_("只有支部书记及以上可以冲正积分。"))
    if entry.status != EntryStatus.APPROVED or entry.source_kind == REVERSAL:
        raise ValidationError(_("只能冲正已生效的积分记录。"))
    if PointEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("这条积分已被冲正。"))
    if not clean_text(reason):
        raise ValidationError({"reason": _("请填写冲正原因。")})
    reversal = _reversal(entry, acting_user, clean_text(reason))
    reversal.save()
    _bump(entry.member_id, entry.cycle, reversal.amount)
    return reversal


def _reversal(entry: PointEntry, user, note: str) -> PointEntry:
    now = timezone.now()
    return PointEntry(member_id=entry.member_id, rule_id=entry.rule_id, code=entry.code, cycle=entry.cycle, occurred_on=entry.occurred_on,
                      quantity=-entry.quantity, amount=-entry.amount, source_kind=REVERSAL, source_id=str(entry.pk), evidence=entry.evidence,
                      note=note, status=EntryStatus.APPROVED, entered_by=user, decided_by=user, decided_at=now, reverses=entry)


# ---- entries from the records -------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceEvent:
    """Something in the records that a rule may score: a meeting attended (source ATTEND), an
    unexcused absence (ABSENT), a 党课 given (LECTURE), verified hours (TRAINING, VOLUNTEER)."""

    member_id: int
    source: str
    source_kind: str  # attendance, lecture, training, volunteer …
    source_id: str
    occurred_on: dt.date
    quantity: Decimal = Decimal(1)
    meeting_type_id: int | None = None
    evidence: str = ""


@dataclass
class SyncResult:
    added: int = 0
    reversed: int = 0


SYNC_CHUNK = 2000  # members per pass


def ledger_sync(*, members=None, start: dt.date, end: dt.date, acting_user=None, kinds=None) -> SyncResult:
    """Make the automatic entries of events in [start, end] match the records: add what is
    missing, reverse what the records no longer call for. `members`: ids (default every member);
    `kinds`: the source kinds to look at (default every registered provider's)."""
    from .sources import providers

    chosen = {k: p for k, p in providers().items() if kinds is None or k in kinds}
    ids = sorted(members) if members is not None else list(PartyMember.objects.order_by("pk").values_list("pk", flat=True))
    book, result = RuleBook.load(), SyncResult()
    for i in range(0, len(ids), SYNC_CHUNK):
        chunk = ids[i:i + SYNC_CHUNK]
        with transaction.atomic():
            _sync_chunk(book, chunk, chosen, start, end, acting_user, result)
    return result


def _sync_chunk(book: RuleBook, ids: list[int], providers: dict, start, end, user, result: SyncResult) -> None:
    orgs = dict(PartyMember.objects.filter(pk__in=ids).values_list("pk", "organization__path"))
    expected: dict[tuple, tuple] = {}
    for kind, provide in providers.items():
        for event in provide(ids, start, end):
            if event.member_id not in orgs:
                continue
            ruleset = book.ruleset_for(orgs[event.member_id])
            for rule in book.matching(book.version_on(ruleset, event.occurred_on), event.source, event.meeting_type_id):
                key = (event.member_id, event.source_kind, event.source_id, rule.code)
                expected[key] = (event, rule, book.cycle_of(ruleset, event.occurred_on))
    live = {
        (e.member_id, e.source_kind, e.source_id, e.code): e
        for e in PointEntry.objects.filter(member_id__in=ids, source_kind__in=list(providers), occurred_on__range=(start, end),
                                           status=EntryStatus.APPROVED, reversed_by__isnull=True)
    }
    missing = sorted((expected[k] for k in expected.keys() - live.keys()), key=lambda x: (x[0].member_id, x[0].occurred_on, x[0].source_id, x[1].code))
    gone = [live[k] for k in live.keys() - expected.keys()]
    if not missing and not gone:
        return
    cycles = {c for _e, _r, c in missing} | {e.cycle for e in gone}
    meter = CapMeter(ids, cycles)
    rows = []
    for entry in gone:
        rows.append(_row(_reversal(entry, user, _("记录已变更，自动冲正"))))
        meter.give_back(entry.member_id, entry.code, entry.cycle, entry.amount)
    now = timezone.now()
    for event, rule, cycle in missing:
        amount, note = meter.take(event.member_id, rule, cycle, points_for(rule, event.quantity))
        rows.append({"member_id": event.member_id, "rule_id": rule.pk, "code": rule.code, "cycle": cycle, "occurred_on": event.occurred_on,
                     "quantity": event.quantity, "amount": amount, "source_kind": event.source_kind, "source_id": event.source_id,
                     "evidence": event.evidence, "note": note, "status": EntryStatus.APPROVED, "entered_by_id": user.pk if user else None,
                     "decided_at": now})
    insert_rows(PointEntry, rows)
    result.added += len(missing)
    result.reversed += len(gone)
    totals_refresh({r["member_id"] for r in rows}, cycles)


def _row(entry: PointEntry) -> dict:
    return {f.attname: getattr(entry, f.attname) for f in PointEntry._meta.concrete_fields if not f.primary_key and f.attname != "created_at"}


# ---- rule versions ----------------------------------------------------------------------------------


@transaction.atomic
def version_create(*, acting_user, ruleset, effective_from: dt.date, note: str, today: dt.date | None = None, **changes) -> RuleVersion:
    """A new version of a rule set from `effective_from` (today or later: past entries are never
    rescored), a copy of the latest version with `changes` to its fields; its rules are copied too
    and then edited. Entries keep the rule (and version) they were scored under."""
    latest = ruleset.versions.order_by("-effective_from").first()
    errors = version_errors(ruleset=ruleset, effective_from=effective_from, note=note, today=today)
    if errors:
        raise ValidationError(errors)
    fields = ("base_score", "floor", "excellent_min", "pass_min", "basic_min")
    values = {f: getattr(latest, f) for f in fields} if latest else {}
    version = RuleVersion.objects.create(ruleset=ruleset, number=(latest.number + 1) if latest else 1, effective_from=effective_from,
                                         note=clean_text(note), created_by=acting_user, **(values | changes))
    for rule in latest.rules.prefetch_related("meeting_types") if latest else ():
        types = list(rule.meeting_types.all())
        rule.pk, rule.version, rule._prefetched_objects_cache = None, version, {}  # a new row; the old one's prefetched types would hide the new links
        rule.save()
        rule.meeting_types.add(*types)
    return version


def version_errors(*, ruleset, effective_from: dt.date, note: str, today: dt.date | None = None) -> dict[str, str]:
    """What is wrong with a new version starting on `effective_from` (empty when nothing)."""
    today = today or timezone.localdate()
    latest = ruleset.versions.order_by("-effective_from").first() if ruleset.pk else None
    errors = {}
    if effective_from < today:
        errors["effective_from"] = _("新版本的生效日期不能早于今天：已记的积分不因修订而改变。")
    elif latest and effective_from <= latest.effective_from:
        errors["effective_from"] = _("生效日期应晚于现行版本的生效日期（%(date)s）。") % {"date": f"{latest.effective_from:%Y-%m-%d}"}
    if not clean_text(note):
        errors["note"] = _("请填写修订说明。")
    return errors
