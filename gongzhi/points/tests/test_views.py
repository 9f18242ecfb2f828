"""The member-points pages on hand-made cases: the rankings (numbers, order, filters, export),
a member's statement, the manual entry, approvals by a secretary and refusal for others,
reversals, and 404 for another community's member, entry and organisation everywhere."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.partylife.models import Attendance, AttendanceStatus, Meeting, MeetingType
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory
from gongzhi.points import services
from gongzhi.points.models import EntryStatus, PointEntry, Rule


def rule(code):
    return Rule.objects.get(version__ruleset__organization__isnull=True, code=code)


def entry(w, member, code, quantity=1, *, approve=True, evidence="依据"):
    """A manual entry entered by the 社区 worker of the member's side, approved by a district user."""
    from gongzhi.accounts.scopes import scope_for_user

    e = services.entry_create(scope=scope_for_user(w.quwei), acting_user=w.shequ1, member=member, rule=rule(code),
                              occurred_on=timezone.localdate(), quantity=D(quantity), evidence=evidence)
    if approve:
        e = services.entry_approve(scope=scope_for_user(w.quwei), acting_user=w.quwei, entry=e)
    return e


@pytest.fixture
def scored(world):
    """张三 95 (优秀), 赵六 60 and 孙七 60 (基本合格), 李四 50 (不合格)."""
    w = world
    w.m_lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1)
    entry(w, w.m_zhangsan, "merit", 4, evidence="抗洪抢险")  # +20, the cap
    entry(w, w.m_zhangsan, "article", 5, evidence="学习心得五篇")  # +15, the cap
    entry(w, w.m_lisi, "misconduct", evidence="党纪处分决定书")  # −10
    return w


def names_in_order(html, names):
    found = sorted((html.index(n), n) for n in names if n in html)
    return [n for _i, n in found]


def test_rankings_numbers_and_order(client, scored):
    client.force_login(scored.quwei)
    response = client.get("/points/")
    html = response.content.decode()
    ctx = response.context
    assert [(s.rank, s.name, s.score, s.grade.label) for s in ctx["page"].rows] == [
        (1, "张三", D("95"), "优秀"), (2, "赵六", D("60"), "基本合格"), (2, "孙七", D("60"), "基本合格"), (4, "李四", D("50"), "不合格")]  # ties by member number
    assert ctx["members"] == 4 and ctx["average"] == "66.2"  # 265 / 4 = 66.25, to even
    assert ctx["counts"] == {"excellent": 1, "pass": 0, "basic": 2, "fail": 1}
    table = html[html.index("points-ranking"):]
    assert names_in_order(table, ["张三", "孙七", "赵六", "李四"]) == ["张三", "赵六", "孙七", "李四"]
    assert "+35<" in table and "-10<" in table and ">95<" in table
    assert 'id="points-distribution-data"' in html and "50–59" in html and "90–99" in html
    assert "vendor/echarts/echarts.min.js" in html and "points/distribution.js" in html
    assert "cdn" not in html.lower()
    assert reverse("points:statement", args=[scored.m_zhangsan.pk]) in table


def test_rankings_filters_search_and_years(client, scored):
    w = scored
    client.force_login(w.quwei)
    community = client.get("/points/", {"org": w.O_C1.pk}).context
    assert [s.name for s in community["page"].rows] == ["张三", "李四"] and community["node"] == w.O_C1
    branch = client.get("/points/", {"org": w.O_K3.pk}).content.decode()
    assert "赵六" in branch and "张三" not in branch and "和平社区党委" in branch  # the branch's ancestors in the crumbs
    found = client.get("/points/", {"q": "李"}).context["page"].rows
    assert [(s.rank, s.name) for s in found] == [(4, "李四")]  # the rank of the whole list
    assert "没有姓名含“钱”的党员" in client.get("/points/", {"q": "钱"}).content.decode()
    year = timezone.localdate().year
    html = client.get("/points/", {"year": year - 5}).content.decode()  # not a year with entries: the current year
    assert f'<option value="{year}" selected' in html and f"{year - 5}年度" not in html
    options = client.get("/points/").content.decode()
    assert "全部党组织" in options and "幸福家园党支部" in options


def test_rankings_of_a_community_user_stay_in_the_community(client, scored):
    client.force_login(scored.shequ1)
    html = client.get("/points/").content.decode()
    assert "张三" in html and "李四" in html
    assert not [n for n in ("赵六", "孙七", "和平里党支部", "南山苑党支部") if n in html]


def test_rankings_export_holds_the_whole_ranking(client, scored, monkeypatch):
    monkeypatch.setattr("gongzhi.points.views.PER_PAGE", 2)
    client.force_login(scored.quwei)
    assert len(client.get("/points/").context["page"].rows) == 2
    response = client.get("/points/", {"format": "xlsx", "page": "2"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "党员积分排名" in rows[0][0]
    assert rows[1] == ["排名", "姓名", "党组织", "加减分", "积分", "等级"]
    assert rows[2:] == [[1, "张三", "幸福家园党支部", 35, 95, "优秀"], [2, "赵六", "和平里党支部", 0, 60, "基本合格"],
                        [2, "孙七", "南山苑党支部", 0, 60, "基本合格"], [4, "李四", "幸福家园党支部", -10, 50, "不合格"]]
    mine = client.get("/points/", {"format": "xlsx", "org": scored.O_C1.pk})
    names = [r[1] for r in load_workbook(io.BytesIO(mine.getvalue())).active.iter_rows(min_row=3, values_only=True)]
    assert names == ["张三", "李四"]


def test_statement_lists_counting_entries_and_keeps_pending_apart(client, scored):
    w = scored
    committee = MeetingType.objects.get(code="theme_day")
    today = timezone.localdate()
    meeting = Meeting.objects.create(organization=w.O_K1, meeting_type=committee, held_on=today, topic="主题党日")
    Attendance.objects.create(meeting=meeting, member=w.m_zhangsan, status=AttendanceStatus.PRESENT)
    services.ledger_sync(start=today, end=today)
    entry(w, w.m_zhangsan, "dues", approve=False, evidence="党费未交")  # pending: not counted
    rejected = entry(w, w.m_zhangsan, "article", approve=False, evidence="重复提交的文章")
    from gongzhi.accounts.scopes import scope_for_user

    services.entry_reject(scope=scope_for_user(w.quwei), acting_user=w.quwei, entry=rejected, reason="与上次重复")
    client.force_login(w.zhibu1)
    url = reverse("points:statement", args=[w.m_zhangsan.pk])
    response = client.get(url)
    html = response.content.decode()
    s = response.context["s"]
    assert (s.delta, s.score, s.grade.label) == (D("36"), D("96"), "优秀")  # +20 +15 +1; the pending −2 waits
    counted = html[html.index("计分明细"):html.index("<h2>待审核")]
    assert "其他突出表现" in counted and "第1版" in counted and "抗洪抢险" in counted and "shequ1 / quwei" in counted
    assert reverse("partylife:meeting", args=[meeting.pk]) in counted and "系统自动" in counted
    pending = html[html.index("<h2>待审核"):html.index("<h2>未通过")]
    assert "连续6个月未交党费" in pending and "党费未交" in pending
    assert "重复提交的文章" in html[html.index("<h2>未通过"):] and "与上次重复" in html
    assert reverse("points:entry_new") + f"?member={w.m_zhangsan.pk}" in html and "冲正" in html
    ranking = client.get("/points/").context["page"].rows
    assert ranking[0].score == D("96")


def test_manual_entry_with_clear_errors(client, world):
    w = world
    client.force_login(w.shequ1)
    url = reverse("points:entry_new") + f"?member={w.m_zhangsan.pk}"
    page = client.get(url).content.decode()
    assert "撰写心得文章、录制微党课" in page and "参加三会一课" not in page  # manual rules only
    today = timezone.localdate()
    missing = client.post(url, {"occurred_on": f"{today:%Y-%m-%d}", "rule": "article", "quantity": "1", "evidence": ""}).content.decode()
    assert "请填写依据（如文章题目、会议记录、处分文号）。" in missing
    future = client.post(url, {"occurred_on": "2999-01-01", "rule": "article", "quantity": "1", "evidence": "文章"}).content.decode()
    assert "发生日期不能晚于今天。" in future
    nothing = client.post(url, {"occurred_on": "", "rule": "", "quantity": "0", "evidence": "文章"}).content.decode()
    assert "请填写发生日期。" in nothing and "请选择细则条目。" in nothing
    zero = client.post(url, {"occurred_on": f"{today:%Y-%m-%d}", "rule": "article", "quantity": "0", "evidence": "文章"}).content.decode()
    assert "次数应大于0。" in zero
    assert not PointEntry.objects.exists()
    done = client.post(url, {"occurred_on": f"{today:%Y-%m-%d}", "rule": "article", "quantity": "2", "evidence": "《社区治理心得》"})
    e = PointEntry.objects.get()
    assert done.url == reverse("points:statement", args=[w.m_zhangsan.pk]) + f"?year={e.cycle}"
    assert (e.status, e.amount, e.entered_by, e.code) == (EntryStatus.PENDING, D("6"), w.shequ1, "article")
    assert client.get(reverse("points:entry_new")).status_code == 302  # no member: back to the rankings


def test_secretary_approves_and_rejects(client, world):
    w = world
    first = entry(w, w.m_zhangsan, "article", approve=False, evidence="文章一")
    second = entry(w, w.m_zhangsan, "merit", approve=False, evidence="好人好事")
    client.force_login(w.zhibu1)
    page = client.get(reverse("points:approvals")).content.decode()
    assert "文章一" in page and "好人好事" in page and reverse("points:entry_approve", args=[first.pk]) in page
    assert client.get(reverse("points:entry_approve", args=[first.pk])).status_code == 405
    done = client.post(reverse("points:entry_approve", args=[first.pk]), {"next": reverse("points:approvals")})
    assert done.url == reverse("points:approvals")
    first.refresh_from_db()
    assert (first.status, first.decided_by) == (EntryStatus.APPROVED, w.zhibu1)
    no_reason = client.post(reverse("points:entry_reject", args=[second.pk]), {"reason": " "}, follow=True)
    assert "请填写不通过的原因。" in no_reason.content.decode()
    second.refresh_from_db()
    assert second.status == EntryStatus.PENDING
    client.post(reverse("points:entry_reject", args=[second.pk]), {"reason": "证明材料不足"})
    second.refresh_from_db()
    assert (second.status, second.note) == (EntryStatus.REJECTED, "证明材料不足")
    again = client.post(reverse("points:entry_approve", args=[second.pk]), follow=True).content.decode()
    assert "这条积分已审核过" in again
    assert client.get("/points/").context["page"].rows[0].score == D("63")


def test_non_approver_is_refused_and_reads_only(client, world):
    w = world
    pending = entry(w, w.m_zhangsan, "article", approve=False, evidence="文章一")
    client.force_login(w.shequ1)
    page = client.get(reverse("points:approvals")).content.decode()
    assert "文章一" in page and "只有支部书记及以上可以审核积分" in page
    assert reverse("points:entry_approve", args=[pending.pk]) not in page
    assert client.post(reverse("points:entry_approve", args=[pending.pk])).status_code == 403
    assert client.post(reverse("points:entry_reject", args=[pending.pk]), {"reason": "不行"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == EntryStatus.PENDING
    counted = entry(w, w.m_zhangsan, "merit", evidence="好人好事")
    assert client.post(reverse("points:entry_reverse", args=[counted.pk]), {"reason": "错了"}).status_code == 403
    statement = client.get(reverse("points:statement", args=[w.m_zhangsan.pk])).content.decode()
    assert reverse("points:entry_reverse", args=[counted.pk]) not in statement


def test_reversal_by_secretary(client, world):
    w = world
    counted = entry(w, w.m_zhangsan, "merit", evidence="好人好事")
    client.force_login(w.zhibu1)
    url = reverse("points:statement", args=[w.m_zhangsan.pk])
    assert reverse("points:entry_reverse", args=[counted.pk]) in client.get(url).content.decode()
    empty = client.post(reverse("points:entry_reverse", args=[counted.pk]), {"reason": ""}, follow=True).content.decode()
    assert "请填写冲正原因。" in empty
    done = client.post(reverse("points:entry_reverse", args=[counted.pk]), {"reason": "重复录入"})
    assert done.url.startswith(url)
    html = client.get(url).content.decode()
    assert "已冲正" in html and "重复录入" in html and "抵消" in html
    assert client.get(url).context["s"].score == D("60")


def test_person_page_links_the_statement(client, world):
    client.force_login(world.shequ1)
    html = client.get(reverse("people:person", args=[world.zhangsan.pk])).content.decode()
    assert reverse("points:statement", args=[world.m_zhangsan.pk]) in html


@pytest.mark.parametrize("username", ["shequ1", "zhibu1"])
def test_another_communitys_member_and_entries_are_404(client, world, username):
    w = world
    theirs_pending = entry(w, w.m_zhaoliu, "article", approve=False, evidence="和平里的文章")
    theirs = entry(w, w.m_zhaoliu, "merit", evidence="和平里的好事")
    client.force_login(getattr(w, username))
    assert client.get(reverse("points:statement", args=[w.m_zhaoliu.pk])).status_code == 404
    assert client.get(reverse("points:entry_new") + f"?member={w.m_zhaoliu.pk}").status_code == 404
    assert client.post(reverse("points:entry_new") + f"?member={w.m_zhaoliu.pk}",
                       {"occurred_on": "2026-01-02", "rule": "article", "quantity": "1", "evidence": "越权"}).status_code == 404
    for org in (w.O_C2, w.O_K3, w.O_S2):
        assert client.get("/points/", {"org": org.pk}).status_code == 404
        assert client.get("/points/", {"org": org.pk, "format": "xlsx"}).status_code == 404
    for name in ("entry_approve", "entry_reject", "entry_reverse"):
        for e in (theirs_pending, theirs):
            url = reverse(f"points:{name}", args=[e.pk])
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"reason": "越权"}).status_code == 404, url
    theirs_pending.refresh_from_db()
    assert theirs_pending.status == EntryStatus.PENDING and not PointEntry.objects.filter(reverses=theirs).exists()
    assert "和平里的文章" not in client.get(reverse("points:approvals")).content.decode()
    assert "赵六" not in client.get("/points/").content.decode()
    assert client.get("/points/", {"org": "x"}).status_code == 404


def test_rankings_query_count(client, world, django_assert_max_num_queries):
    for i in range(30):
        PartyMemberFactory(person=PersonFactory(name=f"党员{i}", place=world.B1), organization=world.O_K1)
    client.force_login(world.quwei)
    with django_assert_max_num_queries(20):
        assert client.get("/points/").status_code == 200
