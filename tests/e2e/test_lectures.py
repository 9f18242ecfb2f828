"""法治讲座 in a browser: a resident (张三) 点单 on the 社区's phone page without a login, another
(李四) seconds it; the 社区 worker (shequ1) places the order and copies the teacher's link; the
teacher accepts on that link on their phone; after the lecture the worker records it held with the
attendance; the resident's page shows the request 已开讲 and the lecture with its attendance."""

import datetime as dt

import pytest

from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.core.pii import decrypt
from gongzhi.lectures.models import LectureOrder, LectureRequest, OrderStatus, RequestStatus
from gongzhi.lectures.tests import factories as f

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "locale": "zh-CN"}


def test_the_loop_from_request_to_lecture(browser, page, live_server, world, login, shot):
    w = world
    teacher = f.teacher(w.D, name="李律师", organisation="东风律师事务所")
    contexts = [browser.new_context(**PHONE), browser.new_context(**PHONE)]  # the resident's phone, the teacher's
    try:
        _loop(page, contexts, live_server, w, teacher, login, shot)
    finally:
        for context in contexts:
            context.close()


def _loop(page, contexts, live_server, w, teacher, login, shot):
    phone = contexts[0].new_page()
    phone.set_default_timeout(10_000)
    public = f"{live_server.url}/public/{w.C1.pk}/lectures/"

    # 点单 on the phone page: identified by name and ID number
    phone.goto(public)
    expect(phone.locator("h1")).to_have_text("法治讲座 · 居民点单")
    phone.get_by_text("我要点单").click()
    form = phone.locator("#request-form")
    form.get_by_label("讲座主题").select_option(label="识破电信网络诈骗（反诈）")
    form.get_by_label("想听的内容").fill("老人接到冒充公检法的电话怎么办")
    form.get_by_label("您的姓名").fill("张三")
    form.get_by_label("身份证号").fill(decrypt(w.zhangsan.id_number_enc))
    phone.screenshot(path="tests/e2e/artifacts/test_lectures-phone-request.png", full_page=True)
    form.get_by_role("button", name="提交点单").click()
    expect(phone.locator(".msg.success")).to_contain_text("点单成功")
    request = LectureRequest.objects.get()
    card = phone.locator(f"#request-{request.pk}")
    expect(card).to_contain_text("待下单")
    expect(card).to_contain_text("张*")
    expect(phone.locator("body")).not_to_contain_text("张三")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # 附议 by 李四
    card.get_by_text("我也想听（附议）").click()
    card.get_by_label("您的姓名").fill("李四")
    card.get_by_label("身份证号").fill(decrypt(w.lisi.id_number_enc))
    card.get_by_role("button", name="附议").click()
    expect(phone.locator(".msg.success")).to_contain_text("附议成功")
    expect(phone.locator(f"#request-{request.pk}")).to_contain_text("1 人附议")

    # 下单 by the 社区
    login("shequ1")
    page.goto(f"{live_server.url}/lectures/requests/")
    expect(page.locator("h1")).to_contain_text("居民点单")
    page.locator("table.lecture-requests").get_by_role("link", name="下单").click()
    expect(page.locator("h1")).to_contain_text("幸福社区")
    when = timezone.localtime() + dt.timedelta(days=3)
    page.get_by_label("开讲时间").fill(f"{when:%Y-%m-%dT%H:%M}")
    page.get_by_label("地点").fill("社区党群服务中心二楼")
    page.get_by_label("面向人群").fill("老年人及家属")
    page.get_by_label("预计人数").fill("40")
    page.get_by_label("李律师（外部专家 · 东风律师事务所）", exact=False).check()
    expect(page.get_by_label("识破电信网络诈骗（1人附议）")).to_be_checked()
    shot("order-form")
    page.get_by_role("button", name="下单并邀请讲师").click()
    expect(page.locator(".msg.success")).to_contain_text("已下单")
    expect(page.locator("h1")).to_contain_text("待接单")
    order = LectureOrder.objects.get()
    link = page.locator(f"#invite-{order.invites.get().pk} input").input_value()
    assert link.endswith(f"/lectures/t/{teacher.token}/")
    shot("order-asked")

    # 接单 on the teacher's link (no login, on a phone)
    teacher_phone = contexts[1].new_page()
    teacher_phone.goto(link)
    expect(teacher_phone.locator("h1")).to_contain_text("李律师老师，您好")
    invite = teacher_phone.locator(f"#invite-{order.invites.get().pk}")
    expect(invite).to_contain_text("社区党群服务中心二楼")
    invite.get_by_label("接单").check()
    teacher_phone.screenshot(path="tests/e2e/artifacts/test_lectures-phone-teacher.png", full_page=True)
    invite.get_by_role("button", name="提交答复").click()
    expect(teacher_phone.locator(".msg.success")).to_contain_text("已接单")
    expect(teacher_phone.locator("body")).to_contain_text("我的讲座")

    # the resident sees it coming; the worker sees it accepted
    phone.goto(public)
    expect(phone.locator("#upcoming")).to_contain_text("主讲：李律师")
    expect(phone.locator(f"#request-{request.pk}")).to_contain_text("已下单")
    page.reload()
    expect(page.locator("h1")).to_contain_text("已接单")

    # after the lecture: held with its attendance
    LectureOrder.objects.filter(pk=order.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    page.reload()
    page.get_by_label("实到人数").fill("46")
    page.get_by_label("讲座情况").fill("现场答疑二十分钟")
    page.get_by_role("button", name="登记开讲").click()
    expect(page.locator(".msg.success")).to_contain_text("已登记开讲")
    expect(page.locator("h1")).to_contain_text("已开讲")
    shot("order-held")
    assert LectureOrder.objects.get().status == OrderStatus.HELD

    # the resident's page: 已开讲, with the attendance
    phone.goto(public)
    expect(phone.locator(f"#request-{request.pk}")).to_contain_text("已开讲")
    expect(phone.locator(f"#lecture-{order.pk}")).to_contain_text("46 人参加")
    phone.screenshot(path="tests/e2e/artifacts/test_lectures-phone-answered.png", full_page=True)
    assert LectureRequest.objects.get().status == RequestStatus.ANSWERED


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_staff_pages(page, live_server, world, login, shot, viewport):
    """The overview, the lists and a teacher's page with records on them, on a desktop and a phone."""
    w = world
    teacher = f.teacher(w.D, name="王建国", organisation="河洛律师事务所")
    f.teacher(w.C1, name="刘老师", kind="resident", organisation="")
    r = f.request(w.C1, w.zhangsan)
    f.request(w.C1, w.lisi, title=None, wish="高空抛物伤人谁来赔")
    f.order(w.C1, [teacher], [r])
    login("shequ1")
    for path, heading, name in (("/lectures/", "法治讲座", "overview"), ("/lectures/requests/", "居民点单", "requests"),
                                ("/lectures/orders/", "讲座订单", "orders"), ("/lectures/teachers/", "讲师团队", "teachers"),
                                (f"/lectures/teachers/{teacher.pk}/", "王建国", "teacher"), ("/lectures/topics/", "讲座主题", "topics")):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_contain_text(heading)
        shot(name)
    expect(page.locator("table.lecture-topics tbody tr")).to_have_count(12)
