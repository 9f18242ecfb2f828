"""Policy as data: volunteer hours earn points at the community's rate up to its monthly cap (and
a reversed record takes them back); points lapse at year end, first in first out, once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.bank import services
from gongzhi.bank.models import Account, AccountKind, BankPolicy, CounterKind, Transaction
from gongzhi.volunteers import services as volunteer_services
from gongzhi.volunteers.tests.factories import activity, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(world, scope_of, django_capture_on_commit_callbacks):
    """张三 served 3 hours and 李四 1.6 hours at a 幸福社区 activity five days ago, verified."""
    w, s = world, scope_of(world.shequ1)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=5), dt.time(14)))
    a = activity(w, s, starts_at=start, hours=3, capacity=5, deadline=start)
    for person, came, went in ((w.zhangsan, -20, 200), (w.lisi, 10, 107)):
        su = volunteer_services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=volunteer(w, s, person), at=start - dt.timedelta(days=1))
        volunteer_services.signup_check_in(scope=s, acting_user=w.shequ1, signup=su, at=start + dt.timedelta(minutes=came))
        volunteer_services.signup_check_out(scope=s, acting_user=w.shequ1, signup=su, at=start + dt.timedelta(minutes=went))

    def verify():
        with django_capture_on_commit_callbacks(execute=True):
            return {r.volunteer.person.name: r for r in volunteer_services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)}

    return verify


def _balance(person):
    return Account.objects.get(kind=AccountKind.RESIDENT, person=person).balance


def test_verified_hours_earn_points_at_the_rate(world, served):
    served()  # district default: 2 points an hour
    assert (_balance(world.zhangsan), _balance(world.lisi)) == (6, 3)  # 3.0 h → 6; 1.6 h → 3.2 → 3
    assert services.volunteer_sync(start=timezone.localdate() - dt.timedelta(days=10), end=timezone.localdate()) == 0  # nothing twice


def test_the_monthly_cap_and_the_communitys_rate(world, served):
    BankPolicy.objects.create(community=world.C1, volunteer_points_per_hour=3, volunteer_monthly_cap=5)
    served()
    assert (_balance(world.zhangsan), _balance(world.lisi)) == (5, 5)  # 9 → cut to 5; 4.8 → 5


def test_a_reversed_record_takes_its_points_back(world, scope_of, served, django_capture_on_commit_callbacks):
    records = served()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_services.service_record_reverse(scope=scope_of(world.shequ1), acting_user=world.shequ1, record=records["张三"], reason="签到有误")
    assert (_balance(world.zhangsan), _balance(world.lisi)) == (0, 3)
    assert Transaction.objects.filter(kind="reversal").count() == 1


def _at(txn, day):
    Transaction.objects.filter(pk=txn.pk).update(created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))


@pytest.fixture
def history(world, scope_of):
    """王五 in 幸福社区 (expiry 12 months): +20 on 2024-06-01, +10 on 2025-03-01, −15 on 2025-06-01,
    +5 on 2025-12-20 → balance 20 at the end of 2025."""
    BankPolicy.objects.create(community=world.C1, expiry_months=12)
    station = services.counter_open(scope=scope_of(world.shequ1), acting_user=world.shequ1, community=world.C1, kind=CounterKind.STATION, name="驿站")
    account = services.holder_account(person=world.wangwu)
    _at(services.earn(account=account, points=20), dt.date(2024, 6, 1))
    _at(services.earn(account=account, points=10), dt.date(2025, 3, 1))
    _at(services.redeem(account=account, at=station.account, points=15), dt.date(2025, 6, 1))
    _at(services.earn(account=account, points=5), dt.date(2025, 12, 20))
    return account


def test_points_older_than_the_months_lapse_at_year_end_first_in_first_out(world, history):
    # credited before 2025-01-01: 20; spent since: 15 (the oldest points first) → 5 left of them
    assert services.expiring(community=world.C1, year=2025) == {history.pk: 5}
    assert services.year_end_lapse(community=world.C1, year=2025) == 5
    assert Account.objects.get(pk=history.pk).balance == 15
    assert services.year_end_lapse(community=world.C1, year=2025) == 0  # once a year
    assert services.community_account(community=world.C1, kind=AccountKind.LAPSED).balance == 5
    assert services.ledger_check() == []


def test_with_the_default_24_months_nothing_of_2024_lapses_yet(world, history):
    BankPolicy.objects.filter(community=world.C1).delete()
    assert services.expiring(community=world.C1, year=2025) == {}  # cut-off 2024-01-01
    assert services.expiring(community=world.C1, year=2026) == {history.pk: 5}  # cut-off 2025-01-01


def test_a_year_not_yet_over_is_refused(world, history):
    with pytest.raises(ValidationError, match="须在年底之后进行"):
        services.year_end_lapse(community=world.C1, year=timezone.localdate().year)
