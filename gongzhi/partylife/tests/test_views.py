"""The organisational-life pages: record a meeting, its attendance on one screen, compliance."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from gongzhi.partylife.models import AttendanceStatus, Meeting, MeetingType
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory


@pytest.fixture
def z(client, world):
    client.force_login(world.zhibu1)
    return client


def test_record_a_meeting_then_its_attendance(z, world):
    lisi = PartyMemberFactory(person=world.lisi, organization=world.O_K1)
    congress = MeetingType.objects.get(code="branch_congress")
    url = reverse("partylife:meeting_new") + f"?org={world.O_K1.pk}"
    assert "记录会议" in z.get(url).content.decode()
    bad = z.post(url, {"meeting_type": congress.pk, "held_on": "2099-01-01", "topic": ""})
    html = bad.content.decode()
    assert "请填写会议主题。" in html and not Meeting.objects.filter(topic="").exists()
    bad = z.post(url, {"meeting_type": congress.pk, "held_on": "2099-01-01", "topic": "未来的会"})
    assert "会议日期不能晚于今天" in bad.content.decode()
    response = z.post(url, {
        "meeting_type": congress.pk, "held_on": "2026-03-03", "topic": "一季度党员大会", "location": "党群服务中心",
        "agenda_1": "学习总书记重要讲话", "material_1": "人民日报", "first_topic": "on", "agenda_2": "接收预备党员",
    })
    meeting = Meeting.objects.get(topic="一季度党员大会")
    assert response.url == reverse("partylife:meeting", args=[meeting.pk])
    page = z.get(response.url).content.decode()
    assert "第一议题" in page and "张三" in page and "李四" in page and "已达到" in page  # 2 of 2 voting present
    wrong = z.post(response.url, {f"s{lisi.pk}": "leave", f"r{lisi.pk}": ""})
    assert "李四：请假须填写原因。" in wrong.content.decode()
    assert meeting.attendance.get(member=lisi).status == AttendanceStatus.PRESENT
    done = z.post(response.url, {f"s{lisi.pk}": "leave", f"r{lisi.pk}": "外出务工", f"s{world.m_zhangsan.pk}": "present"})
    assert done.status_code == 302
    assert meeting.attendance.get(member=lisi).leave_reason == "外出务工"
    page = z.get(response.url).content.decode()
    assert "未达到" in page  # 1 of 2 voting present: more than half is 2


def test_compliance_page_for_the_scope(z, world):
    lecture = MeetingType.objects.get(code="lecture")
    Meeting.objects.create(organization=world.O_K1, meeting_type=lecture, held_on=dt.date(2026, 2, 1), topic="党课")
    html = z.get(reverse("partylife:compliance"), {"start": "2026-01-01", "end": "2026-03-31"}).content.decode()
    assert "幸福家园党支部" in html and "和平里党支部" not in html
    assert "1 / 8" in html  # one quarterly 党课 of the 8 meetings Q1 requires
    assert "2026年1月支委会应1次，实0次" in html
    lagging = z.get(reverse("partylife:compliance"), {"start": "2026-01-01", "end": "2026-03-31", "lagging": "1"}).content.decode()
    assert "幸福家园党支部" in lagging
    assert "起始日期不能晚于截止日期" in z.get(reverse("partylife:compliance"), {"start": "2026-03-01", "end": "2026-01-01"}).content.decode()


def test_org_meetings_page_and_chooser(z, world):
    html = z.get(reverse("partylife:org_meetings", args=[world.O_K1.pk])).content.decode()
    assert "幸福家园支委会" in html and "落实情况" in html
    chooser = z.get(reverse("partylife:meeting_new")).content.decode()
    assert "幸福家园党支部" in chooser and "和平里党支部" not in chooser


def test_pages_show_rates_and_warnings_without_a_query_per_member(z, world, django_assert_max_num_queries):
    from gongzhi.partylife.models import Attendance

    committee = MeetingType.objects.get(code="committee")
    members = [PartyMemberFactory(person=PersonFactory(name=f"缺{i}", place=world.B1), organization=world.O_K1) for i in range(4)]
    today = dt.date.today()
    for k in range(3):
        meeting = Meeting.objects.create(organization=world.O_K1, meeting_type=committee, held_on=today - dt.timedelta(days=10 + k), topic=f"支委会{k}")
        for m in members:
            Attendance.objects.create(meeting=meeting, member=m, status=AttendanceStatus.ABSENT)
    with django_assert_max_num_queries(25):
        html = z.get(reverse("partylife:compliance")).content.decode()
    assert "参会率" in html and "党员教育覆盖率" in html and "<title>三会一课落实情况" in html
    assert reverse("partylife:warnings") in html  # loaded after the table
    with django_assert_max_num_queries(8):
        warnings = z.get(reverse("partylife:warnings")).content.decode()
    assert "缺0连续3次无故缺席" in warnings and warnings.count("长期未参加组织生活") == 1 and "<html" not in warnings
    org_page = z.get(reverse("partylife:org_meetings", args=[world.O_K1.pk])).content.decode()
    assert "缺3连续3次无故缺席" in org_page and "预警" in org_page


def test_political_birthday_on_the_member_page_and_the_branch_page(z, world):
    html = z.get(reverse("people:person", args=[world.zhangsan.pk])).content.decode()
    joined = world.m_zhangsan.joined_on
    assert "政治生日" in html and f"{joined.month}月{joined.day}日" in html and f"今年是入党 {dt.date.today().year - joined.year} 周年" in html
    world.m_zhangsan.joined_on = joined.replace(month=dt.date.today().month, day=1)
    world.m_zhangsan.save()
    page = z.get(reverse("partylife:org_meetings", args=[world.O_K1.pk])).content.decode()
    assert f"{dt.date.today().month}月政治生日" in page and "张三" in page


def test_ledger_page_and_workbook(z, world):
    from openpyxl import load_workbook

    from gongzhi.partylife import services

    lisi = PartyMemberFactory(person=world.lisi, organization=world.O_K1)
    theme = MeetingType.objects.get(code="theme_day")
    from gongzhi.accounts.scopes import scope_for_user

    scope = scope_for_user(world.zhibu1)
    meeting = services.meeting_create(scope=scope, acting_user=world.zhibu1, organization=world.O_K1, meeting_type=theme,
                                      held_on=dt.date(2026, 5, 10), topic="五月主题党日", location="党群服务中心",
                                      agenda=[{"title": "学习重要讲话", "is_first_topic": True}])
    services.attendance_record(scope=scope, acting_user=world.zhibu1, meeting=meeting, statuses={lisi.pk: (AttendanceStatus.LEAVE, "照顾老人")})
    url = reverse("partylife:ledger", args=[world.O_K1.pk])
    html = z.get(url, {"start": "2026-05-01", "end": "2026-05-31"}).content.decode()
    assert "五月主题党日" in html and "李四（请假：照顾老人）" in html and "学习重要讲话" in html
    response = z.get(url, {"start": "2026-05-01", "end": "2026-05-31", "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.getvalue()))
    summary = list(book["会议台账"].iter_rows(values_only=True))
    assert summary[1] == ("2026-05-10", "幸福家园党支部", "主题党日", "五月主题党日", "党群服务中心", None, None, "学习重要讲话", 2, 1, 1, 0)
    detail = {row[3]: row[4:] for row in book["出席明细"].iter_rows(min_row=2, values_only=True)}
    assert detail == {"张三": ("出席", None), "李四": ("请假", "照顾老人")}
