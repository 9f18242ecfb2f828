"""Organisational life: who is due, recording meetings and attendance, quorum, and compliance
on hand-made cases whose answers are worked out in the comments."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gongzhi.partylife import selectors, services
from gongzhi.partylife.selectors import members as member_selectors
from gongzhi.partylife.models import AttendanceStatus, Exemption, LecturerRole, Meeting, MeetingType
from gongzhi.people.models import MemberCategory, MemberStatus
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory

D = dt.date
TODAY = D(2026, 11, 27)


def types() -> dict[str, MeetingType]:
    return {t.code: t for t in MeetingType.objects.all()}


@pytest.fixture
def branch(world):
    """K1's branch: 张三 (joined 2010) plus five more, each made to test one rule."""
    def member(name, **kwargs):
        return PartyMemberFactory(person=PersonFactory(name=name, place=world.B1), organization=world.O_K1, **kwargs)

    world.m = {
        "张三": world.m_zhangsan,
        "预备": member("预备", category=MemberCategory.PROBATIONARY, joined_on=D(2026, 3, 1), full_on=None),
        "新人": member("新人", joined_on=D(2026, 6, 1)),  # joined after March
        "转出": member("转出", status=MemberStatus.TRANSFERRED_OUT, status_changed_on=D(2026, 4, 15)),
        "早走": member("早走", status=MemberStatus.DECEASED, status_changed_on=D(2026, 1, 10)),
        "病假": member("病假"),
    }
    Exemption.objects.create(member=world.m["病假"], starts_on=D(2026, 2, 1), ends_on=D(2026, 5, 31), reason="重病住院")
    return world


def names(qs):
    return sorted(m.person.name for m in qs)


def test_members_due_on_a_date(branch):
    w = branch
    # 3 March: 张三, 预备 (joined 1 March), 转出 (left 15 April); not 新人 (June), 早走 (January), 病假 (exempt Feb–May)
    assert names(services.members_due(w.O_K1, D(2026, 3, 3))) == ["张三", "转出", "预备"]
    # 20 June: 转出 gone, 新人 in, 病假's exemption over
    assert names(services.members_due(w.O_K1, D(2026, 6, 20))) == ["张三", "新人", "病假", "预备"]
    # 5 January: 早走 still there (died 10 January); 预备 not yet
    assert names(services.members_due(w.O_K1, D(2026, 1, 5))) == ["张三", "早走", "病假", "转出"]


def test_meeting_created_with_agenda_and_everyone_due_present(branch, scope_of):
    w, t = branch, types()
    meeting = services.meeting_create(
        scope=scope_of(w.zhibu1), acting_user=w.zhibu1, organization=w.O_K1, meeting_type=t["branch_congress"],
        held_on=D(2026, 3, 3), topic="一季度党员大会", today=TODAY,
        agenda=[{"title": "学习总书记最新重要讲话", "is_first_topic": True, "material": "人民日报评论"}, {"title": "讨论发展对象", "is_first_topic": True}],
    )
    assert [(a.order, a.is_first_topic) for a in meeting.agenda.all()] == [(1, True), (2, False)]  # only the first can be 第一议题
    assert names(a.member for a in meeting.attendance.all()) == ["张三", "转出", "预备"]
    assert {a.status for a in meeting.attendance.all()} == {AttendanceStatus.PRESENT}
    assert meeting.history.get().history_user == w.zhibu1


def test_meeting_rules(branch, scope_of):
    w, t = branch, types()
    s = scope_of(w.zhibu1)
    with pytest.raises(ValidationError) as e:
        services.meeting_create(scope=s, acting_user=w.zhibu1, organization=w.O_K1, meeting_type=t["committee"], held_on=D(2026, 12, 1),
                                topic="x", today=TODAY, lecturer_role=LecturerRole.SECRETARY)
    assert set(e.value.message_dict) == {"held_on", "lecturer"}
    with pytest.raises(Http404):
        services.meeting_create(scope=scope_of(w.shequ2), acting_user=w.shequ2, organization=w.O_K1, meeting_type=t["committee"],
                                held_on=D(2026, 3, 3), topic="越权", today=TODAY)


def test_attendance_and_quorum(branch, scope_of):
    w, t = branch, types()
    s = scope_of(w.zhibu1)
    m = w.m
    extra = [PartyMemberFactory(person=PersonFactory(name=f"正式{i}", place=w.B1), organization=w.O_K1) for i in range(3)]
    meeting = services.meeting_create(scope=s, acting_user=w.zhibu1, organization=w.O_K1, meeting_type=t["branch_congress"],
                                      held_on=D(2026, 3, 3), topic="表决", today=TODAY)
    # due: 张三, 转出, 预备, 正式0-2 → voting (正式党员) 5, so more than half is 3
    with pytest.raises(ValidationError) as e:
        services.attendance_record(scope=s, acting_user=w.zhibu1, meeting=meeting, statuses={
            m["张三"].pk: (AttendanceStatus.LEAVE, ""), m["新人"].pk: (AttendanceStatus.PRESENT, ""),
        })
    assert e.value.messages == ["张三：请假须填写原因。", f"编号{m['新人'].pk}的党员不在本次会议的应到名单中。"]
    assert services.quorum(meeting).reached  # all 5 present
    services.attendance_record(scope=s, acting_user=w.zhibu1, meeting=meeting, statuses={
        m["张三"].pk: (AttendanceStatus.LEAVE, "出差"), m["转出"].pk: (AttendanceStatus.ABSENT, ""), extra[0].pk: (AttendanceStatus.ABSENT, ""),
    })
    check = services.quorum(meeting)
    assert (check.due, check.present, check.required, check.reached) == (5, 2, 3, False)
    services.attendance_record(scope=s, acting_user=w.zhibu1, meeting=meeting, statuses={extra[0].pk: (AttendanceStatus.PRESENT, "")})
    assert services.quorum(meeting).reached  # 3 of 5
    assert meeting.attendance.get(member=m["张三"]).leave_reason == "出差"
    committee = services.meeting_create(scope=s, acting_user=w.zhibu1, organization=w.O_K1, meeting_type=t["committee"],
                                        held_on=D(2026, 3, 4), topic="支委会", today=TODAY)
    assert services.quorum(committee) is None


def test_vote_result_needs_more_than_half_of_the_voting_members_due(branch, scope_of):
    w, t = branch, types()
    s = scope_of(w.zhibu1)
    for i in range(3):
        PartyMemberFactory(person=PersonFactory(name=f"正式{i}", place=w.B1), organization=w.O_K1)

    def congress(**votes):
        return services.meeting_create(scope=s, acting_user=w.zhibu1, organization=w.O_K1, meeting_type=t["branch_congress"],
                                       held_on=D(2026, 3, 3), topic="接收预备党员", today=TODAY, **votes)

    # voting members due on 3 March: 张三, 转出, 正式0-2 = 5 (预备 has no vote); more than half of 5 is 3
    assert services.quorum(congress(vote_subject="接收甲为预备党员", votes_for=3, votes_against=1, votes_abstain=1)).vote_passed is True
    assert services.quorum(congress(vote_subject="接收乙为预备党员", votes_for=2, votes_against=0, votes_abstain=0)).vote_passed is False
    assert services.quorum(congress()).vote_passed is None  # no vote
    with pytest.raises(ValidationError, match="超过有表决权的应到党员 5 人"):
        congress(vote_subject="丙", votes_for=4, votes_against=1, votes_abstain=1)
    with pytest.raises(ValidationError) as e:
        congress(vote_subject="丁", votes_for=3)
    assert "votes_for" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        congress(votes_for=3, votes_against=0, votes_abstain=0)
    assert "vote_subject" in e.value.message_dict


def test_periods():
    q1 = selectors.periods("month", D(2026, 1, 1), D(2026, 3, 31))
    assert [label for label, _m in q1] == ["2026年1月", "2026年2月", "2026年3月"]
    assert selectors.periods("quarter", D(2026, 1, 15), D(2026, 9, 30)) == [
        ("2026年第2季度", (D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1))), ("2026年第3季度", (D(2026, 7, 1), D(2026, 8, 1), D(2026, 9, 1))),
    ]  # January is not whole, so the first quarter is not counted
    assert selectors.periods("year", D(2025, 12, 1), D(2026, 12, 31)) == [("2026年", tuple(D(2026, m, 1) for m in range(1, 13)))]
    assert selectors.periods("month", D(2026, 3, 5), D(2026, 3, 30)) == []


def _held(w, code, *days, **details):
    t = types()
    for day in days:
        Meeting.objects.create(organization=w.O_K1, meeting_type=t[code], held_on=day, topic=code, **details)


def test_compliance_counts_each_period_and_names_what_is_missing(branch, scope_of):
    w = branch
    _held(w, "branch_congress", D(2026, 2, 10))
    _held(w, "committee", D(2026, 1, 5), D(2026, 2, 5))
    _held(w, "group", D(2026, 1, 8), D(2026, 2, 8))  # 党小组会 are the groups' rule, not the branch's: ignored here
    _held(w, "lecture", D(2026, 3, 15))
    _held(w, "theme_day", D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 30))  # two in March count once
    _held(w, "committee", D(2026, 4, 1))  # outside the window
    rows = {c.organization.name: c for c in selectors.compliance(scope=scope_of(w.quwei), start=D(2026, 1, 1), end=D(2026, 3, 31))}
    k1 = rows["幸福家园党支部"]
    # Q1 requires: 党员大会 1 (quarter) + 支委会 3 + 党课 1 (quarter) + 主题党日 3 = 8; the yearly rules have no whole year
    assert (k1.required, k1.met) == (8, 1 + 2 + 1 + 2)
    assert round(k1.rate, 4) == round(6 / 8, 4) and k1.lagging
    assert [str(s) for s in k1.shortfalls] == ["2026年3月支委会应1次，实0次", "2026年2月主题党日应1次，实0次"]
    assert rows["和平里党支部"].met == 0 and rows["和平里党支部"].required == 8
    assert "幸福社区党委" not in rows  # no rules for its kind (data: a district may add them)
    assert set(rows) - {"幸福家园党支部", "和平里党支部", "南山苑党支部"} == set()
    mine = selectors.compliance(scope=scope_of(w.shequ2), start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert [c.organization.name for c in mine] == ["和平里党支部"]


def test_the_secretary_lecture_rule_counts_only_lectures_given_by_the_secretary(branch, scope_of):
    w = branch
    _held(w, "lecture", D(2026, 2, 1), D(2026, 5, 1), D(2026, 8, 1), D(2026, 11, 1), lecturer_role=LecturerRole.COMMITTEE)
    year = {c.organization.name: c for c in selectors.compliance(scope=scope_of(w.zhibu1), start=D(2026, 1, 1), end=D(2026, 12, 31))}
    k1 = year["幸福家园党支部"]
    assert "2026年党课（书记讲党课）应1次，实0次" in [str(s) for s in k1.shortfalls]
    assert not any("季度党课" in str(s) for s in k1.shortfalls)  # one lecture every quarter
    _held(w, "lecture", D(2026, 12, 1), lecturer_role=LecturerRole.SECRETARY)
    k1 = selectors.compliance(scope=scope_of(w.zhibu1), start=D(2026, 1, 1), end=D(2026, 12, 31))[0]
    assert "2026年党课（书记讲党课）应1次，实0次" not in [str(s) for s in k1.shortfalls]


def test_compliance_queries_do_not_grow_with_organisations(branch, scope_of, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # rules, organisations, meetings (+ the scope's grants and the place roots)
        selectors.compliance(scope=scope_of(branch.quwei), start=D(2026, 1, 1), end=D(2026, 12, 31))


# ---- rates and warnings -----------------------------------------------------------------------

def _meeting_with(w, code, day, **statuses):
    """A meeting of K1 on `day` with the attendance rows given (member name → status)."""
    t = types()
    meeting = Meeting.objects.create(organization=w.O_K1, meeting_type=t[code], held_on=day, topic=f"{code} {day}")
    from gongzhi.partylife.models import Attendance

    for name, status in statuses.items():
        Attendance.objects.create(meeting=meeting, member=w.m[name], status=status)
    return meeting


def test_attendance_rate_and_education_coverage(branch, scope_of):
    w = branch
    P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
    _meeting_with(w, "committee", D(2026, 2, 5), 张三=P, 预备=L, 转出=A)
    _meeting_with(w, "lecture", D(2026, 3, 5), 张三=P, 预备=P, 转出=A)
    _meeting_with(w, "theme_day", D(2026, 7, 5), 新人=P)  # outside the window
    rates = selectors.attendance_rates(scope=scope_of(w.zhibu1), start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert rates[w.O_K1.pk][:2] == (3, 6)  # present 3 of 6 due
    # members on 31 March: 张三, 预备, 转出 (left 15 April), 病假 (exempt, but still a member); 新人 joined June, 早走 died January
    # at an education meeting (党课 5 March): 张三, 预备 → 2 of 4
    assert selectors.education_coverage(scope=scope_of(w.zhibu1), start=D(2026, 1, 1), end=D(2026, 3, 31))[:2] == (2, 4)


def test_warnings_for_absences_in_a_row_and_months_without_organisational_life(branch, scope_of, settings):
    w = branch
    P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
    # 张三: absent at the last three meetings (a leave before them breaks no run, a present does)
    _meeting_with(w, "committee", D(2026, 6, 5), 张三=P, 预备=P, 新人=P)
    _meeting_with(w, "committee", D(2026, 7, 5), 张三=A, 预备=L, 新人=P)
    _meeting_with(w, "committee", D(2026, 8, 5), 张三=A, 预备=A, 新人=P)
    _meeting_with(w, "committee", D(2026, 9, 5), 张三=A, 预备=A, 新人=A)
    found = {(x.member.person.name, x.kind): x for x in selectors.member_warnings(scope=scope_of(w.zhibu1), today=D(2026, 10, 1))}
    assert found[("张三", "absences")].count == 3
    assert ("预备", "absences") not in found  # two in a row
    # last present: 张三 and 预备 5 June (3 months 26 days → 3 whole months); 新人 5 August (1 month)
    assert found[("张三", "inactive")].count == 3 and found[("张三", "inactive")].since == D(2026, 6, 5)
    assert ("新人", "inactive") not in found
    # 病假 never attended: counted from K1's first recorded meeting (the world's, 2 June 2025), not from
    # joining in 2010; exempt until 31 May only, so warned now: 2 June 2025 → 1 October 2026 is 15 whole months
    assert (found[("病假", "inactive")].count, found[("病假", "inactive")].since) == (15, D(2025, 6, 2))
    assert not any(x.member.person.name in ("转出", "早走") for x in found.values())  # no longer members
    assert str(found[("张三", "absences")]) == "张三连续3次无故缺席"
    assert str(found[("张三", "inactive")]) == "张三自2026-06-05起3个月未参加组织生活"
    settings.GONGZHI_ABSENCE_WARN = 4
    settings.GONGZHI_INACTIVITY_WARN_MONTHS = (5,)
    later = {(x.member.person.name, x.kind) for x in selectors.member_warnings(scope=scope_of(w.zhibu1), today=D(2026, 10, 1))}
    assert ("张三", "absences") not in later and ("张三", "inactive") not in later and ("病假", "inactive") in later


def test_no_inactivity_warnings_before_an_organisation_records_any_meeting(branch, scope_of):
    w = branch
    Meeting.objects.filter(organization=w.O_K1).delete()
    assert not [x for x in selectors.member_warnings(scope=scope_of(w.zhibu1), today=D(2026, 10, 1)) if x.kind == "inactive"]


def test_political_birthdays_of_a_month(branch, scope_of, settings):
    w = branch
    leap = PartyMemberFactory(person=PersonFactory(name="闰日", place=w.B1), organization=w.O_K1, joined_on=D(2004, 2, 29), full_on=D(2005, 3, 1))
    # joined in March: 预备 (1 March 2026, 0 years); 转出 is not 在册; 张三 and others joined in July 2010
    march = selectors.political_birthdays(scope=scope_of(w.zhibu1), month=3, today=D(2026, 11, 27))
    assert [(m.person.name, day, years) for m, day, years in march] == [("预备", D(2026, 3, 1), 0)]
    july = selectors.political_birthdays(scope=scope_of(w.zhibu1), month=7, today=D(2026, 11, 27))
    assert [years for _m, _d, years in july] == [16] * len(july) and "张三" in [m.person.name for m, _d, _y in july]
    assert leap.political_birthday(D(2026, 1, 1)) == (D(2026, 2, 28), 22)
    settings.GONGZHI_POLITICAL_BIRTHDAY = "full_on"  # a district that counts from 转正
    assert [(m.person.name, years) for m, _d, years in selectors.political_birthdays(scope=scope_of(w.zhibu1), month=3, today=D(2026, 11, 27))] == [("闰日", 21)]
    assert selectors.political_birthdays(scope=scope_of(w.shequ2), month=7, today=D(2026, 11, 27)) == [] or all(
        m.organization_id != w.O_K1.pk for m, _d, _y in selectors.political_birthdays(scope=scope_of(w.shequ2), month=7, today=D(2026, 11, 27)))


def test_months_before_and_between_agree():
    assert member_selectors._months_before(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert member_selectors._months_before(D(2026, 1, 15), 3) == D(2025, 10, 15)
    for since in (D(2026, 7, 1), D(2026, 7, 2), D(2026, 6, 30)):  # warned exactly when not after the cutoff
        assert (member_selectors._months_between(since, D(2026, 10, 1)) >= 3) == (since <= member_selectors._months_before(D(2026, 10, 1), 3))
