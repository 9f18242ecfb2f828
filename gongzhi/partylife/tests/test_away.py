"""在外党员: personal links (only the token's hash kept, a new link voids the old), members' own pages
without a login, their reports, and who has not reported in a quarter, on hand-made cases."""

import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongzhi.partylife import away
from gongzhi.partylife.models import AwayReport, MemberLink, ReportKind
from gongzhi.people.models import MemberStatus
from gongzhi.people.tests.factories import PartyMemberFactory, PersonFactory

D = dt.date
Q4 = away.Quarter(2026, 4)  # 1 October – 31 December 2026


def at(y, m, d, hour=12, minute=0, second=0):
    """A moment in local time (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime(y, m, d, hour, minute, second))


def report(member, when, title="思想汇报", **kwargs):
    return AwayReport.objects.create(member=member, title=title, content="近期学习情况。", submitted_at=when, **kwargs)


@pytest.fixture
def away_world(world):
    """张三 (K1) is away in 深圳; 赵六 (K3, the sibling 社区) is away in 上海."""
    world.m_zhangsan.is_away, world.m_zhangsan.away_location, world.m_zhangsan.away_reason = True, "广东省深圳市", "外出务工"
    world.m_zhangsan.save()
    world.m_zhaoliu.is_away, world.m_zhaoliu.away_location = True, "上海市浦东新区"
    world.m_zhaoliu.save()
    return world


def link_for(w, member, scope_of, user=None):
    user = user or w.zhibu1
    return away.link_create(scope=scope_of(user), acting_user=user, member=member)


# ---- links ------------------------------------------------------------------------------------


def test_only_the_tokens_hash_is_stored(away_world, scope_of):
    w = away_world
    link, token = link_for(w, w.m_zhangsan, scope_of)
    assert len(token) == 32 and re.fullmatch(r"[A-Za-z0-9_-]+", token)  # token_urlsafe(24)
    row = MemberLink.objects.values().get(pk=link.pk)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in [str(v) for v in row.values()] and row["created_by_id"] == w.zhibu1.pk
    assert link_for(w, w.m_zhangsan, scope_of)[1] != token  # random each time
    assert away.member_for_token(away.token_hash(token)) is None  # the stored hash is no key


def test_a_new_link_voids_the_old_and_voiding_ends_it(away_world, scope_of):
    w = away_world
    first_link, first = link_for(w, w.m_zhangsan, scope_of)
    assert away.member_for_token(first) == w.m_zhangsan
    first_link.refresh_from_db()
    assert first_link.last_used_at is not None and first_link.revoked_at is None
    second_link, second = link_for(w, w.m_zhangsan, scope_of)
    assert away.member_for_token(first) is None and away.member_for_token(second) == w.m_zhangsan
    first_link.refresh_from_db()
    assert first_link.revoked_at is not None
    assert away.link_revoke(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, member=w.m_zhangsan) == 1
    assert away.member_for_token(second) is None
    assert away.link_revoke(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, member=w.m_zhangsan) == 0
    for bad in ("", "x", "a" * 500, first[:-1]):
        assert away.member_for_token(bad) is None


def test_links_only_in_scope_and_for_members_on_the_roll(away_world, scope_of):
    w = away_world
    with pytest.raises(Http404):
        link_for(w, w.m_zhangsan, scope_of, user=w.shequ2)
    with pytest.raises(Http404):
        away.link_revoke(scope=scope_of(w.shequ2), acting_user=w.shequ2, member=w.m_zhangsan)
    _link, token = link_for(w, w.m_zhangsan, scope_of)
    w.m_zhangsan.status = MemberStatus.TRANSFERRED_OUT
    w.m_zhangsan.save()
    assert away.member_for_token(token) is None  # a member who left finds nothing, as any dead link
    with pytest.raises(ValidationError) as e:
        link_for(w, w.m_zhangsan, scope_of)
    assert "不是在册党员" in e.value.messages[0]


# ---- reports ----------------------------------------------------------------------------------


def submit(member, **kwargs):
    values = {"kind": ReportKind.THOUGHT, "title": "第四季度思想汇报", "content": "学习了党的二十届四中全会精神。", "location": "深圳"} | kwargs
    return away.report_submit(member=member, **values)


def test_report_submit_validates_and_cleans(away_world):
    m = away_world.m_zhangsan
    with pytest.raises(ValidationError) as e:
        submit(m, title="  ", content="\n　　\n", kind="poem", location="长" * 101)
    assert e.value.message_dict == {
        "kind": ["请选择汇报类别：思想汇报或情况汇报。"], "title": ["请填写标题。"], "content": ["请填写汇报内容。"], "location": ["所在地不能超过100个字。"],
    }
    with pytest.raises(ValidationError) as e:
        submit(m, title="标" * 101, content="字" * 5001)
    assert e.value.message_dict["title"] == ["标题不能超过100个字。"] and "不能超过5000个字（现有5001个字）" in e.value.message_dict["content"][0]
    r = submit(m, title=" 第四季度\u200b  思想汇报\x00 ", content="\r\n　　第一段，学习。\t\r\n\r\n\r\n\r\n第二段！  \n\n", location=" 广东省 深圳市 ")
    r.refresh_from_db()
    assert (r.title, r.location) == ("第四季度 思想汇报", "广东省 深圳市")
    assert r.content == "　　第一段，学习。\n\n第二段！"  # lines and the 全角 indent kept, full-width punctuation too
    assert r.kind == ReportKind.THOUGHT and r.read_at is None and r.submitted_at is not None


def test_a_double_tap_saves_once_and_a_day_has_a_limit(away_world):
    m, now = away_world.m_zhangsan, at(2026, 11, 2, 9)
    first = submit(m, now=now)
    assert submit(m, now=now + dt.timedelta(minutes=2)) == first
    assert AwayReport.objects.count() == 1
    for i in range(away.DAILY_MAX - 1):
        submit(m, title=f"情况{i}", now=now + dt.timedelta(minutes=i))
    with pytest.raises(ValidationError) as e:
        submit(m, title="又一篇", now=now + dt.timedelta(hours=3))
    assert "请明天再提交" in e.value.messages[0]
    submit(m, title="第二天", now=now + dt.timedelta(days=1, minutes=10))  # a day later: fine again


def test_mark_read_with_a_reply_only_in_scope(away_world, scope_of):
    w = away_world
    r = submit(w.m_zhangsan)
    with pytest.raises(Http404):
        away.report_mark_read(scope=scope_of(w.shequ2), acting_user=w.shequ2, report=r, reply="越权")
    with pytest.raises(ValidationError):
        away.report_mark_read(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, report=r, reply="长" * 1001)
    away.report_mark_read(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, report=r, reply="收到，注意身体。")
    r.refresh_from_db()
    assert (r.read_by, r.reply) == (w.zhibu1, "收到，注意身体。") and r.read_at is not None


# ---- who has reported in a quarter ------------------------------------------------------------


@pytest.fixture
def quarter_world(away_world):
    """K1's branch in Q4 2026, each member made to test one rule of the list."""
    w = away_world

    def member(name, **kwargs):
        return PartyMemberFactory(person=PersonFactory(name=name, place=w.B1), organization=w.O_K1, **kwargs)

    w.q = {
        "上季": member("上季", is_away=True, away_location="北京市"),  # reported in Q3 only: not this quarter
        "从未": member("从未", is_away=True),  # never reported
        "在家": member("在家"),  # reports, but is not away: not on the list
        "转出": member("转出", is_away=True, status=MemberStatus.TRANSFERRED_OUT, status_changed_on=D(2026, 10, 10)),  # left
        "零点": member("零点", is_away=True),  # reported at 00:00 on 1 October, local time: counts
    }
    report(w.m_zhangsan, at(2026, 11, 3), title="十一月汇报")
    report(w.m_zhangsan, at(2026, 10, 8), title="十月汇报")
    report(w.q["上季"], at(2026, 9, 30, 23, 59, 59), title="三季度汇报")  # the last second of Q3
    report(w.q["在家"], at(2026, 11, 1))
    report(w.q["转出"], at(2026, 10, 2))
    report(w.q["零点"], at(2026, 10, 1, 0, 0, 0))
    report(w.q["零点"], at(2027, 1, 2), title="明年的")  # after the quarter: neither in it nor its latest
    report(w.m_zhaoliu, at(2026, 11, 5))  # K3: another 社区
    return w


def status_by_name(rows):
    return {s.member.person.name: s for s in rows}


def test_not_reported_list_for_a_quarter(quarter_world, scope_of):
    w = quarter_world
    rows = status_by_name(away.away_status(scope=scope_of(w.zhibu1), organization=w.O_K1, quarter_start=Q4.start, quarter_end=Q4.end))
    assert sorted(rows) == ["上季", "从未", "张三", "零点"]  # not 在家 (not away), 转出 (left), 赵六 (out of scope)
    assert sorted(n for n, s in rows.items() if not s.reported) == ["上季", "从未"]
    assert [r.title for r in rows["张三"].reports] == ["十一月汇报", "十月汇报"] and rows["张三"].latest.title == "十一月汇报"
    assert rows["上季"].reports == [] and rows["上季"].latest.title == "三季度汇报"
    assert rows["从未"].latest is None and rows["零点"].latest.title == "思想汇报"
    # the quarter before: only 上季 had reported
    q3 = Q4.previous()
    rows = status_by_name(away.away_status(scope=scope_of(w.zhibu1), organization=w.O_K1, quarter_start=q3.start, quarter_end=q3.end))
    assert sorted(n for n, s in rows.items() if s.reported) == ["上季"] and rows["张三"].latest is None


def test_the_list_follows_the_scope(quarter_world, scope_of):
    w = quarter_world

    def names(user, organization=None):
        members = away.away_members(scope=scope_of(user), organization=organization, quarter_start=Q4.start, quarter_end=Q4.end)
        return [m.person.name for m in members], away.away_counts(members)

    assert names(w.shequ2) == (["赵六"], (1, 1))
    assert names(w.shequ2, w.O_K1) == ([], (0, 0))  # K1's branch lies outside C2
    assert names(w.jiedao1, w.O_S1)[1] == (5, 3)  # the street sees both 社区: K1's four and 赵六
    assert names(w.zhibu1)[1] == (4, 2)


def test_quarters():
    assert away.Quarter.of(D(2026, 11, 27)) == Q4 and (Q4.start, Q4.end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert away.Quarter(2026, 1).previous() == away.Quarter(2025, 4) and away.Quarter(2024, 1).end == D(2024, 3, 31)
    assert away.Quarter.parse("2026-4") == Q4 and away.Quarter.parse("2026-5") is None and away.Quarter.parse("x") is None
    assert [q.value for q in away.recent_quarters(D(2026, 2, 1), 3)] == ["2026-1", "2025-4", "2025-3"]
    assert Q4.label == "2026年第4季度"


# ---- pages ------------------------------------------------------------------------------------


def test_member_pages_without_a_login(client, away_world, scope_of):
    w = away_world
    _link, token = link_for(w, w.m_zhangsan, scope_of)
    home = reverse("partylife:member_home", args=[token])
    response = client.get(home)
    html = response.content.decode()
    assert response.status_code == 200 and "张三同志，您好" in html and "幸福家园党支部" in html and "还没有提交过汇报" in html
    assert response["Cache-Control"].startswith("max-age=0") and response["Referrer-Policy"] == "same-origin"
    person = w.zhangsan
    for secret in ("13812345678", person.phone_mask, person.id_number_mask):
        assert secret and secret not in html
    form_url = reverse("partylife:member_report", args=[token])
    assert 'value="广东省深圳市"' in client.get(form_url).content.decode()  # prefilled with the away location
    bad = client.post(form_url, {"kind": "thought", "title": "", "content": "", "location": "深圳"})
    assert "请填写标题。" in bad.content.decode() and "请填写汇报内容。" in bad.content.decode()
    done = client.post(form_url, {"kind": "situation", "title": "务工情况", "content": "在深圳一切都好。", "location": "深圳"}, follow=True)
    html = done.content.decode()
    assert done.redirect_chain[-1][0] == home and "汇报已提交" in html and "务工情况" in html and "待支部阅示" in html
    r = AwayReport.objects.get()
    assert (r.member, r.kind, r.location) == (w.m_zhangsan, ReportKind.SITUATION, "深圳")
    away.report_mark_read(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, report=r, reply="收到，保重。")
    html = client.get(home).content.decode()
    assert "支部已阅" in html and "收到，保重。" in html and "本季度已汇报" in html


def test_unknown_voided_or_left_tokens_are_the_same_404(client, away_world, scope_of):
    w = away_world
    _link, voided = link_for(w, w.m_zhangsan, scope_of)
    away.link_revoke(scope=scope_of(w.zhibu1), acting_user=w.zhibu1, member=w.m_zhangsan)
    _link, left = link_for(w, w.m_zhaoliu, scope_of, user=w.shequ2)
    w.m_zhaoliu.status = MemberStatus.DECEASED
    w.m_zhaoliu.save()
    pages = []
    for token in ("not-a-token", voided, left, "x" * 100):
        for name in ("partylife:member_home", "partylife:member_report"):
            response = client.get(reverse(name, args=[token]))
            assert response.status_code == 404
            pages.append(response.content.decode())
        assert client.post(reverse("partylife:member_report", args=[token]), {"kind": "thought", "title": "t", "content": "c"}).status_code == 404
    assert "这个链接无效或已停止使用" in pages[0] and "张三" not in pages[2] and "赵六" not in pages[4]
    assert len({re.search(r"<main.*</main>", p, re.S)[0] for p in pages}) == 1  # nothing says why
    assert not AwayReport.objects.exists()


@pytest.fixture
def z(client, world):
    client.force_login(world.zhibu1)
    return client


def test_away_page_generates_a_link_once_and_voids_it(z, quarter_world):
    w = quarter_world
    url = reverse("partylife:away", args=[w.O_K1.pk])
    html = z.get(url, {"quarter": "2026-4"}).content.decode()
    assert "2026年第4季度" in html and "上季" in html and "在家" not in html and "赵六" not in html
    missing = z.get(url, {"quarter": "2026-4", "missing": "1"}).content.decode()
    assert "上季" in missing and "从未" in missing and "零点" not in missing and "十一月汇报" not in missing
    response = z.post(url + "?quarter=2026-4", {"member": w.q["从未"].pk, "action": "create"})
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store" and "<svg" in html and "只显示这一次" in html
    token = re.search(r"/m/([A-Za-z0-9_-]+)/", html)[1]
    assert away.member_for_token(token) == w.q["从未"]
    assert "/m/" not in z.get(url).content.decode()  # shown once: not on the next visit
    voided = z.post(url, {"member": w.q["从未"].pk, "action": "revoke"})
    assert voided.status_code == 302 and away.member_for_token(token) is None
    assert "已作废从未的专属链接" in z.get(voided.url).content.decode()
    # a member of another branch through this branch's page: 404
    assert z.post(url, {"member": w.m_zhaoliu.pk, "action": "create"}).status_code == 404
    assert not MemberLink.objects.filter(member=w.m_zhaoliu).exists()


def test_reading_a_report_and_replying(z, quarter_world):
    w = quarter_world
    r = AwayReport.objects.get(title="十一月汇报")
    url = reverse("partylife:report", args=[r.pk])
    html = z.get(url).content.decode()
    assert "十一月汇报" in html and "近期学习情况。" in html and "待阅" in html and "十月汇报" in html  # and the member's other report
    response = z.post(url, {"reply": "收到，继续保持。"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.read_by == w.zhibu1 and r.reply == "收到，继续保持。"
    assert "已阅" in z.get(url).content.decode()


def test_staff_pages_are_404_for_another_branch(client, quarter_world):
    w = quarter_world
    client.force_login(w.shequ2)
    r = AwayReport.objects.get(title="十一月汇报")
    assert client.get(reverse("partylife:away", args=[w.O_K1.pk])).status_code == 404
    assert client.post(reverse("partylife:away", args=[w.O_K1.pk]), {"member": w.m_zhangsan.pk, "action": "create"}).status_code == 404
    assert client.get(reverse("partylife:report", args=[r.pk])).status_code == 404
    assert client.post(reverse("partylife:report", args=[r.pk]), {"reply": "越权"}).status_code == 404
    r.refresh_from_db()
    assert r.read_at is None and not MemberLink.objects.exists()
    own = client.get(reverse("partylife:away", args=[w.O_K3.pk])).content.decode()
    assert "赵六" in own and "张三" not in own
    client.logout()
    assert client.get(reverse("partylife:away", args=[w.O_K1.pk])).status_code == 302  # to the login page


def test_the_political_birthday_of_this_month_is_noted(client, away_world, scope_of):
    w, today = away_world, timezone.localdate()
    w.m_zhangsan.joined_on, w.m_zhangsan.full_on = D(2001, today.month, 1), None
    w.m_zhangsan.save()
    _link, token = link_for(w, w.m_zhangsan, scope_of)
    html = client.get(reverse("partylife:member_home", args=[token])).content.decode()
    assert f"入党 {today.year - 2001} 周年的政治生日" in html
    w.m_zhangsan.joined_on = D(2001, today.month % 12 + 1, 1)  # next month: not yet
    w.m_zhangsan.save()
    assert "政治生日" not in client.get(reverse("partylife:member_home", args=[token])).content.decode()


def test_the_away_page_reads_the_same_queries_for_more_members(z, quarter_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = quarter_world
    url = reverse("partylife:away", args=[w.O_K1.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert z.get(url, {"quarter": "2026-4"}).status_code == 200
        return len(captured)

    before = queries()
    for i in range(5):
        m = PartyMemberFactory(person=PersonFactory(name=f"外出{i}", place=w.B1), organization=w.O_K1, is_away=True)
        report(m, at(2026, 11, 1 + i))
        MemberLink.objects.create(member=m, token_hash=f"{i:064d}")
    assert queries() == before
