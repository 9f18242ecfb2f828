"""Reading 五星支部 ratings: the branches that are rated, one evaluation with its indicator
scores, a year's ratings for any scope (with last year's stars beside them), a branch's history,
and the summary by star level with warnings where a level's share strays from what the criteria
set expects.

Which organisations are rated: those with frequency rules (partylife) whose kind holds a
支部党员大会 (a meeting type with a members' quorum). A 党小组 holds meetings too but is not a
支部; the rule is read from the data, not from kind codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.partylife.selectors import branches as partylife_branches

from .models import EvaluationStatus, IndicatorScore, StarEvaluation, StarLevel, StarScheme

SHARE_TOLERANCE = Decimal("0.05")  # a level's share this far from its expected share is flagged (5 个百分点)


def rateable_branches(*, scope: Scope) -> QuerySet[PartyOrganization]:
    """The 支部 in scope (partylife's rule: a kind whose frequency rules hold a 支部党员大会)."""
    return partylife_branches(scope=scope).select_related("kind", "place")


def active_scheme() -> StarScheme | None:
    return StarScheme.objects.filter(is_active=True).order_by("-created_at", "-pk").first()


def level_for(levels: list[StarLevel], total: Decimal, has_innovation: bool) -> StarLevel | None:
    """The highest level whose minimum the total reaches and whose conditions hold (5★ needs an
    innovation project: without one, a 95 is a 4★)."""
    for level in sorted(levels, key=lambda lv: -lv.stars):
        if total >= level.min_score and (has_innovation or not level.needs_innovation):
            return level
    return None


def default_year(today: dt.date) -> int:
    """Ratings are made in the first quarter for the year before: last year's is the one to look at."""
    return today.year - 1


def years_to_choose(*, scope: Scope, today: dt.date) -> list[int]:
    """This year and the five before it, and any other year rated in scope, newest first."""
    rated = scope.filter(StarEvaluation.objects.all()).values_list("year", flat=True).distinct().order_by()
    return sorted(set(range(today.year - 5, today.year + 1)) | set(rated), reverse=True)


# ---- one evaluation -----------------------------------------------------------------------------


def evaluation_get(*, scope: Scope, pk) -> StarEvaluation:
    qs = StarEvaluation.objects.select_related("organization__kind", "organization__place", "scheme", "evaluated_by")
    return scope.get(qs, pk=pk)


def evaluation_scores(*, evaluation: StarEvaluation) -> list[IndicatorScore]:
    return list(evaluation.scores.select_related("indicator", "adjusted_by").order_by("indicator__order", "indicator_id"))


def evaluation_preview(*, evaluation: StarEvaluation, scores: list[IndicatorScore]) -> tuple[Decimal, StarLevel | None]:
    """The total of the points entered so far and the level it would be published at."""
    total = sum((s.points for s in scores), Decimal("0"))
    return total, level_for(list(evaluation.scheme.levels.all()), total, bool(evaluation.innovation_project))


# ---- a year's ratings and a branch's history -----------------------------------------------------


def _rating(year: int, column: str, published_only: bool = False, output=None):
    rows = StarEvaluation.objects.filter(organization=OuterRef("pk"), year=year)
    if published_only:
        rows = rows.filter(status=EvaluationStatus.PUBLISHED)
    return Subquery(rows.values(column)[:1], output_field=output)


def branch_ratings(*, scope: Scope, year: int, node: PartyOrganization | None = None, stars: int | None = None) -> QuerySet[PartyOrganization]:
    """Every 支部 in scope (in `node`'s subtree), in tree order, with its evaluation of `year`
    (`evaluation_id`, `rating_status`, `rating_stars`, `rating_total`, `model_site`; None when not
    opened) and last year's published stars (`previous_stars`). With `stars`, only the branches
    published at that level (0: those without a published rating)."""
    qs = rateable_branches(scope=scope).annotate(
        evaluation_id=_rating(year, "pk", output=IntegerField()),
        rating_status=_rating(year, "status"),
        rating_stars=_rating(year, "stars", published_only=True, output=IntegerField()),
        rating_total=_rating(year, "total", published_only=True, output=DecimalField(max_digits=6, decimal_places=1)),
        model_site=_rating(year, "is_model_site", output=BooleanField()),
        previous_stars=_rating(year - 1, "stars", published_only=True, output=IntegerField()),
    )
    if node is not None:
        qs = qs.filter(node.subtree_q())
    if stars == 0:
        qs = qs.exclude(pk__in=StarEvaluation.objects.filter(year=year, status=EvaluationStatus.PUBLISHED).values("organization_id"))
    elif stars is not None:
        qs = qs.filter(pk__in=StarEvaluation.objects.filter(year=year, status=EvaluationStatus.PUBLISHED, stars=stars).values("organization_id"))
    return qs.order_by("path")


def change(stars: int | None, previous: int | None) -> int | None:
    """Stars gained (+) or lost (−) since the year before; None when either year is not published."""
    return None if stars is None or previous is None else stars - previous


def branch_history(*, scope: Scope, organization: PartyOrganization) -> list[StarEvaluation]:
    """A branch's evaluations, newest first, each with `.change` against the year before it
    (published ratings of consecutive years only)."""
    rows = list(scope.filter(StarEvaluation.objects.filter(organization=organization)).select_related("evaluated_by").order_by("-year"))
    published = {e.year: e.stars for e in rows if e.status == EvaluationStatus.PUBLISHED}
    for e in rows:
        e.change = change(published.get(e.year), published.get(e.year - 1))
    return rows


# ---- the summary by star level ------------------------------------------------------------------


@dataclass
class LevelRow:
    stars: int
    min_score: Decimal | None
    needs_innovation: bool
    expected_share: Decimal | None
    count: int = 0
    share: Decimal | None = None  # of the published ratings

    @property
    def label(self) -> str:
        return _("%(n)s星") % {"n": self.stars}

    @property
    def note(self) -> str:
        share = "—" if self.share is None else f"{self.share * 100:.1f}%"
        if self.expected_share is None:
            return _("占 %(share)s") % {"share": share}
        return _("占 %(share)s · 预期约 %(expected)s") % {"share": share, "expected": f"{self.expected_share * 100:.0f}%"}


@dataclass
class StarSummary:
    year: int
    branches: int  # 支部 in scope
    published: int
    drafts: int
    model_sites: int
    levels: list[LevelRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unrated(self) -> int:
        """Branches without a published rating (drafts included)."""
        return self.branches - self.published


def _share_warning(row: LevelRow, published: int) -> str | None:
    """Above the expected share by more than the tolerance; or below it, when at least one branch
    would be expected at the level (none of 3 branches being 5★ is no news)."""
    if row.share is None or row.expected_share is None:
        return None
    figures = {"level": row.label, "share": f"{row.share * 100:.1f}%", "expected": f"{row.expected_share * 100:.0f}%",
               "points": f"{SHARE_TOLERANCE * 100:.0f}"}
    if row.share > row.expected_share + SHARE_TOLERANCE:
        return _("%(level)s支部占 %(share)s，高于预期的约 %(expected)s 超过 %(points)s 个百分点，请复核评定尺度。") % figures
    if row.share < row.expected_share - SHARE_TOLERANCE and row.expected_share * published >= 1:
        return _("%(level)s支部占 %(share)s，低于预期的约 %(expected)s 超过 %(points)s 个百分点。") % figures
    return None


def _evaluations(scope: Scope, year: int) -> QuerySet[StarEvaluation]:
    """The year's evaluations of the 支部 in scope."""
    return scope.filter(StarEvaluation.objects.filter(year=year, organization__in=rateable_branches(scope=scope).values("pk")))


@dataclass(frozen=True)
class StarCounts:
    published: int
    five_star: int
    model_sites: int  # published and 市级标杆式示范点
    stars_total: int  # the stars of the published ratings, summed


def star_counts(*, scope: Scope, year: int) -> StarCounts:
    """The year's published ratings of the 支部 in scope: how many, how many 5★, how many 示范点
    and their stars in all (one aggregate query; the same ratings `star_summary` counts)."""
    published = Q(status=EvaluationStatus.PUBLISHED)
    figures = _evaluations(scope, year).aggregate(
        published=Count("pk", filter=published), five_star=Count("pk", filter=published & Q(stars=5)),
        model_sites=Count("pk", filter=published & Q(is_model_site=True)), stars_total=Sum("stars", filter=published),
    )
    return StarCounts(figures["published"], figures["five_star"], figures["model_sites"], figures["stars_total"] or 0)


def star_summary(*, scope: Scope, year: int, node: PartyOrganization | None = None) -> StarSummary:
    """Per star level: published ratings and their share; branches not yet rated; 示范点. Counted
    in the database (a few grouped queries however many branches)."""
    branches = rateable_branches(scope=scope)
    evaluations = _evaluations(scope, year)
    if node is not None:
        branches = branches.filter(node.subtree_q())
        evaluations = evaluations.filter(node.subtree_q("organization__path"))
    figures = evaluations.aggregate(
        published=Count("pk", filter=Q(status=EvaluationStatus.PUBLISHED)), drafts=Count("pk", filter=Q(status=EvaluationStatus.DRAFT)),
        model_sites=Count("pk", filter=Q(status=EvaluationStatus.PUBLISHED, is_model_site=True)),
    )
    by_stars = dict(evaluations.filter(status=EvaluationStatus.PUBLISHED).values_list("stars").annotate(n=Count("pk")).order_by())
    scheme = next((e.scheme for e in evaluations.select_related("scheme")[:1]), None) or active_scheme()
    levels = list(scheme.levels.all()) if scheme else []
    summary = StarSummary(year=year, branches=branches.count(), published=figures["published"], drafts=figures["drafts"],
                          model_sites=figures["model_sites"])
    known = {lv.stars: LevelRow(lv.stars, lv.min_score, lv.needs_innovation, lv.expected_share) for lv in levels}
    for stars in set(by_stars) - set(known):  # a level since removed from the criteria
        known[stars] = LevelRow(stars, None, False, None)
    for stars, row in sorted(known.items(), reverse=True):
        row.count = by_stars.get(stars, 0)
        if summary.published:
            row.share = (Decimal(row.count) / summary.published).quantize(Decimal("0.0001"))
        summary.levels.append(row)
        if (warning := _share_warning(row, summary.published)) is not None:
            summary.warnings.append(warning)
    return summary


def star_choices_for(value: str | None) -> int | None:
    """?stars= as 0..5 (0: not rated), else None."""
    try:
        stars = int(value)
    except (TypeError, ValueError):
        return None
    return stars if 0 <= stars <= 5 else None

