"""德治 in a browser, on a desktop and on a phone: a resident (张三) votes for 李四 on the 社区's
public selection page without logging in; a second vote of his is refused; once the vote has
closed, the 社区 worker (shequ1) publishes the result, and the honour roll shows on the public
notice board."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.culture.models import Campaign, Vote
from gongzhi.culture.tests.factories import campaign, id_of, nomination


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_a_vote_then_the_published_result_on_the_board(page, live_server, world, login, shot, viewport):
    w = world
    c = campaign(w.C1, "voting", seats=1, title="2026年重阳节好婆婆评选")
    nomination(c, w.lisi, reason="照顾瘫痪婆婆十年如一日")
    nomination(c, w.wangwu, reason="义务打扫楼道三年")

    # the public page: nominees in full, the resident votes with name and 身份证号
    page.goto(f"{live_server.url}/public/{w.C1.pk}/culture/")
    page.get_by_role("link", name="2026年重阳节好婆婆评选").click()
    expect(page.locator("h1")).to_have_text("2026年重阳节好婆婆评选")
    expect(page.locator(".culture-nominee")).to_have_count(2)
    page.locator(".culture-nominee", has_text="李四").click()
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("身份证号").fill(id_of(w.zhangsan))
    shot("vote")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    page.get_by_role("button", name="投票", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("投票成功")

    # a second vote of the same resident is refused with a clear message
    page.locator(".culture-nominee", has_text="王五").click()
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("身份证号").fill(id_of(w.zhangsan))
    page.get_by_role("button", name="投票", exact=True).click()
    expect(page.locator(".form-errors")).to_contain_text("您已在本次评选中投过票，每位居民只能投一票。")
    shot("second-vote")
    assert Vote.objects.filter(campaign=c).count() == 1

    # the vote closes; the worker publishes the result
    today = timezone.localdate()
    Campaign.objects.filter(pk=c.pk).update(nominate_from=today - dt.timedelta(days=12), nominate_until=today - dt.timedelta(days=8),
                                             vote_from=today - dt.timedelta(days=5), vote_until=today - dt.timedelta(days=1))
    login("shequ1")
    page.goto(f"{live_server.url}/culture/campaigns/{c.pk}/")
    expect(page.locator("#tally")).to_contain_text("李四")
    expect(page.locator("#tally")).to_contain_text("当选")
    shot("tally")
    page.get_by_role("button", name="公布评选结果").click()
    expect(page.locator(".msg.success")).to_contain_text("评选结果已公布到社区公开栏")
    expect(page.locator("h1")).to_contain_text("已公布")

    # the public notice board, without logging in
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/{w.C1.pk}/notices/")
    expect(page.locator("body")).to_contain_text("2026年重阳节好婆婆评选结果")
    page.get_by_text("2026年重阳节好婆婆评选结果").first.click()
    expect(page.locator("body")).to_contain_text("李四（1 票）")
    shot("board")


def test_a_story_published_and_publicity_registered(page, live_server, world, login, shot):
    """A worker records a 家风 story and publishes it (it shows on the public 德治 page), then
    registers banners and sees the totals by kind."""
    w = world
    login("shequ1")
    page.goto(f"{live_server.url}/culture/")
    expect(page.locator("h1")).to_have_text("德治")
    page.get_by_role("link", name="＋ 登记家风故事").click()
    page.get_by_label("类型").select_option(label="家风故事")
    page.get_by_label("家庭", exact=True).fill("张家")
    page.get_by_label("标题").fill("老党员的传家宝")
    page.get_by_label("内容").fill("爷爷的入党志愿书，全家每年七一重温。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg.success")).to_contain_text("已登记“老党员的传家宝”")
    page.get_by_role("button", name="发布到公开栏").click()
    expect(page.locator(".msg.success")).to_contain_text("已发布到社区公开栏和德治公开页")
    shot("story")

    page.goto(f"{live_server.url}/culture/publicity/new/")
    page.get_by_label("宣传形式").select_option(label="横幅（条）")
    page.get_by_label("数量").fill("6")
    page.get_by_label("主题").fill("传承红色基因 弘扬焦裕禄好家风")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已登记横幅 6条")
    expect(page.locator(".culture-kind-tiles")).to_contain_text("6 条")
    shot("publicity")
    page.goto(f"{live_server.url}/culture/")
    shot("overview")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/{w.C1.pk}/culture/")
    page.get_by_role("link", name="老党员的传家宝").click()
    expect(page.locator("body")).to_contain_text("爷爷的入党志愿书")
    shot("public-story")
