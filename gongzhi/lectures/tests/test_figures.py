"""The figures, worked by hand.

In 2026 (C1 and C2 under S1):
  C1: requests made 4 (张三 ×2 topics, 李四, 王五); lecture A held 2026-03-10 with 30, answering 2
      of them; lecture B held 2026-05-20 with 50, answering 1; lecture C accepted, not held.
      Ratings on A: 5, 4; on B: 3.
  C2: request made 1 (赵六), none answered; lecture D held 2026-04-01 with 20, no request; rating 2.
  A 2025 C1 lecture (held 2025-12-30, 99 attending, rated 1) and a 2025 request lie outside.
So for S1: held 3, attendance 30+50+20 = 100, 点单响应率 3 answered ÷ 5 made = 60%, average rating
(5+4+3+2)/4 = 3.5; for C1: 2, 80, 3/4 = 75%, (5+4+3)/3 = 4.0; for C2: 1, 20, 0/1 = 0%, 2.0.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.core.indicators import Period, get
from gongzhi.lectures import services
from gongzhi.lectures.models import LectureOrder, LectureRequest

from . import factories as f

TZ = timezone.get_default_timezone()


def _at(day: dt.date, hour=19):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _made_on(request, day):
    LectureRequest.objects.filter(pk=request.pk).update(created_at=_at(day, 9))


def _lecture(community, teacher, requests, day, attendance, ratings, people):
    o = f.order(community, [teacher], requests)
    f.accepted(o, teacher)
    o = f.held(o, attendance=attendance, at=_at(day))
    for rating, person in zip(ratings, people):
        services.feedback_give(order=o, person=person, rating=rating)
    return o


@pytest.fixture
def year(world):
    w = world
    t = f.teacher(w.D)
    r = [f.request(w.C1, w.zhangsan), f.request(w.C1, w.zhangsan, title="继承与遗嘱"), f.request(w.C1, w.lisi, title="劳动合同与工资报酬"),
         f.request(w.C1, w.wangwu, title="老年人权益保障")]
    r2 = f.request(w.C2, w.zhaoliu)
    old = f.request(w.C1, w.lisi, title="养老诈骗防范")
    for x in (*r, r2):
        _made_on(x, dt.date(2026, 2, 1))
    _made_on(old, dt.date(2025, 11, 1))
    _lecture(w.C1, t, r[:2], dt.date(2026, 3, 10), 30, [5, 4], [w.lisi, w.wangwu])
    _lecture(w.C1, t, r[2:3], dt.date(2026, 5, 20), 50, [3], [w.zhangsan])
    f.accepted(f.order(w.C1, [t]), t)
    _lecture(w.C2, t, [], dt.date(2026, 4, 1), 20, [2], [w.zhaoliu])
    _lecture(w.C1, t, [old], dt.date(2025, 12, 30), 99, [1], [w.zhangsan])
    return w


def test_figures_by_hand(year, scope_of):
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year")
    street = scope_of(year.jiedao1)
    held, att, resp, rating = (get(f"lectures.{c}") for c in ("held", "attendance", "response_rate", "rating"))
    assert held.figure(street, period).value == 3
    assert att.figure(street, period).value == 100
    rate = resp.figure(street, period)
    assert (rate.numerator, rate.denominator, rate.display) == (3, 5, "60.0%")
    assert rating.figure(street, period).value == Decimal("3.5")
    rows = {r.name: r.figure.display for r in resp.rows(street, period)}
    assert rows == {"幸福社区": "75.0%", "和平社区": "0.0%"}
    assert {r.name: r.figure.value for r in held.rows(street, period)} == {"幸福社区": 2, "和平社区": 1}
    assert {r.name: r.figure.value for r in att.rows(street, period)} == {"幸福社区": 80, "和平社区": 20}
    assert {r.name: r.figure.value for r in rating.rows(street, period)} == {"幸福社区": Decimal("4.0"), "和平社区": Decimal("2.0")}
    c2 = scope_of(year.shequ2)
    assert (held.figure(c2, period).value, att.figure(c2, period).value, rating.figure(c2, period).value) == (1, 20, Decimal("2.0"))
    assert LectureOrder.objects.count() == 5
