"""Verified hours: from check-in/out, capped, one decimal, immutable, reversed like a ledger,
timely (late needs a reason), the hook emitted after commit; the certificate's data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.core import events
from gongzhi.volunteers import selectors, services
from gongzhi.volunteers.models import ActivityStatus, RecordRules, ServiceRecord, ServiceSource

from .factories import activity, ago, volunteer


@pytest.fixture
def done(world, scope_of):
    """An activity in C1 five days ago (14:00-17:00 local), 张三 (member) and 李四 attended."""
    w, s = world, scope_of(world.shequ1)
    day = timezone.localdate() - dt.timedelta(days=5)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
    a = activity(w, s, starts_at=start, hours=3, capacity=5, deadline=start)
    zs, ls = volunteer(w, s, w.zhangsan), volunteer(w, s, w.lisi)
    rows = {}
    for v, came, went in ((zs, -20, 200), (ls, 10, 107)):
        su = services.signup_create(scope=s, acting_user=w.shequ1, activity=a, volunteer=v, at=start - dt.timedelta(days=1))
        services.signup_check_in(scope=s, acting_user=w.shequ1, signup=su, at=start + dt.timedelta(minutes=came))
        services.signup_check_out(scope=s, acting_user=w.shequ1, signup=su, at=start + dt.timedelta(minutes=went))
        rows[v.person.name] = su
    return w, s, a, zs, ls, day


def test_hours_verified_capped_and_not_twice(done):
    w, s, a, zs, ls, day = done
    records = services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)
    got = {r.volunteer.person.name: r for r in records}
    assert got["张三"].hours == Decimal("3.0")  # 3 h 40 min present, capped at the activity's 3 h
    assert got["李四"].hours == Decimal("1.6")  # 97 minutes = 1.616… h
    r = got["张三"]
    assert (r.served_on, r.source, r.source_id, r.verified_by, r.community) == (day, ServiceSource.ACTIVITY, a.pk, w.shequ1, w.C1)
    assert r.verified_at is not None and r.checked_in_at is not None
    a.refresh_from_db()
    assert a.status == ActivityStatus.COMPLETED
    with pytest.raises(ValidationError) as e:
        services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)
    assert "没有待认定的工时" in e.value.messages[0]
    assert selectors.volunteer_hours(scope=s, volunteer=zs) == Decimal("3.0")
    assert selectors.volunteer_hours(scope=s, volunteer=zs, start=day + dt.timedelta(days=1)) == 0
    assert list(selectors.hours_by_community(scope=s)) == [{"community_id": w.C1.pk, "name": "幸福社区", "hours": Decimal("4.6"), "volunteers": 2}]
    assert list(selectors.hours_by_community(scope=scope_of_c2(w))) == []


def scope_of_c2(w):
    from gongzhi.accounts.scopes import scope_for_user

    return scope_for_user(w.shequ2)


def test_records_are_immutable_and_reversed_like_a_ledger(done):
    w, s, a, zs, ls, day = done
    record = next(r for r in services.hours_verify(scope=s, acting_user=w.shequ1, activity=a) if r.volunteer_id == ls.pk)
    record.hours = Decimal("9.0")
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    with pytest.raises(ValidationError) as e:
        services.service_record_reverse(scope=s, acting_user=w.shequ1, record=record, reason=" ")
    assert e.value.message_dict["reason"] == ["冲正须填写原因。"]
    reversal = services.service_record_reverse(scope=s, acting_user=w.shequ1, record=record, reason="签退时间登记有误")
    assert reversal.hours == Decimal("-1.6") and reversal.reverses_id == record.pk and reversal.served_on == day
    assert selectors.volunteer_hours(scope=s, volunteer=ls) == 0
    with pytest.raises(ValidationError):
        services.service_record_reverse(scope=s, acting_user=w.shequ1, record=record, reason="再次")
    with pytest.raises(ValidationError):
        services.service_record_reverse(scope=s, acting_user=w.shequ1, record=reversal, reason="再次")
    again = services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)  # once reversed it may be verified again
    assert [r.volunteer_id for r in again] == [ls.pk]
    assert selectors.volunteer_hours(scope=s, volunteer=ls) == Decimal("1.6")
    assert ServiceRecord.objects.filter(volunteer=ls).count() == 3
    with pytest.raises(Http404):
        services.service_record_reverse(scope=scope_of_c2(w), acting_user=w.shequ2, record=again[0], reason="x")


def test_late_verification_needs_a_reason(done):
    w, s, a, zs, ls, day = done
    rules = RecordRules.current()
    rules.verify_within_days = 3
    rules.save()
    with pytest.raises(ValidationError) as e:
        services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)
    assert e.value.message_dict["reason"] == ["结束已超过3天（5天），补录认定工时须填写原因。"]
    records = services.hours_verify(scope=s, acting_user=w.shequ1, activity=a, reason="纸质签到表补录")
    assert {r.reason for r in records} == {"纸质签到表补录"}
    # with the default 30 days the same activity needs none
    assert RecordRules._meta.get_field("verify_within_days").default == 30


def test_event_emitted_after_commit_with_party_members_only(done, django_capture_on_commit_callbacks):
    w, s, a, zs, ls, day = done
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("records.changed", handler)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            records = services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)
            assert seen == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert seen == [{"kinds": ["volunteer"], "members": [w.m_zhangsan.pk], "start": day, "end": day}]  # 李四 is no member
        with django_capture_on_commit_callbacks(execute=True):
            services.service_record_reverse(scope=s, acting_user=w.shequ1, record=records[0], reason="重复登记")
        assert len(seen) == 2 and seen[1]["start"] == day
    finally:
        events._subscribers["records.changed"].remove(handler)


def test_shift_hours_and_roster(world, scope_of):
    w, s = world, scope_of(world.shequ1)
    post = services.post_create(scope=s, acting_user=w.shequ1, community=w.C1, name="防汛值守点", place=w.K1)
    with pytest.raises(ValidationError):
        services.post_create(scope=s, acting_user=w.shequ1, community=w.C1, name="错位", place=w.K3)
    start = ago(hours=6)
    shift = services.shift_create(scope=s, acting_user=w.shequ1, post=post, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=1)
    zs, ls = volunteer(w, s, w.zhangsan), volunteer(w, s, w.lisi)
    assignment = services.shift_assign(scope=s, acting_user=w.shequ1, shift=shift, volunteer=zs)
    with pytest.raises(ValidationError) as e:
        services.shift_assign(scope=s, acting_user=w.shequ1, shift=shift, volunteer=ls)
    assert e.value.message_dict["volunteer"] == ["本班次已排满（1人）。"]
    assert [a.volunteer.person.name for a in selectors.shift_roster(scope=s, shift=shift)] == ["张三"]
    assert list(selectors.shift_roster(scope=scope_of(w.shequ2), shift=shift)) == []
    services.assignment_check_in(scope=s, acting_user=w.shequ1, assignment=assignment, at=start + dt.timedelta(minutes=5))
    services.shift_log_add(scope=s, acting_user=w.shequ1, shift=shift, text="巡查河道，水位正常", at=start + dt.timedelta(hours=1))
    services.assignment_check_out(scope=s, acting_user=w.shequ1, assignment=assignment, at=start + dt.timedelta(hours=2, minutes=10))
    [record] = services.hours_verify(scope=s, acting_user=w.shequ1, shift=shift)
    assert (record.hours, record.source, record.description) == (Decimal("2.0"), ServiceSource.SHIFT, "防汛值守点")
    assert shift.logs.get().logged_by == w.shequ1
    with pytest.raises(Http404):
        services.shift_log_add(scope=scope_of(w.shequ2), acting_user=w.shequ2, shift=shift, text="x")


def test_certificate_data(done):
    w, s, a, zs, ls, day = done
    records = services.hours_verify(scope=s, acting_user=w.shequ1, activity=a)
    services.service_record_reverse(scope=s, acting_user=w.shequ1, record=next(r for r in records if r.volunteer_id == ls.pk), reason="误登")
    cert = selectors.certificate_data(scope=s, volunteer=zs, start=day, end=day)
    assert (cert.name, cert.issuer, cert.total) == ("张三", "幸福社区", Decimal("3.0"))
    assert cert.id_number_mask == w.zhangsan.id_number_mask and "*" in cert.id_number_mask
    assert [(line.served_on, line.description, line.hours) for line in cert.lines] == [(day, "楼道清扫", Decimal("3.0"))]
    cert_ls = selectors.certificate_data(scope=s, volunteer=ls, start=day, end=day)
    assert (cert_ls.lines, cert_ls.total) == ([], Decimal("0.0"))  # reversed: neither the record nor its reversal shows
    with pytest.raises(Http404):
        selectors.certificate_data(scope=scope_of_c2(w), volunteer=zs, start=day, end=day)
