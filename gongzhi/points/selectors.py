"""Reading member points: a member's statement, rankings for any scope, the distribution, year-end
grades, a branch's average. Scores are base + the cycle's approved entries, not below the floor,
graded by the thresholds of the member's rule set (its version in effect at the cycle's end, or
today while the cycle runs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, Round
from django.utils import timezone

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.people.models import MemberStatus, PartyMember

from .models import EntryStatus, MemberCycleTotal, PointEntry, RuleVersion
from .rulebook import Grade, RuleBook, grade_of


@dataclass
class Standing:
    member_id: int
    organization: str
    organization_id: int
    delta: Decimal  # the cycle's approved entries
    score: Decimal
    grade: Grade | None
    rank: int = 0
    name: str = ""  # filled by with_names, for the rows shown


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
    """Every 在册 member of the scope (or of `organization`'s subtree), best first (equal scores
    share a rank; among them, by member number). One query reads members with their cycle
    total, one the organisations' names and paths; names are read by `with_names` for the rows a
    page shows."""
    today = today or timezone.localdate()
    book = RuleBook.load()
    # the total in tenths of a point, as an integer: no Decimal conversion per row (points have one decimal)
    tenths = Coalesce(Cast(Round(F("kept__total") * 10), IntegerField()), 0)
    rows = _members(scope, organization).annotate(kept=FilteredRelation("point_totals", condition=Q(point_totals__cycle=cycle)), tenths=tenths)
    single = book.version_for_cycle(book.default, cycle, today) if not book.by_path else None
    if single is not None:  # one rule version for everyone (the usual case): the database scores and sorts
        base, floor = int(single.base_score * 10), int(single.floor * 10)
        rows = rows.annotate(score=Greatest(Value(base) + F("tenths"), Value(floor))).order_by("-score", "pk")
    organizations = PartyOrganization.objects.filter(organization.subtree_q()) if organization is not None else PartyOrganization.objects.all()
    orgs = dict((pk, (name, path)) for pk, name, path in organizations.values_list("pk", "name", "path"))  # at most a district's ~2,000
    scoring: dict = {}  # organisation → (its name, base, floor, version) in tenths
    out, decimals = [], {}  # the few distinct values, made Decimal once
    append = out.append
    for pk, org_id, delta in rows.values_list("pk", "organization_id", "tenths"):
        rule = scoring.get(org_id)
        if rule is None:
            org_name, path = orgs[org_id]
            version = single or book.version_for_cycle(book.ruleset_for(path), cycle, today)
            rule = scoring[org_id] = (org_name, int(version.base_score * 10), int(version.floor * 10), version) if version else (org_name, 0, 0, None)
        org_name, base, floor, version = rule
        score = max(base + delta, floor)
        if score not in decimals:
            decimals[score] = Decimal(score).scaleb(-1)
        if delta not in decimals:
            decimals[delta] = Decimal(delta).scaleb(-1)
        value = decimals[score]
        append(Standing(pk, org_name, org_id, decimals[delta], value, grade_of(version, value) if version else None))
    if single is None:  # rule sets differ down the tree: scored here, sorted here
        out.sort(key=attrgetter("member_id"))
        out.sort(key=attrgetter("score"), reverse=True)  # stable: equal scores stay by member number
    previous, rank = None, 0
    for i, s in enumerate(out, start=1):
        if s.score != previous:
            rank, previous = i, s.score
        s.rank = rank
    return out


def with_names(rows: list[Standing]) -> list[Standing]:
    """Fill in the members' names (one query per 2,000 rows)."""
    for i in range(0, len(rows), 2000):
        chunk = rows[i:i + 2000]
        names = dict(PartyMember.objects.filter(pk__in=[s.member_id for s in chunk]).values_list("pk", "person__name"))
        for s in chunk:
            s.name = names.get(s.member_id, "")
    return rows


def members_named(*, scope: Scope, q: str) -> set[int]:
    """The 在册 members in scope whose name contains `q`."""
    return set(_members(scope, None).filter(person__name__contains=q).values_list("pk", flat=True))


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
    return _mean([s.score for s in standings(scope=scope, cycle=cycle, organization=organization, today=today)])


def average_scores(*, scope: Scope, organizations: list[PartyOrganization], cycle: int, today: dt.date | None = None) -> dict[int, Decimal | None]:
    """`average_score` of many organisations at once: one ranking of the scope, each member's score
    counted for every wanted organisation up its organisation's path."""
    wanted = {o.path: o.pk for o in organizations}
    rows = standings(scope=scope, cycle=cycle, today=today)
    paths = dict(PartyOrganization.objects.filter(pk__in={s.organization_id for s in rows}).values_list("pk", "path"))
    scores: dict[int, list[Decimal]] = {pk: [] for pk in wanted.values()}
    for s in rows:
        for ancestor in ancestor_paths(paths[s.organization_id], PartyOrganization.steplen):
            pk = wanted.get(ancestor)
            if pk is not None:
                scores[pk].append(s.score)
    return {pk: _mean(values) for pk, values in scores.items()}


def _mean(scores: list[Decimal]) -> Decimal | None:
    """None without members."""
    if not scores:
        return None
    return (sum(scores) / len(scores)).quantize(Decimal("0.1"))


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




@dataclass(frozen=True)
class ScoreSummary:
    members: int  # 在册 members scored
    mean: Decimal | None  # not rounded; None without members
    grades: dict[str, int]  # grade code → members


def score_summary(*, scope: Scope, cycle: int, today: dt.date | None = None) -> ScoreSummary:
    """How many 在册 members of the scope are scored for a cycle, their mean score and how many
    fall in each grade. With one rule version for everyone (the usual case) one aggregate query
    in the database; with rule sets differing down the tree, from `standings`."""
    today = today or timezone.localdate()
    book = RuleBook.load()
    single = book.version_for_cycle(book.default, cycle, today) if not book.by_path else None
    if single is None:
        rows = standings(scope=scope, cycle=cycle, today=today)
        mean = sum((s.score for s in rows), Decimal(0)) / len(rows) if rows else None
        return ScoreSummary(len(rows), mean, grade_counts(rows))
    tenths = Coalesce(Cast(Round(F("kept__total") * 10), IntegerField()), 0)
    base, floor = int(single.base_score * 10), int(single.floor * 10)
    rows = _members(scope, None).annotate(kept=FilteredRelation("point_totals", condition=Q(point_totals__cycle=cycle)),
                                         score=Greatest(Value(base) + tenths, Value(floor)))
    limits = [("excellent", single.excellent_min, None), ("pass", single.pass_min, single.excellent_min),
              ("basic", single.basic_min, single.pass_min), ("fail", None, single.basic_min)]
    counts = {code: Count("pk", filter=_between(low, high)) for code, low, high in limits}
    figures = rows.aggregate(members=Count("pk"), total=Sum("score"), **counts)
    members = figures.pop("members")
    total = figures.pop("total")
    mean = Decimal(total) / members / 10 if members else None
    return ScoreSummary(members, mean, figures)


def _between(low: Decimal | None, high: Decimal | None) -> Q:
    """A score (in tenths) at or above `low` and below `high`."""
    q = Q()
    if low is not None:
        q &= Q(score__gte=int(low * 10))
    if high is not None:
        q &= Q(score__lt=int(high * 10))
    return q
