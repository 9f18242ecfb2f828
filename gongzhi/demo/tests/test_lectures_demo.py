"""The 法治讲座 demo stage on the hand-made district: plausible records in states the flow allows."""

import datetime as dt
import random

from django.utils import timezone

from gongzhi.demo.lectures import lectures_history
from gongzhi.lectures import flow
from gongzhi.lectures.models import Feedback, LectureOrder, LectureRequest, OrderStatus, OrderStep, RequestStatus, Teacher


def test_lectures_history(world):
    from gongzhi.people.tests.factories import PersonFactory

    for i in range(30):  # enough residents for a 社区 to take part
        PersonFactory(name=f"居民{i}", place=world.B1)
    tally = lectures_history(rng=random.Random(7), as_of=timezone.localdate(), bulk=False, progress=lambda line: None)
    assert tally["lecture_teachers"] == Teacher.objects.count() >= 6
    assert tally["lecture_orders"] == LectureOrder.objects.count() > 0
    assert tally["lecture_held"] > 0 and Feedback.objects.count() == tally["lecture_feedback"] > 0
    for order in LectureOrder.objects.all():
        steps = list(order.steps.order_by("at", "id").values_list("from_status", "to_status"))
        assert steps[0] == ("", OrderStatus.ASKED) and steps[-1][1] == order.status
        for frm, to in steps[1:]:
            assert to in flow.ORDER_MOVES[frm], (frm, to)
        if order.status in (OrderStatus.HELD, OrderStatus.CLOSED):
            assert order.attendance is not None
            assert not order.requests.exclude(status=RequestStatus.ANSWERED).exists()
    assert OrderStep.objects.filter(to_status=OrderStatus.HELD).count() == tally["lecture_held"]
    assert LectureRequest.objects.filter(created_at__date__lt=timezone.localdate() - dt.timedelta(days=100)).exists()  # back-dated
