"""The 德治 demo stage on the hand-made district: stories (most published to the board), past
selections with published results that match their votes, one open for voting, publicity."""

import random

from django.utils import timezone

from gongzhi.culture.models import Campaign, FamilyStory, Nomination, PublicityRecord, Vote
from gongzhi.culture.services import campaign_tally
from gongzhi.demo.culture import culture_history
from gongzhi.notices.models import Notice
from gongzhi.people.tests.factories import PersonFactory


def test_culture_history(world):
    for _i in range(20):  # enough residents in 幸福社区 for a selection
        PersonFactory(place=world.B1)
    tally = culture_history(rng=random.Random(7), as_of=timezone.localdate(), bulk=False, progress=lambda line: None)
    assert tally["culture_stories"] == FamilyStory.objects.count() >= 9
    published = FamilyStory.objects.filter(published_at__isnull=False).count()
    assert Notice.objects.filter(kind="announcement").count() == published > 0
    assert set(Campaign.objects.values_list("community__name", flat=True)) == {"幸福社区"}
    done = Campaign.objects.filter(results_published_at__isnull=False)
    assert Notice.objects.filter(kind="honour").count() == done.count()
    for c in done:
        assert {r.nomination.pk: r.votes for r in campaign_tally(c)} == dict(
            Nomination.objects.filter(campaign=c, status="accepted").values_list("pk", "votes"))
    assert Campaign.objects.filter(results_published_at__isnull=True).count() == 2
    assert tally["culture_votes"] == Vote.objects.count() > 0
    assert PublicityRecord.objects.filter(community=world.C2).exists()
