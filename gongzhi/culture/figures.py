"""The 德治 app's numbers for a scope and a period (what `culture.indicators` and the overview
quote): 家风 stories collected and published, campaigns held, votes cast, honours awarded,
publicity items by kind; each in one query, and by 社区 in one more."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from gongzhi.core.scope import Scope

from .models import Campaign, FamilyStory, Nomination, PublicityRecord, Vote


def day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after `end` 00:00) in Beijing time."""
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(start, dt.time.min, tzinfo=tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def _moment(field: str, start: dt.date, end: dt.date) -> Q:
    since, until = day_range(start, end)
    return Q(**{f"{field}__gte": since, f"{field}__lt": until})


# name -> (model, the filter for [start, end], the path to the 社区, what to add up: None counts rows)
MEASURES = {
    "stories_collected": (FamilyStory, lambda s, e: Q(collected_on__range=(s, e)), "community_id", None),
    "stories_published": (FamilyStory, lambda s, e: _moment("published_at", s, e), "community_id", None),
    "campaigns_held": (Campaign, lambda s, e: _moment("results_published_at", s, e), "community_id", None),
    "votes_cast": (Vote, lambda s, e: _moment("cast_at", s, e), "campaign__community_id", None),
    "honours_awarded": (Nomination, lambda s, e: Q(elected=True) & _moment("campaign__results_published_at", s, e), "campaign__community_id", None),
}


def _rows(scope: Scope, measure: str, start: dt.date, end: dt.date, kind_code: str = ""):
    if measure == "publicity":
        return scope.filter(PublicityRecord.objects.filter(made_on__range=(start, end), kind__code=kind_code)), "community_id", "count"
    model, where, community, summed = MEASURES[measure]
    return scope.filter(model.objects.filter(where(start, end))), community, summed


def total(*, scope: Scope, measure: str, start: dt.date, end: dt.date, kind_code: str = "") -> int:
    rows, _community, summed = _rows(scope, measure, start, end, kind_code)
    if summed:
        return rows.order_by().aggregate(n=Sum(summed))["n"] or 0
    return rows.count()


def by_community(*, scope: Scope, measure: str, start: dt.date, end: dt.date, kind_code: str = "") -> dict[int, int]:
    rows, community, summed = _rows(scope, measure, start, end, kind_code)
    value = Sum(summed) if summed else Count("id")
    return dict(rows.order_by().values_list(community).annotate(n=value))


