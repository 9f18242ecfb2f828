"""Sign-up (capacity, deadline, duplicates, cancelling), check-in and check-out rules, scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gongzhi.volunteers import selectors, services
from gongzhi.volunteers.models import VolunteerKind

from .factories import activity, ago, volunteer


@pytest.fixture
def setup(world, scope_of):
    w, s = world, scope_of(world.shequ1)
    zs, ls = volunteer(w, s, w.zhangsan), volunteer(w, s, w.lisi)
    ww = volunteer(w, s, w.wangwu, kind=VolunteerKind.RESIDENT)
    return w, s, zs, ls, ww


def test_signup_capacity_deadline_duplicates_and_cancel(setup):
    w, s, zs, ls, ww = setup
    start = ago(hours=5)
    a = activity(w, s, starts_at=start, capacity=2, deadline=start)
    before = start - dt.timedelta(hours=1)
    one = services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=zs, at=before)
    with pytest.raises(ValidationError) as e:
        services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=zs, at=before)
    assert e.value.message_dict["volunteer"] == ["张三已报名该活动。"]
    services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=ls, at=before)
    with pytest.raises(ValidationError) as e:
        services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=ww, at=before)
    assert e.value.message_dict["activity"] == ["活动“楼道清扫”已报满（2人）。"]
    services.signup_cancel(scope=s, acting_user=w.shequ1, signup=one, at=before)
    with pytest.raises(ValidationError):
        services.signup_cancel(scope=s, acting_user=w.shequ1, signup=one)
    services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=ww, at=before)  # the freed place
    services.signup_cancel(scope=s, acting_user=w.shequ1, signup=a.signups.get(volunteer=ww, cancelled_at__isnull=True), at=before)
    with pytest.raises(ValidationError) as e:
        services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=zs, at=start + dt.timedelta(minutes=1))
    assert e.value.message_dict["activity"] == ["活动“楼道清扫”已截止报名。"]
    services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=zs, at=start)  # on the deadline: still in time
    assert a.signups.filter(volunteer=zs).count() == 2  # the cancelled one is kept


def test_activities_with_remaining_places(setup, scope_of):
    w, s, zs, ls, ww = setup
    soon = ago(hours=-48)  # in two days
    full = activity(w, s, starts_at=soon, capacity=1, title="义诊")
    roomy = activity(w, s, starts_at=soon, capacity=3, title="读书会")
    activity(w, s, starts_at=ago(hours=5), title="已截止")
    services.signup_create(scope=s, acting_user=w.shequ1, activity=full, volunteer=zs)
    services.signup_create(scope=s, acting_user=w.shequ1, activity=roomy, volunteer=zs)
    rows = list(selectors.activities_open(scope=s))
    assert [(a.title, a.signed_up, a.remaining) for a in rows] == [("读书会", 1, 2)]
    assert rows[0].pk == roomy.pk
    assert list(selectors.activities_open(scope=scope_of(w.shequ2))) == []


def test_check_in_and_out_rules(setup):
    w, s, zs, ls, ww = setup
    start = ago(hours=5)
    a = activity(w, s, starts_at=start, hours=3, deadline=start - dt.timedelta(hours=2))
    signup = services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=zs, at=start - dt.timedelta(hours=3))
    with pytest.raises(ValidationError) as e:
        services.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start + dt.timedelta(hours=1))
    assert e.value.message_dict["checked_out_at"] == ["张三尚未签到，不能签退。"]
    with pytest.raises(ValidationError) as e:  # more than 30 minutes early
        services.signup_check_in(scope=s, acting_user=w.shequ1, signup=signup, at=start - dt.timedelta(minutes=31))
    assert "（含前后30分钟）" in e.value.message_dict["checked_in_at"][0]
    services.signup_check_in(scope=s, acting_user=w.shequ1, signup=signup, at=start - dt.timedelta(minutes=30))
    with pytest.raises(ValidationError) as e:
        services.signup_check_in(scope=s, acting_user=w.shequ1, signup=signup, at=start)
    assert "张三已于" in e.value.message_dict["checked_in_at"][0]
    with pytest.raises(ValidationError) as e:
        services.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start - dt.timedelta(minutes=31))
    assert "签退时间应在" in e.value.message_dict["checked_out_at"][0]
    with pytest.raises(ValidationError) as e:  # within the window but before the check-in
        services.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start - dt.timedelta(minutes=30))
    assert "签退时间应晚于签到时间" in e.value.message_dict["checked_out_at"][0]
    with pytest.raises(ValidationError):  # 31 minutes after the end
        services.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start + dt.timedelta(hours=3, minutes=31))
    services.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start + dt.timedelta(hours=3, minutes=30))
    with pytest.raises(ValidationError):
        services.signup_check_out(scope=s, acting_user=w.shequ1, signup=signup, at=start + dt.timedelta(hours=3))
    with pytest.raises(ValidationError):
        services.signup_cancel(scope=s, acting_user=w.shequ1, signup=signup)  # checked in: it happened
    assert signup.history.count() == 3  # signed up, in, out: each with who did it
    assert signup.history.first().history_user == w.shequ1
    future = activity(w, s, starts_at=ago(minutes=-10), hours=1, title="未来活动")
    later = services.signup_create(scope=s, acting_user=w.shequ1, activity=future, volunteer=ls)
    with pytest.raises(ValidationError) as e:
        services.signup_check_in(scope=s, acting_user=w.shequ1, signup=later, at=future.starts_at)
    assert e.value.message_dict["checked_in_at"] == ["签到时间不能晚于当前时间。"]


def test_scope_other_community_cannot_act(setup, scope_of):
    w, s, zs, ls, ww = setup
    start = ago(hours=5)
    a = activity(w, s, starts_at=start, deadline=start)
    signup = services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=zs, at=start - dt.timedelta(hours=1))
    s2 = scope_of(w.shequ2)
    with pytest.raises(Http404):
        services.signup_create(scope=s2, acting_user=w.shequ2, activity=a, volunteer=ls, at=start - dt.timedelta(hours=1))
    with pytest.raises(Http404):
        services.signup_check_in(scope=s2, acting_user=w.shequ2, signup=signup, at=start)
    with pytest.raises(Http404):
        services.activity_cancel(scope=s2, acting_user=w.shequ2, activity=a)
    with pytest.raises(Http404):
        services.activity_create(scope=s2, acting_user=w.shequ2, community=w.C1, title="x", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=1), capacity=1, signup_deadline=start)
    with pytest.raises(Http404):
        selectors.activity_get(scope=s2, id=a.pk)
    assert selectors.activity_get(scope=scope_of(w.jiedao1), id=a.pk) == a  # the street above sees both
