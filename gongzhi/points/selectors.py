"""Reading member points: a member's statement, rankings for any scope, the distribution, year-end
grades, a branch's average. Scores are base + the cycle's approved entries, not below the floor,
graded by the thresholds of the member's rule set (its version in effect at the cycle's end, or
today while the cycle runs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from decimal import Decimal

from django.db.models import F, FilteredRelation, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, Round
from django.utils import timezone

from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.people.models import MemberStatus, PartyMember

from .models import EntryStatus, MemberCycleTotal, PointEntry, RuleVersion
from .rulebook import Grade, RuleBook, grade_of


@dataclass
class Standing:
    member_id: int
    name: str
    organization: str
    organization_id: int
    delta: Decimal  # the cycle's approved entries
    score: Decimal
    grade: Grade | None
    rank: int = 0


def score_of(version: RuleVersion | None, delta: Decimal) -> tuple[Decimal, Grade | None]:
    if version is None:
        return delta, None
    score = max(version.base_score + delta, version.floor)
    return score, grade_of(version, score)


def _members(scope: Scope, organization: PartyOrganization | None) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.filter(status=MemberStatus.ACTIVE)
    if organization is not None:
        qs = qs.filter(organization.subtree_q("organization__path"))
    return scope.filter(qs)


def standings(*, scope: Scope, cycle: int, organization: PartyOrganization | None = None, today: dt.date | None = None) -> list[Standing]:
    """Every 在册 member of the scope (or of `organization`'s subtree), best first, ranked (equal
    scores share a rank). One query reads members with their cycle total."""
    today = today or timezone.localdate()
    book = RuleBook.load()
    # the total in tenths of a point, as an integer: no Decimal conversion per row (points have one decimal)
    tenths = Cast(Round(F("kept__total") * 10), IntegerField())
    rows = (_members(scope, organization).annotate(kept=FilteredRelation("point_totals", condition=Q(point_totals__cycle=cycle)), tenths=tenths)
            .values_list("pk", "person__name", "organization__name", "organization_id", "organization__path", "tenths").order_by())
    scoring: dict = {}  # organisation path → (base, floor, version) in tenths: a handful of distinct ones
    out, decimals = [], {}  # the few distinct values, made Decimal once
    append = out.append
    for pk, name, org_name, org_id, path, delta in rows:
        rule = scoring.get(path)
        if rule is None:
            version = book.version_for_cycle(book.ruleset_for(path), cycle, today)
            rule = scoring[path] = (int(version.base_score * 10), int(version.floor * 10), version) if version else (0, 0, None)
        base, floor, version = rule
        delta = delta or 0
        score = max(base + delta, floor)
        if score not in decimals:
            decimals[score] = Decimal(score).scaleb(-1)
        if delta not in decimals:
            decimals[delta] = Decimal(delta).scaleb(-1)
        value = decimals[score]
        append(Standing(pk, name, org_name, org_id, decimals[delta], value, grade_of(version, value) if version else None))
    out.sort(key=attrgetter("name"))  # equal scores by name (a stable sort keeps it)
    out.sort(key=attrgetter("score"), reverse=True)
    previous, rank = None, 0
    for i, s in enumerate(out, start=1):
        if s.score != previous:
            rank, previous = i, s.score
        s.rank = rank
    return out


def grade_counts(rows: list[Standing]) -> dict[str, int]:
    counts = {"excellent": 0, "pass": 0, "basic": 0, "fail": 0}
    for s in rows:
        if s.grade:
            counts[s.grade.code] += 1
    return counts


def distribution(rows: list[Standing], width: int = 10) -> list[tuple[str, int]]:
    """How many members score in each band of `width` points (…, 60–69, 70–79, …)."""
    if not rows:
        return []
    counts: dict[int, int] = {}
    for s in rows:
        band = int(s.score) // width * width
        counts[band] = counts.get(band, 0) + 1
    return [(f"{b}–{b + width - 1}", counts.get(b, 0)) for b in range(min(counts), max(counts) + 1, width)]


def average_score(*, scope: Scope, organization: PartyOrganization, cycle: int, today: dt.date | None = None) -> Decimal | None:
    """The mean score of an organisation's 在册 members (its subtree) for a cycle; None without members."""
    rows = standings(scope=scope, cycle=cycle, organization=organization, today=today)
    if not rows:
        return None
    return (sum(s.score for s in rows) / len(rows)).quantize(Decimal("0.1"))


@dataclass
class Statement:
    member: PartyMember
    cycle: int
    version: RuleVersion | None
    entries: list[PointEntry]
    pending: list[PointEntry]
    delta: Decimal
    score: Decimal
    grade: Grade | None


def member_statement(*, scope: Scope, member: PartyMember, cycle: int, today: dt.date | None = None) -> Statement:
    """A member's entries for a cycle (approved ones count; pending and rejected are listed apart)."""
    scope.require(member)
    book = RuleBook.load()
    version = book.version_for_cycle(book.ruleset_for(member.organization.path), cycle, today or timezone.localdate())
    entries = list(PointEntry.objects.filter(member=member, cycle=cycle).select_related("rule__version", "entered_by", "decided_by", "reverses")
                   .order_by("-occurred_on", "-id"))
    counted = [e for e in entries if e.status == EntryStatus.APPROVED]
    delta = sum((e.amount for e in counted), Decimal(0))
    score, grade = score_of(version, delta)
    return Statement(member, cycle, version, counted, [e for e in entries if e.status != EntryStatus.APPROVED], delta, score, grade)


def pending_entries(*, scope: Scope) -> QuerySet[PointEntry]:
    """Manual entries waiting for approval in scope, oldest first."""
    return scope.filter(PointEntry.objects.filter(status=EntryStatus.PENDING)).select_related(
        "member__person", "member__organization", "rule", "entered_by").order_by("created_at", "id")


def entry_get(*, scope: Scope, pk) -> PointEntry:
    return scope.get(PointEntry.objects.select_related("member__person", "member__organization", "rule__version"), pk=pk)


def manual_rules(*, member: PartyMember, on: dt.date):
    """The manual rules a member can be scored under on a day."""
    book = RuleBook.load()
    version = book.version_on(book.ruleset_for(member.organization.path), on)
    return [r for r in book.rules.get(version.pk, []) if r.source == "manual"] if version else []


def cycles_with_entries() -> list[int]:
    return list(MemberCycleTotal.objects.order_by("-cycle").values_list("cycle", flat=True).distinct())


