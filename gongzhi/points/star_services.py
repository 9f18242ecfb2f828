"""Writing 五星支部 ratings: opening a year's evaluations with the indicators Gongzhi can fill,
adjusting a score (with its evidence when it differs from the system's), the innovation project
and 示范点, publishing (total and stars; read-only from then on), and re-reading the figures of
a draft.

Who rates: district administrators and street staff (区委组织部, 街道党工委), for the branches
under the places of those grants; every write is also checked against the request's scope.
The trail of a rating is on its rows: `evaluated_by` and `published_at` on the evaluation,
`adjusted_by` and `evidence` on each adjusted score.

Auto points: a rate × the indicator's maximum (三会一课落实率, 参会率, 党员教育覆盖率 for the
calendar year, up to today for the year still running); 党员平均积分 ÷ 100 × the maximum; both
capped at the maximum and rounded half up to 0.1. Indicators without a source start at 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.accounts.models import Role, RoleGrant
from gongzhi.core.scope import EVERYTHING, Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.org.selectors.places import community_around
from gongzhi.org.models import PartyOrganization
from gongzhi.org.selectors.common import Coverage
from gongzhi.partylife import selectors as partylife

from .models import EvaluationStatus, IndicatorScore, IndicatorSource, StarEvaluation, StarIndicator, StarScheme
from .selectors import average_score, average_scores
from .star_selectors import active_scheme, level_for, rateable_branches

EVALUATOR_ROLES = (Role.DISTRICT_ADMIN, Role.STREET_STAFF)
TENTH = Decimal("0.1")
FIRST_YEAR = 2000


def evaluator_scope(user) -> Scope:
    """The places under which `user` may rate branches: those of their 区委组织部 and 街道党工委
    grants (everything for a superuser; empty for anyone else)."""
    if user.is_superuser:
        return EVERYTHING
    paths = RoleGrant.objects.filter(user=user, role__in=EVALUATOR_ROLES, place__isnull=False).values_list("place__path", flat=True)
    return Scope.of(place_paths=list(paths))


def can_evaluate(user) -> bool:
    return not evaluator_scope(user).is_empty


def _require_evaluator(user, organization: PartyOrganization) -> None:
    if not evaluator_scope(user).contains(organization):
        raise PermissionDenied(_("只有区委组织部和街道党工委的工作人员可以评定本支部的星级。"))


def _require_draft(evaluation: StarEvaluation) -> None:
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(_("%(year)s年度%(org)s的星级评定已公布，不能再修改。") % {"year": evaluation.year, "org": evaluation.organization.name})


def _checked(*, scope: Scope, acting_user, evaluation: StarEvaluation) -> None:
    scope.require(evaluation)
    _require_evaluator(acting_user, evaluation.organization)
    _require_draft(evaluation)


# ---- the figures Gongzhi has for a branch's year -------------------------------------------------


@dataclass(frozen=True)
class Window:
    year: int
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, year: int, today: dt.date) -> Window:
        return cls(year, dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))

    @property
    def label(self) -> str:
        if self.end == dt.date(self.year, 12, 31):
            return _("%(y)s年") % {"y": self.year}
        return _("%(y)s年，截至%(m)s月%(d)s日") % {"y": self.year, "m": self.end.month, "d": self.end.day}


@dataclass(frozen=True)
class BranchFigures:
    compliance: Coverage | None
    attendance: Coverage | None
    education: Coverage | None
    average: Decimal | None


def _figures(scope: Scope, orgs: list[PartyOrganization], window: Window, today: dt.date) -> dict[int, BranchFigures]:
    """Each branch's figures, every kind for all of them in one pass (a refresh of one branch reads
    just that branch's records)."""
    only = orgs[0] if len(orgs) == 1 else None
    rows = partylife.compliance(scope=scope, start=window.start, end=window.end, organization=only)
    compliance = {c.organization.pk: c.coverage for c in rows}
    attendance = partylife.attendance_rates(scope=scope, start=window.start, end=window.end, organization=only)
    if only is not None:
        education = {only.pk: partylife.education_coverage(scope=scope, start=window.start, end=window.end, node=only)}
        averages = {only.pk: average_score(scope=scope, organization=only, cycle=window.year, today=today)}
    else:
        education = partylife.education_coverages(scope=scope, start=window.start, end=window.end, nodes=orgs)
        averages = average_scores(scope=scope, organizations=orgs, cycle=window.year, today=today)
    return {
        org.pk: BranchFigures(compliance=compliance.get(org.pk), attendance=attendance.get(org.pk), education=education[org.pk], average=averages[org.pk])
        for org in orgs
    }


def _capped(points: Decimal, maximum: Decimal) -> Decimal:
    return max(Decimal("0"), min(points, maximum)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _auto(indicator: StarIndicator, figures: BranchFigures, window: Window) -> tuple[Decimal | None, Decimal | None, str]:
    """(auto value, auto points, where they came from) for one indicator."""
    if indicator.source == IndicatorSource.NONE:
        return None, None, ""
    name = IndicatorSource(indicator.source).label
    if indicator.source == IndicatorSource.POINTS:
        if figures.average is None:
            return None, Decimal("0"), _("%(name)s：%(when)s无在册党员，计 0 分") % {"name": name, "when": window.label}
        points = _capped(figures.average / 100 * indicator.max_points, indicator.max_points)
        note = _("%(name)s %(avg)s 分（%(when)s，在册党员）") % {"name": name, "avg": figures.average, "when": window.label}
        return figures.average.quantize(Decimal("0.0001")), points, note
    coverage = {IndicatorSource.COMPLIANCE: figures.compliance, IndicatorSource.ATTENDANCE: figures.attendance,
                IndicatorSource.EDUCATION: figures.education}[indicator.source]
    if coverage is None or not coverage.denominator:
        return None, Decimal("0"), _("%(name)s：%(when)s无统计对象，计 0 分") % {"name": name, "when": window.label}
    n, d = Decimal(coverage.numerator), Decimal(coverage.denominator)
    note = _("%(name)s %(n)s/%(d)s = %(rate)s（%(when)s）") % {
        "name": name, "n": coverage.numerator, "d": coverage.denominator, "rate": f"{coverage.rate * 100:.1f}%", "when": window.label}
    return (n / d).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), _capped(n * indicator.max_points / d, indicator.max_points), note


def _fill(score: IndicatorScore, figures: BranchFigures, window: Window) -> None:
    """Set the auto columns; the points follow them unless an evaluator adjusted the score."""
    score.auto_value, score.auto_points, score.source_note = _auto(score.indicator, figures, window)
    if score.adjusted_by_id is None or score.points == (score.auto_points or 0):
        score.points = score.auto_points or Decimal("0")
        score.evidence, score.adjusted_by = "", None


# ---- opening and refreshing ---------------------------------------------------------------------


def _check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError({"year": _("年度应在 %(first)s 年至 %(this)s 年之间。") % {"first": FIRST_YEAR, "this": today.year}})


@transaction.atomic
def evaluations_open(*, scope: Scope, acting_user, year: int, scheme: StarScheme | None = None, today: dt.date | None = None) -> list[StarEvaluation]:
    """A draft evaluation for each branch in scope (and under the evaluator's grants) that has
    none for `year`, its sourced indicators filled from Gongzhi's records of that year."""
    today = today or timezone.localdate()
    _check_year(year, today)
    scheme = scheme or active_scheme()
    if scheme is None:
        raise ValidationError({"scheme": _("没有启用的星级评定标准，请先在“系统配置 › 星级评定标准”中设置。")})
    evaluator = evaluator_scope(acting_user)
    if evaluator.is_empty:
        raise PermissionDenied(_("只有区委组织部和街道党工委的工作人员可以开始星级评定。"))
    done = StarEvaluation.objects.filter(year=year).values("organization_id")
    orgs = list(evaluator.filter(rateable_branches(scope=scope)).exclude(pk__in=done))
    if not orgs:
        return []
    window = Window.of(year, today)
    figures = _figures(scope, orgs, window, today)
    indicators = list(scheme.indicators.all())
    created = StarEvaluation.objects.bulk_create(
        [StarEvaluation(organization=org, year=year, scheme=scheme, evaluated_by=acting_user) for org in orgs])
    scores = []
    for evaluation in created:
        for indicator in indicators:
            score = IndicatorScore(evaluation=evaluation, indicator=indicator)
            _fill(score, figures[evaluation.organization_id], window)
            scores.append(score)
    IndicatorScore.objects.bulk_create(scores)
    return created


@transaction.atomic
def evaluation_refresh(*, scope: Scope, acting_user, evaluation: StarEvaluation, today: dt.date | None = None) -> StarEvaluation:
    """Re-read the figures of a draft (meetings recorded late …): auto columns are updated; scores
    an evaluator adjusted keep their points and evidence."""
    _checked(scope=scope, acting_user=acting_user, evaluation=evaluation)
    today = today or timezone.localdate()
    window = Window.of(evaluation.year, today)
    figures = _figures(scope, [evaluation.organization], window, today)[evaluation.organization_id]
    scores = list(evaluation.scores.select_related("indicator"))
    existing = {s.indicator_id for s in scores}
    for indicator in evaluation.scheme.indicators.exclude(pk__in=existing):  # added to the criteria since
        scores.append(IndicatorScore(evaluation=evaluation, indicator=indicator))
    for score in scores:
        _fill(score, figures, window)
        score.save()
    evaluation.evaluated_by = acting_user
    evaluation.save(update_fields=["evaluated_by", "updated_at"])
    return evaluation


# ---- adjusting, details, publishing --------------------------------------------------------------


def _adjust(score: IndicatorScore, acting_user, points: Decimal, evidence: str) -> dict[str, str]:
    """Apply one score's points and evidence; the errors by field ("points", "evidence")."""
    indicator = score.indicator
    evidence = clean_text(evidence)
    if points is None:
        return {"points": _("请填写“%(name)s”的得分。") % {"name": indicator.name}}
    if points != points.quantize(TENTH):
        return {"points": _("“%(name)s”的得分最多保留一位小数。") % {"name": indicator.name}}
    if not Decimal("0") <= points <= indicator.max_points:
        return {"points": _("“%(name)s”的得分应在 0 至 %(max)s 分之间。") % {"name": indicator.name, "max": indicator.max_points}}
    auto = score.auto_points if score.auto_points is not None else Decimal("0")
    if points != auto and not evidence:
        return {"evidence": _("“%(name)s”的得分与系统计分（%(auto)s 分）不同，请填写调整依据。") % {"name": indicator.name, "auto": auto}}
    if len(evidence) > 200:
        return {"evidence": _("“%(name)s”的调整依据不能超过 200 字。") % {"name": indicator.name}}
    if (points, evidence) != (score.points, score.evidence):
        score.points, score.evidence = points, evidence
        score.adjusted_by = acting_user if points != auto else None
        score.save(update_fields=["points", "evidence", "adjusted_by"])
    return {}


@transaction.atomic
def score_adjust(*, scope: Scope, acting_user, evaluation: StarEvaluation, indicator: StarIndicator, points: Decimal, evidence: str = "") -> IndicatorScore:
    """Set one indicator's points (0 to its maximum); evidence is required when they differ from
    the system's points (0 for an indicator the evaluator fills)."""
    _checked(scope=scope, acting_user=acting_user, evaluation=evaluation)
    score = evaluation.scores.select_related("indicator").filter(indicator=indicator).first()
    if score is None:
        raise ValidationError({"indicator": _("该指标不属于本次评定的评定标准。")})
    if errors := _adjust(score, acting_user, points, evidence):
        raise ValidationError(errors)
    return score


def _details(evaluation: StarEvaluation, innovation_project: str, is_model_site: bool) -> dict[str, str]:
    innovation_project = clean_text(innovation_project)
    if len(innovation_project) > 200:
        return {"innovation_project": _("创新项目不能超过 200 字。")}
    evaluation.innovation_project, evaluation.is_model_site = innovation_project, bool(is_model_site)
    return {}


@transaction.atomic
def evaluation_update(*, scope: Scope, acting_user, evaluation: StarEvaluation, innovation_project: str, is_model_site: bool) -> StarEvaluation:
    """The innovation project (needed for 5★) and whether the branch is a 市级标杆式示范点."""
    _checked(scope=scope, acting_user=acting_user, evaluation=evaluation)
    if errors := _details(evaluation, innovation_project, is_model_site):
        raise ValidationError(errors)
    evaluation.evaluated_by = acting_user
    evaluation.save(update_fields=["innovation_project", "is_model_site", "evaluated_by", "updated_at"])
    return evaluation


@transaction.atomic
def evaluation_save(*, scope: Scope, acting_user, evaluation: StarEvaluation, scores: dict[int, tuple[Decimal | None, str]],
                    innovation_project: str, is_model_site: bool) -> StarEvaluation:
    """The evaluation page's one form: every score ({indicator id: (points, evidence)}) and the
    details, all or nothing. Errors are keyed `points_<indicator id>` / `evidence_<indicator id>`
    so that they land on the row."""
    _checked(scope=scope, acting_user=acting_user, evaluation=evaluation)
    errors = _details(evaluation, innovation_project, is_model_site)
    for score in evaluation.scores.select_related("indicator"):
        if score.indicator_id in scores:
            points, evidence = scores[score.indicator_id]
            errors |= {f"{key}_{score.indicator_id}": message for key, message in _adjust(score, acting_user, points, evidence).items()}
    if errors:
        raise ValidationError(errors)
    evaluation.evaluated_by = acting_user
    evaluation.save(update_fields=["innovation_project", "is_model_site", "evaluated_by", "updated_at"])
    return evaluation


@transaction.atomic
def evaluation_publish(*, scope: Scope, acting_user, evaluation: StarEvaluation) -> StarEvaluation:
    """Total the points and give the stars of the highest level reached whose conditions hold;
    from now on the evaluation is read-only (publicised for the scheme's `publicity_days`)."""
    _checked(scope=scope, acting_user=acting_user, evaluation=evaluation)
    evaluation.status = StarEvaluation.objects.select_for_update().values_list("status", flat=True).get(pk=evaluation.pk)
    _require_draft(evaluation)  # published meanwhile by someone else
    total = sum(evaluation.scores.values_list("points", flat=True), Decimal("0"))
    level = level_for(list(evaluation.scheme.levels.all()), total, bool(evaluation.innovation_project))
    evaluation.total, evaluation.stars = total, level.stars if level else 0
    evaluation.status, evaluation.published_at, evaluation.evaluated_by = EvaluationStatus.PUBLISHED, timezone.now(), acting_user
    evaluation.save(update_fields=["total", "stars", "status", "published_at", "evaluated_by", "updated_at"])
    _evaluation_notice(evaluation, acting_user)
    return evaluation


def _evaluation_notice(evaluation: StarEvaluation, acting_user) -> None:
    """The rating's 公示 on the 公开栏 of the 社区 the branch sits in (none for one above a 社区)."""
    org = evaluation.organization
    community = community_around(org.place)
    if community is None:
        return
    today = timezone.localdate(evaluation.published_at)
    values = {"org": org.name, "year": evaluation.year, "stars": evaluation.stars, "total": evaluation.total,
              "days": evaluation.scheme.publicity_days}
    notice_publish(community=community, kind=NoticeKind.PUBLICITY, source=evaluation, acting_user=acting_user,
                   starts_on=today, ends_on=today + dt.timedelta(days=evaluation.scheme.publicity_days),
                   title=record_text(gettext_noop("%(year)s年度五星支部评定公示：%(org)s"), values),
                   body=record_text(gettext_noop("%(org)s %(year)s年度评定总分 %(total)s 分，评定为 %(stars)s 星。"
                                                 "公示 %(days)s 天，如有异议请向社区党委反映。"), values))
