"""Matching needs with resources, and similar open needs with each other. Reads only.

`candidates` ranks resources for one need by a transparent score, the sum of four parts, each
shown with its reason as a Chinese sentence:
- fit: the resource has a skill, or is of a kind, that the need's category calls for
  (`MatchRule`, data) — a candidate must fit when the category has rules;
- nearness in the place tree: the level of the lowest place that holds both (same 楼栋 > same
  小区 > same 社区 > same 街道);
- availability: minus a penalty when the resource is marked unavailable or a 驻区单位's
  commitment has run out;
- load: minus a penalty for each open project the resource is committed to.
Active volunteers whose skills fit and who are not on the resources list yet are offered as well,
as people (人) where they live. The weights and the grouping window are `MatchingRules` (data).

`similar_needs` / `project_suggestions` group open needs not yet in a project that share a
category and a 小区 (else a 社区) and were registered within the window of each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.volunteers.models import Volunteer, VolunteerStatus

from .models import OPEN_NEED_Q, OPEN_PROJECT_STATUSES, MatchingRules, MatchRule, Need, Resource, ResourceKind

L = PlaceLevel


@dataclass
class Candidate:
    name: str
    kind: str
    place: Place
    resource: Resource | None = None
    volunteer: Volunteer | None = None
    parts: dict[str, int] = field(default_factory=dict)  # fit, nearness, availability, load
    reasons: list[str] = field(default_factory=list)
    load: int = 0

    @property
    def score(self) -> int:
        return sum(self.parts.values())

    @property
    def kind_label(self) -> str:
        return ResourceKind(self.kind).label


# ---- the score parts -------------------------------------------------------------------------------


def _nearness_table(rules: MatchingRules) -> dict[str, tuple[int, str]]:
    return {
        L.UNIT: (rules.same_building_points, _("同一楼栋")),
        L.BUILDING: (rules.same_building_points, _("同一楼栋")),
        L.COMPOUND: (rules.same_compound_points, _("同一小区")),
        L.COMMUNITY: (rules.same_community_points, _("同一社区")),
        L.STREET: (rules.same_street_points, _("同一街道")),
    }


def _common_level(need_levels: dict[str, str], path: str) -> str | None:
    """The level of the lowest place holding both the need's place and `path`."""
    best = None
    for ancestor, level in need_levels.items():  # root first
        if path.startswith(ancestor):
            best = level
    return best


def _nearness(candidate: Candidate, need_levels: dict[str, str], table) -> None:
    points, reason = table.get(_common_level(need_levels, candidate.place.path), (0, _("不在同一街道")))
    candidate.parts["nearness"] = points
    candidate.reasons.append(reason)


def _availability(candidate: Candidate, rules: MatchingRules, today: dt.date) -> None:
    resource = candidate.resource
    lapsed = resource is not None and resource.kind == ResourceKind.UNIT and resource.committed_until and resource.committed_until < today
    if resource is not None and not resource.available:
        note = f"（{resource.availability_note}）" if resource.availability_note else ""
        candidate.parts["availability"], reason = -rules.unavailable_penalty, _("暂不可用") + note
    elif lapsed:
        candidate.parts["availability"] = -rules.unavailable_penalty
        reason = _("承诺已于%(day)s到期") % {"day": f"{resource.committed_until:%Y-%m-%d}"}
    else:
        candidate.parts["availability"] = 0
        note = resource.availability_note if resource is not None else ""
        reason = _("可用（%(note)s）") % {"note": note} if note else _("可用")
    candidate.reasons.append(reason)


def _load(candidate: Candidate, rules: MatchingRules) -> None:
    candidate.parts["load"] = -rules.load_penalty * candidate.load
    if candidate.load:
        candidate.reasons.append(_("当前承担 %(n)s 个在办项目") % {"n": candidate.load})
    else:
        candidate.reasons.append(_("当前无在办项目"))


def _fit(candidate: Candidate, skill_names: list[str], kind_fits: bool, rules: MatchingRules) -> None:
    candidate.parts["fit"] = rules.fit_points if (skill_names or kind_fits) else 0
    if skill_names:
        candidate.reasons.append(_("技能对口：%(skills)s") % {"skills": "、".join(skill_names)})
    if kind_fits:
        candidate.reasons.append(_("类型对口：%(kind)s") % {"kind": candidate.kind_label})
    if not (skill_names or kind_fits):
        candidate.reasons.append(_("该类需求未设对口技能或资源类型"))


# ---- candidates ------------------------------------------------------------------------------------


def _resource_candidates(scope: Scope, fit_skills: dict[int, str], fit_kinds: set[str], has_rules: bool) -> list[tuple]:
    resources = scope.filter(Resource.objects.select_related("place", "volunteer"))
    if has_rules:
        fitting = Resource.objects.filter(Q(kind__in=fit_kinds) | Q(skills__in=fit_skills) | Q(volunteer__skills__in=fit_skills))
        resources = resources.filter(pk__in=fitting.values("pk"))
    resources = resources.annotate(load=Count("commitments", filter=Q(commitments__project__status__in=OPEN_PROJECT_STATUSES)))
    resources = list(resources.prefetch_related("skills", "volunteer__skills"))
    found = []
    for r in resources:
        skill_ids = {s.pk for s in r.skills.all()} | ({s.pk for s in r.volunteer.skills.all()} if r.volunteer_id else set())
        names = [name for pk, name in fit_skills.items() if pk in skill_ids]
        found.append((Candidate(name=r.name, kind=r.kind, place=r.place, resource=r, volunteer=r.volunteer, load=r.load), names, r.kind in fit_kinds))
    return found


def _volunteer_candidates(scope: Scope, fit_skills: dict[int, str], fit_kinds: set[str]) -> list[tuple]:
    """Active volunteers with a fitting skill who are not on the resources list: people, where they live."""
    if not fit_skills:
        return []
    volunteers = scope.filter(Volunteer.objects.filter(status=VolunteerStatus.ACTIVE, skills__in=fit_skills))
    volunteers = volunteers.exclude(resources__isnull=False).distinct().select_related("person__place").prefetch_related("skills")
    found = []
    for v in volunteers:
        names = [name for pk, name in fit_skills.items() if pk in {s.pk for s in v.skills.all()}]
        candidate = Candidate(name=v.person.name, kind=ResourceKind.PERSON, place=v.person.place, volunteer=v)
        candidate.reasons.append(_("志愿者名册（%(kind)s）") % {"kind": v.get_kind_display()})
        found.append((candidate, names, ResourceKind.PERSON in fit_kinds))
    return found


def candidates(*, scope: Scope, need: Need, limit: int = 10, include_volunteers: bool = True, today: dt.date | None = None) -> list[Candidate]:
    """Resources (and fitting volunteers) in scope for `need`, best first, each with its score
    parts and reasons. Ties go to the lighter load, then the nearer, then by name."""
    scope.require(need)
    rules, today = MatchingRules.current(), today or timezone.localdate()
    match_rules = list(MatchRule.objects.filter(category_id=need.category_id).select_related("skill").order_by("skill__order", "id"))
    fit_skills = {m.skill_id: m.skill.name for m in match_rules if m.skill_id}
    fit_kinds = {m.kind for m in match_rules if m.kind}
    found = _resource_candidates(scope, fit_skills, fit_kinds, bool(match_rules))
    if include_volunteers:
        found += _volunteer_candidates(scope, fit_skills, fit_kinds)
    paths = ancestor_paths(need.place.path, Place.steplen)
    need_levels = dict(Place.objects.filter(path__in=paths).order_by("depth").values_list("path", "level"))
    table = _nearness_table(rules)
    result = []
    for candidate, skill_names, kind_fits in found:
        _fit(candidate, skill_names, kind_fits, rules)
        _nearness(candidate, need_levels, table)
        _availability(candidate, rules, today)
        _load(candidate, rules)
        result.append(candidate)
    result.sort(key=lambda c: (-c.score, c.load, -c.parts["nearness"], c.name, c.resource.pk if c.resource else 0))
    return result[:limit]


# ---- similar needs ---------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """Several similar open needs that could form one project, and why."""

    needs: list[Need]
    place: Place
    category_name: str
    reason: str


_GROUP_LEVELS = (L.COMPOUND, L.COMMUNITY)


def _group_places(paths) -> dict[str, Place]:
    """The 小区 and 社区 above the given places, by path."""
    wanted = {p for path in paths for p in ancestor_paths(path, Place.steplen)}
    return {p.path: p for p in Place.objects.filter(path__in=wanted, level__in=_GROUP_LEVELS)}


def _group_at(path: str, level: str, groups: dict[str, Place]) -> Place | None:
    for ancestor in reversed(ancestor_paths(path, Place.steplen)):
        place = groups.get(ancestor)
        if place is not None and place.level == level:
            return place
    return None


def _windows(needs: list[Need], days: int) -> list[list[Need]]:
    """Needs (sorted by time) cut into runs whose first and last lie within `days` of each other."""
    runs: list[list[Need]] = []
    for need in needs:
        if runs and need.registered_at - runs[-1][0].registered_at <= dt.timedelta(days=days):
            runs[-1].append(need)
        else:
            runs.append([need])
    return runs


def _reason(group: list[Need], place: Place, rules: MatchingRules) -> str:
    where = _("同一小区") if place.level == L.COMPOUND else _("同一社区")
    return _("%(where)s（%(place)s）的%(n)s项“%(category)s”需求，登记时间相差不超过%(days)s天，建议合并为一个项目办理") % {
        "where": where, "place": place.name, "n": len(group), "category": group[0].category.name, "days": rules.similar_within_days}


def _suggest(needs: list[Need], rules: MatchingRules) -> list[Suggestion]:
    """By category and 小区 first; needs left alone there are grouped by category and 社区."""
    groups = _group_places(n.place.path for n in needs)
    suggestions, left = [], needs
    for level in _GROUP_LEVELS:
        buckets: dict[tuple, list[Need]] = defaultdict(list)
        alone = []
        for n in left:
            place = _group_at(n.place.path, level, groups)
            if place is None:
                alone.append(n)
            else:
                buckets[(n.category_id, place.pk)].append(n)
        for bucket in buckets.values():
            for run in _windows(sorted(bucket, key=lambda n: (n.registered_at, n.pk)), rules.similar_within_days):
                if len(run) >= max(rules.min_group_size, 2):
                    place = _group_at(run[0].place.path, level, groups)
                    suggestions.append(Suggestion(needs=run, place=place, category_name=run[0].category.name, reason=_reason(run, place, rules)))
                else:
                    alone.extend(run)
        left = alone
    suggestions.sort(key=lambda s: (-len(s.needs), s.needs[0].registered_at))
    return suggestions


def _open_unassigned(scope: Scope):
    return scope.filter(Need.objects.filter(OPEN_NEED_Q, project__isnull=True).select_related("category", "place"))


def project_suggestions(*, scope: Scope, within: Place | None = None) -> list[Suggestion]:
    """Groups of similar open needs in scope (and under `within`, a place), not yet in a project,
    suggested to form one project each; the largest groups first."""
    needs = _open_unassigned(scope)
    if within is not None:
        needs = needs.filter(within.subtree_q("place__path"))
    return _suggest(list(needs), MatchingRules.current())


def similar_needs(*, scope: Scope, need: Need) -> Suggestion | None:
    """The group `need` would join: open needs in scope of the same category in its 小区 (else
    社区) registered within the window of it, not yet in a project; None when there are none."""
    scope.require(need)
    rules = MatchingRules.current()
    window = dt.timedelta(days=rules.similar_within_days)
    nearby = _open_unassigned(scope).filter(category_id=need.category_id, registered_at__gte=need.registered_at - window,
                                           registered_at__lte=need.registered_at + window)
    groups = _group_places([need.place.path])
    for level in _GROUP_LEVELS:
        place = _group_at(need.place.path, level, groups)
        if place is None:
            continue
        others = list(nearby.filter(place.subtree_q("place__path")).exclude(pk=need.pk).order_by("registered_at", "id"))
        if others:
            group = sorted([need, *others], key=lambda n: (n.registered_at, n.pk))
            return Suggestion(needs=group, place=place, category_name=need.category.name, reason=_reason(group, place, rules))
    return None
