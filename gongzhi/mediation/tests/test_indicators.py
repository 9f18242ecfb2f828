"""The figures, hand-worked. In 2026 in C1: five cases received (1 Mar, 10 Mar, 1 Apr, 1 May,
20 Dec 2025 → that last one is 2025's); closed in 2026: A agreed after 9 days, B failed after
20 days, C agreed after 40 days, D (received 20 Dec 2025) withdrawn after 12 days; E open.
Received in 2026 = 4 (A, B, C, E); closed = 4 (A, B, C, D); success rate = 2 ÷ 4 = 50%;
days to close 9, 12, 20, 40 → median (12 + 20) ÷ 2 = 16. By tier: A and B volunteer, C judge,
D and E mediator."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongzhi.accounts.scopes import scope_for_user
from gongzhi.core.indicators import Period, get

from .. import selectors, services
from ..models import CaseStatus
from .factories import case, mediator

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year")
TODAY = dt.date(2026, 11, 27)


def _agree(world, c, on, m):
    services.case_assign(acting_user=world.shequ1, case=c, mediator=m, now=timezone.make_aware(dt.datetime.combine(c.received_on, dt.time(9))))
    services.session_record(acting_user=world.shequ1, case=c, held_on=c.received_on, place="调解室", attendees="双方", record="调解", today=TODAY)
    services.case_agree(acting_user=world.shequ1, case=c, agreed_on=on, facts="事实", terms="协议", performance="现金", perform_by=on, today=TODAY)


def _world_of_cases(world):
    vol = mediator(world.shequ1, world.C1)
    judge = mediator(world.shequ1, world.C1, name="陈法官", tier_code="judge")
    a = case(world.shequ1, world.C1, received_on=dt.date(2026, 3, 1), today=TODAY)
    b = case(world.shequ1, world.C1, received_on=dt.date(2026, 3, 10), today=TODAY, category_code="marriage")
    c = case(world.shequ1, world.C1, received_on=dt.date(2026, 4, 1), today=TODAY, tier_code="judge", category_code="damages")
    d = case(world.shequ1, world.C1, received_on=dt.date(2025, 12, 20), today=TODAY, tier_code="mediator")
    case(world.shequ1, world.C1, received_on=dt.date(2026, 5, 1), today=TODAY, tier_code="mediator")  # E: open, overdue
    _agree(world, a, dt.date(2026, 3, 10), vol)
    services.case_close(acting_user=world.shequ1, case=b, status=CaseStatus.FAILED, closed_on=dt.date(2026, 3, 30), note="调解不成", today=TODAY)
    _agree(world, c, dt.date(2026, 5, 11), judge)
    services.case_close(acting_user=world.shequ1, case=d, status=CaseStatus.WITHDRAWN, closed_on=dt.date(2026, 1, 1), note="撤回", today=TODAY)


def test_figures_hand_worked(world):
    _world_of_cases(world)
    scope = scope_for_user(world.shequ1)
    assert get("mediation.received").compute(scope, YEAR).value == 4
    assert get("mediation.closed").compute(scope, YEAR).value == 4
    rate = get("mediation.success_rate").compute(scope, YEAR)
    assert (rate.numerator, rate.denominator, rate.value) == (2, 4, Decimal("0.5"))
    median = get("mediation.median_days").compute(scope, YEAR)
    assert median.value == Decimal("16.0") and median.denominator == 4
    assert get("mediation.overdue").compute(scope, YEAR).value == 1  # E, due 31 May
    rows = {r.name: r.figure.value for r in get("mediation.received").rows(scope_for_user(world.jiedao1), YEAR)}
    assert rows == {"幸福社区": 4, "和平社区": 0}
    by_tier = {t.code: (f.received, f.closed, f.agreed, f.median_days)
               for t, f in selectors.case_figures_by(scope=scope, start=YEAR.start, end=YEAR.end, by="tier")}
    assert by_tier == {"volunteer": (2, 2, 1, 14.5), "mediator": (1, 1, 0, 12), "judge": (1, 1, 1, 40)}
    by_category = {c.code: f.closed for c, f in selectors.case_figures_by(scope=scope, start=YEAR.start, end=YEAR.end, by="category")}
    assert by_category == {"marriage": 1, "housing": 0, "neighbour": 2, "damages": 1, "business": 0, "other": 0}
    assert get("mediation.received").compute(scope_for_user(world.shequ2), YEAR).value == 0
