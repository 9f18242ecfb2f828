"""The staff board and the public board of a 社区, through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.notices.models import Notice, NoticeKind

from .factories import notice

D = dt.date


@pytest.fixture
def board(world):
    today = timezone.localdate()
    b = world
    b.today = today
    b.up = notice(world.C1, title="本周停水通知", starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=5))
    b.long = notice(world.C1, title="居民公约（2026年修订）", kind=NoticeKind.CONVENTION, starts_on=today - dt.timedelta(days=200))
    b.past = notice(world.C1, title="去年的决议公开", kind=NoticeKind.RESOLUTION, starts_on=D(2025, 3, 1), ends_on=D(2025, 3, 8))
    b.later = notice(world.C1, title="下月的讲座预告", kind=NoticeKind.LECTURE, starts_on=today + dt.timedelta(days=9))
    b.gone = notice(world.C1, title="撤下的公告", starts_on=today - dt.timedelta(days=1), withdrawn_at=timezone.now(), withdraw_reason="有误")
    b.other = notice(world.C2, title="和平社区的公告", starts_on=today - dt.timedelta(days=1))
    return b


def _client(client, user):
    client.force_login(user)
    return client


def test_the_public_board_shows_what_is_up_today_and_the_archive_what_ended(client, board):
    url = reverse("notices:public_board", args=[board.C1.pk])
    html = client.get(url).content.decode()
    assert "本周停水通知" in html and "居民公约（2026年修订）" in html
    for absent in ("去年的决议公开", "下月的讲座预告", "撤下的公告", "和平社区的公告"):
        assert absent not in html
    archive = client.get(url, {"archive": "1"}).content.decode()
    assert "去年的决议公开" in archive and "本周停水通知" not in archive and "撤下的公告" not in archive
    only = client.get(url, {"kind": "convention"}).content.decode()
    assert "居民公约（2026年修订）" in only and "本周停水通知" not in only


def test_a_public_notice_page_withdrawn_or_not_yet_up(client, board):
    assert "停水" in client.get(reverse("notices:public_notice", args=[board.up.pk])).content.decode()
    assert client.get(reverse("notices:public_notice", args=[board.later.pk])).status_code == 404
    gone = client.get(reverse("notices:public_notice", args=[board.gone.pk])).content.decode()
    assert "已于" in gone and "撤下的公告的内容" not in gone
    assert client.get(reverse("notices:public_board", args=[board.S1.pk])).status_code == 404  # not a 社区
    assert client.get(reverse("notices:public_board", args=[999999])).status_code == 404


def test_the_public_board_reads_in_a_fixed_number_of_queries(client, board, django_assert_max_num_queries):
    for i in range(30):
        notice(board.C1, title=f"公告{i}", starts_on=board.today - dt.timedelta(days=i % 7), compound=board.K1 if i % 2 else None)
    url = reverse("notices:public_board", args=[board.C1.pk])
    with django_assert_max_num_queries(5):  # the 社区, the count, the page, the kind chips (+ session-free)
        assert client.get(url).status_code == 200


def test_the_staff_board_is_scoped_and_filters_by_state(client, board):
    c = _client(client, board.shequ1)
    html = c.get(reverse("notices:board")).content.decode()
    assert "本周停水通知" in html and "撤下的公告" in html and "下月的讲座预告" in html
    assert "和平社区的公告" not in html
    current = c.get(reverse("notices:board"), {"state": "current"}).content.decode()
    assert "本周停水通知" in current and "撤下的公告" not in current and "去年的决议公开" not in current
    assert c.get(reverse("notices:board"), {"community": board.C2.pk}).status_code == 404
    assert c.get(reverse("notices:notice", args=[board.other.pk])).status_code == 404
    street = _client(client, board.jiedao1).get(reverse("notices:board")).content.decode()
    assert "和平社区的公告" in street and "本周停水通知" in street


def test_the_staff_board_exports_what_it_lists(client, board):
    c = _client(client, board.shequ1)
    response = c.get(reverse("notices:board"), {"export": "xlsx"})
    rows = list(load_workbook(filename=__import__("io").BytesIO(response.content)).active.iter_rows(values_only=True))
    titles = {r[4] for r in rows[2:]}
    assert titles == {"本周停水通知", "居民公约（2026年修订）", "去年的决议公开", "下月的讲座预告", "撤下的公告"}
    assert rows[1][:5] == ("编号", "社区", "小区", "类别", "标题")


def test_staff_write_an_announcement_and_withdraw_it(client, board):
    c = _client(client, board.shequ1)
    bad = c.post(reverse("notices:new"), {"community": board.C1.pk, "kind": "announcement", "title": "", "body": "x",
                                          "starts_on": "2026-11-30", "ends_on": "2026-11-01"}).content.decode()
    assert "请填写标题" in bad and "公开截止日期不能早于公开日期" in bad
    # another 社区's id is not offered, and posted anyway it is a 404
    other = c.post(reverse("notices:new"), {"community": board.C2.pk, "kind": "announcement", "title": "t", "body": "b", "starts_on": "2026-11-30"})
    assert other.status_code == 404 and not Notice.objects.filter(title="t").exists()
    response = c.post(reverse("notices:new"), {"community": board.C1.pk, "compound": board.K1.pk, "kind": "announcement",
                                               "title": "电梯维保通知", "body": "12月1日停梯半天。", "starts_on": board.today.isoformat()})
    made = Notice.objects.get(title="电梯维保通知")
    assert response.status_code == 302 and made.compound == board.K1 and made.published_by == board.shequ1
    assert "电梯维保通知" in client.get(reverse("notices:public_board", args=[board.C1.pk])).content.decode()
    c.post(reverse("notices:notice", args=[made.pk]), {"action": "withdraw", "reason": "日期改了"})
    made.refresh_from_db()
    assert made.withdraw_reason == "日期改了"
    page = c.get(reverse("notices:notice", args=[made.pk])).content.decode()
    assert "日期改了" in page and "发布" in page
    assert "电梯维保通知" not in client.get(reverse("notices:public_board", args=[board.C1.pk])).content.decode()
