"""The mediation stage on the hand-made district: every 社区 gets mediators and cases that obey
the rules (numbers per 社区 and year, due dates, agreements with a session, a few open)."""

import datetime as dt
import random

from gongzhi.demo.mediation import mediation_history
from gongzhi.mediation.models import Case, CaseStatus, Mediator


def test_mediation_stage(world):
    tally = mediation_history(rng=random.Random(7), as_of=dt.date(2026, 11, 27), bulk=True, progress=lambda line: None)
    assert tally["mediation_cases"] == Case.objects.count() > 20
    assert set(Mediator.objects.values_list("community__name", flat=True)) == {"幸福社区", "和平社区", "南山社区"}
    for case in Case.objects.filter(status=CaseStatus.AGREED)[:20]:
        assert case.sessions.exists() and case.terms and case.confirm_until == case.closed_on + dt.timedelta(days=30)
        assert case.due_on == case.received_on + dt.timedelta(days=30)
    assert Case.objects.filter(status__in=("received", "mediating")).exists()
    assert Mediator.objects.filter(user__username="tiaojie1").count() == 1
