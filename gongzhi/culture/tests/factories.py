"""Test data of the 德治 app: campaigns in a chosen phase, nominations, stories, publicity."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongzhi.core import pii
from gongzhi.culture.models import AwardCategory, Campaign, FamilyStory, Nomination, NominationStatus, PublicityKind, PublicityRecord

# Day offsets (nominate_from, nominate_until, vote_from, vote_until) from today, by phase.
PHASES = {
    "upcoming": (2, 5, 7, 10),
    "nominating": (-2, 3, 5, 8),
    "reviewing": (-6, -1, 2, 5),
    "voting": (-10, -5, -1, 3),
    "counting": (-20, -15, -10, -1),
}


def category(name: str = "好婆婆") -> AwardCategory:
    return AwardCategory.objects.get(community__isnull=True, name=name)


def campaign(community, phase: str = "voting", *, seats: int = 2, tie_rule: str = "flag", title: str = "重阳节好婆婆评选",
             today: dt.date | None = None, **extra) -> Campaign:
    today = today or timezone.localdate()
    a, b, c, d = (today + dt.timedelta(days=n) for n in PHASES[phase])
    return Campaign.objects.create(community=community, category=extra.pop("category", None) or category(), title=title, seats=seats,
                                   tie_rule=tie_rule, nominate_from=a, nominate_until=b, vote_from=c, vote_until=d, **extra)


def nomination(campaign, person, *, status: str = NominationStatus.ACCEPTED, reason: str = "照顾瘫痪婆婆十年如一日") -> Nomination:
    return Nomination.objects.create(campaign=campaign, person=person, reason=reason, nominator_kind="staff", nominator="社区居委会",
                                     status=status)


def id_of(person) -> str:
    """A resident's ID number in the clear (as the resident types it)."""
    return pii.decrypt(person.id_number_enc)


def story(community, *, published: bool = False, title: str = "勤俭持家", **extra) -> FamilyStory:
    return FamilyStory.objects.create(community=community, kind=extra.pop("kind", "story"), family_name=extra.pop("family_name", "王家"),
                                      title=title, text=extra.pop("text", "王家三代人勤俭持家、邻里和睦。"),
                                      collected_on=extra.pop("collected_on", timezone.localdate()),
                                      published_at=timezone.now() if published else None, **extra)


def publicity(community, code: str, count: int, made_on: dt.date, topic: str = "弘扬好家风") -> PublicityRecord:
    return PublicityRecord.objects.create(community=community, kind=PublicityKind.objects.get(code=code), count=count, made_on=made_on, topic=topic)
