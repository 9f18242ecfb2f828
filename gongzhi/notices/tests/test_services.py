"""Publishing to and withdrawing from the 公开栏: hand-made cases."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gongzhi.notices.models import Notice, NoticeKind, NoticeState, state_q
from gongzhi.notices.services import notice_publish, notice_withdraw

from .factories import notice

D = dt.date


def test_a_notice_stands_upcoming_current_ended_by_its_dates(world):
    n = notice(world.C1, starts_on=D(2026, 11, 10), ends_on=D(2026, 11, 20))
    assert n.state_on(D(2026, 11, 9)) == NoticeState.UPCOMING
    assert n.state_on(D(2026, 11, 10)) == NoticeState.CURRENT  # first day up
    assert n.state_on(D(2026, 11, 20)) == NoticeState.CURRENT  # last day still up
    assert n.state_on(D(2026, 11, 21)) == NoticeState.ENDED
    forever = notice(world.C1, starts_on=D(2020, 1, 1))
    assert forever.state_on(D(2030, 1, 1)) == NoticeState.CURRENT
    # the filter says the same as the method, for each day and state
    for day in (D(2026, 11, 9), D(2026, 11, 10), D(2026, 11, 20), D(2026, 11, 21)):
        for state in NoticeState.values:
            expected = {x.pk for x in (n, forever) if x.state_on(day) == state}
            assert set(Notice.objects.filter(state_q(state, day)).values_list("pk", flat=True)) == expected, (day, state)


def test_publishing_checks_the_fields_and_names_them(world):
    with pytest.raises(ValidationError) as e:
        notice_publish(community=world.C1, kind=NoticeKind.ANNOUNCEMENT, title=" ", body="", starts_on=D(2026, 11, 5), ends_on=D(2026, 11, 1))
    assert set(e.value.message_dict) == {"title", "body", "ends_on"}
    assert "公开截止日期不能早于公开日期" in e.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as e:
        notice_publish(community=world.S1, kind=NoticeKind.ANNOUNCEMENT, title="t", body="b")
    assert "社区" in e.value.message_dict["community"][0]
    with pytest.raises(ValidationError) as e:
        notice_publish(community=world.C1, compound=world.K3, kind=NoticeKind.ANNOUNCEMENT, title="t", body="b")  # K3 is in C2
    assert "不在该社区内" in e.value.message_dict["compound"][0]
    assert not Notice.objects.exists()


def test_publishing_a_record_again_is_the_same_notice(world):
    source = world.meeting_K1  # any record will do
    first = notice_publish(community=world.C1, kind=NoticeKind.RESOLUTION, title="决议", body="内容", source=source, starts_on=D(2026, 11, 2))
    again = notice_publish(community=world.C1, kind=NoticeKind.RESOLUTION, title="决议（重发）", body="内容", source=source)
    assert again.pk == first.pk and again.title == "决议"
    other_kind = notice_publish(community=world.C1, kind=NoticeKind.RESULT, title="结果", body="内容", source=source)
    assert other_kind.pk != first.pk
    assert Notice.objects.count() == 2
    assert first.source == source


def test_a_staff_scope_may_publish_only_in_its_own_subtree(world, scope_of):
    with pytest.raises(Http404):
        notice_publish(community=world.C2, kind=NoticeKind.ANNOUNCEMENT, title="t", body="b", scope=scope_of(world.shequ1))
    n = notice_publish(community=world.C1, kind=NoticeKind.ANNOUNCEMENT, title="t", body="b", scope=scope_of(world.shequ1),
                       acting_user=world.shequ1)
    assert n.published_by == world.shequ1


def test_withdrawing_keeps_the_notice_on_record_with_its_reason(world, scope_of):
    n = notice(world.C1, title="停水通知")
    with pytest.raises(ValidationError) as e:
        notice_withdraw(notice=n, reason=" ", acting_user=world.shequ1, scope=scope_of(world.shequ1))
    assert "撤下原因" in e.value.message_dict["reason"][0]
    with pytest.raises(Http404):
        notice_withdraw(notice=n, reason="有误", acting_user=world.shequ2, scope=scope_of(world.shequ2))
    notice_withdraw(notice=n, reason="时间有误", acting_user=world.shequ1, scope=scope_of(world.shequ1))
    n.refresh_from_db()
    assert n.withdrawn_by == world.shequ1 and n.withdraw_reason == "时间有误"
    assert n.state_on(D(2026, 11, 5)) == NoticeState.WITHDRAWN
    with pytest.raises(ValidationError):
        notice_withdraw(notice=n, reason="再撤", acting_user=world.shequ1, scope=scope_of(world.shequ1))
    # what was published, and when, stays on record: created, then withdrawn
    assert [h.history_type for h in n.history.order_by("history_date")] == ["+", "~"]
    assert Notice.objects.filter(pk=n.pk).exists()
