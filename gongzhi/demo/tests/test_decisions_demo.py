"""The 民主决策 demo stage on the hand-made district: matters in every 社区, records in step order
whose outcomes match the thresholds, the 公开 steps on the notice board, 公约 filed."""

import random

from django.utils import timezone

from gongzhi.decisions.models import ConventionVersion, Matter, StepRecord
from gongzhi.decisions.services import evaluate
from gongzhi.demo.decisions import decisions_history
from gongzhi.notices.models import Notice


def test_decisions_history(world):
    tally = decisions_history(rng=random.Random(7), as_of=timezone.localdate(), bulk=False, progress=lambda line: None)
    assert tally["decision_matters"] == Matter.objects.count() >= 6
    assert set(Matter.objects.values_list("community__name", flat=True)) == {"幸福社区", "和平社区", "南山社区"}
    for r in StepRecord.objects.select_related("step"):
        assert (r.outcome == "passed") == evaluate(r.step, due=r.due_count, present=r.present_count, votes_for=r.votes_for).passed
    for m in Matter.objects.filter(status="ended"):
        assert list(m.records.filter(outcome="passed").values_list("step__order", flat=True).order_by("id"))[-1] == 6
    assert Notice.objects.filter(kind__in=("resolution", "result")).count() == tally["decision_notices"]
    assert ConventionVersion.objects.filter(filed_on__isnull=False).count() == tally["conventions"]
