"""Reads of the 德治 app. Staff reads take `scope` and start from `scope.filter(...)`: what lies
outside the user's subtree is never read, and a detail lookup outside it is the same 404 as a
missing row. The public reads (no login) read only what a 社区 has published."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel

from .models import AwardCategory, Campaign, FamilyStory, NominationStatus, PublicityKind, PublicityRecord

# ---- stories ---------------------------------------------------------------------------------------


def story_list(*, scope: Scope, community=None, kind: str = "", published: str = "", q: str = ""):
    stories = scope.filter(FamilyStory.objects.select_related("community"))
    if community is not None:
        stories = stories.filter(community=community)
    if kind:
        stories = stories.filter(kind=kind)
    if published == "yes":
        stories = stories.filter(published_at__isnull=False)
    elif published == "no":
        stories = stories.filter(published_at__isnull=True)
    if q:
        stories = stories.filter(Q(title__contains=q) | Q(family_name__contains=q))
    return stories.order_by("-collected_on", "-id")


def story_get(*, scope: Scope, pk) -> FamilyStory:
    return scope.get(FamilyStory.objects.select_related("community", "household__place", "recorded_by"), pk=pk)


# ---- campaigns -------------------------------------------------------------------------------------


def award_categories(*, scope: Scope):
    """Active categories a campaign in scope may take: the district's and the user's 社区's own."""
    return AwardCategory.objects.filter(Q(community__isnull=True) | scope.q(place="community__path"), active=True).order_by("order", "id")


def campaign_list(*, scope: Scope, community=None, category=None, q: str = ""):
    campaigns = scope.filter(Campaign.objects.select_related("community", "category")).annotate(
        nominee_count=Count("nominations", filter=Q(nominations__status=NominationStatus.ACCEPTED), distinct=True))
    if community is not None:
        campaigns = campaigns.filter(community=community)
    if category is not None:
        campaigns = campaigns.filter(category=category)
    if q:
        campaigns = campaigns.filter(title__contains=q)
    return campaigns.order_by("-vote_until", "-id")


def campaign_get(*, scope: Scope, pk) -> Campaign:
    return scope.get(Campaign.objects.select_related("community", "category", "recorded_by"), pk=pk)


def nomination_rows(*, campaign: Campaign):
    """A campaign's nominations with their votes so far (one query)."""
    return (campaign.nominations.select_related("person__place", "reviewed_by").annotate(ballot_count=Count("ballots"))
            .order_by("status", "-ballot_count", "id"))


def vote_count(*, campaign: Campaign) -> int:
    return campaign.votes.count()


# ---- publicity -------------------------------------------------------------------------------------


def publicity_kinds():
    return PublicityKind.objects.filter(active=True).order_by("order", "id")


def publicity_list(*, scope: Scope, community=None, kind=None, start: dt.date | None = None, end: dt.date | None = None, q: str = ""):
    records = scope.filter(PublicityRecord.objects.select_related("community", "kind", "recorded_by"))
    if community is not None:
        records = records.filter(community=community)
    if kind is not None:
        records = records.filter(kind=kind)
    if start is not None:
        records = records.filter(made_on__gte=start)
    if end is not None:
        records = records.filter(made_on__lte=end)
    if q:
        records = records.filter(topic__contains=q)
    return records.order_by("-made_on", "-id")


def publicity_get(*, scope: Scope, pk) -> PublicityRecord:
    return scope.get(PublicityRecord.objects.select_related("community", "kind"), pk=pk)


def publicity_totals(records) -> list[tuple[PublicityKind, int, int]]:
    """(kind, items, records) for every active kind over `records` (one query, zeros included)."""
    sums = {row["kind_id"]: (row["items"], row["n"]) for row in records.order_by().values("kind_id").annotate(items=Sum("count"), n=Count("id"))}
    return [(k, *sums.get(k.pk, (0, 0))) for k in publicity_kinds()]


# ---- public pages ----------------------------------------------------------------------------------


def public_community(pk) -> Place:
    community = Place.objects.filter(pk=pk, level=PlaceLevel.COMMUNITY).only("name", "path", "level").first()
    if community is None:
        raise Http404(_("不存在或无权查看。"))
    return community


def public_stories(*, community: Place):
    return FamilyStory.objects.filter(community=community, published_at__isnull=False).order_by("-published_at", "-id")


def public_campaigns(*, community: Place, today: dt.date):
    """Campaigns residents may look at: voting now or soon (after nominations closed), and those
    with published results."""
    return (Campaign.objects.filter(community=community).filter(Q(results_published_at__isnull=False) | Q(nominate_until__lt=today))
            .select_related("category").order_by("-vote_until", "-id"))


def public_campaign(*, community: Place, pk, today: dt.date) -> Campaign:
    campaign = public_campaigns(community=community, today=today).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("不存在或无权查看。"))
    return campaign


def public_nominees(*, campaign: Campaign):
    """The accepted nominees (public by nature: names in full), with their 事迹; the voters are
    never read."""
    return (campaign.nominations.filter(status=NominationStatus.ACCEPTED).select_related("person")
            .only("person__name", "reason", "votes", "rank", "elected", "campaign_id").order_by("rank", "id"))
