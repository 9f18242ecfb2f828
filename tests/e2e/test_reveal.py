"""Revealing a full phone number in the browser, then reviewing the log as the district admin."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from gongzhi.people.models import PiiReveal


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_reveal_a_phone_with_a_reason_then_review_the_log(page, live_server, world, login, shot, viewport):
    world.shequ1.user_permissions.add(Permission.objects.get(codename="reveal_personal_data", content_type__app_label="people"))
    login("shequ1")
    page.goto(f"{live_server.url}/people/{world.zhangsan.pk}/")
    phone = page.locator("#reveal-phone")
    expect(phone).to_contain_text("138****5678")
    assert "13812345678" not in page.content()
    phone.get_by_role("button", name="查看完整号码").click()
    reason = page.locator("#reveal-reason-phone")
    expect(reason).to_be_visible()
    reason.fill("看")
    phone.get_by_role("button", name="查看", exact=True).click()
    expect(phone).to_contain_text("至少4个字")
    shot("reason-form")
    page.locator("#reveal-reason-phone").fill("核对联系方式以便走访")
    phone.get_by_role("button", name="查看", exact=True).click()
    expect(phone).to_contain_text("13812345678")
    expect(phone).to_contain_text("已记录")
    expect(page.locator("#reveal-id_number")).to_contain_text(world.zhangsan.id_number_mask)
    shot("revealed")
    assert PiiReveal.objects.filter(user=world.shequ1, person=world.zhangsan, field="phone").count() == 1
    page.reload()
    expect(page.locator("#reveal-phone")).to_contain_text("138****5678")
    assert "13812345678" not in page.content()

    page.context.clear_cookies()
    login("quwei")
    page.goto(f"{live_server.url}/audit/reveals/")
    table = page.locator("#results")
    expect(table).to_contain_text("核对联系方式以便走访")
    expect(table).to_contain_text("张三")
    expect(table).to_contain_text("shequ1")
    assert "13812345678" not in page.content()
    shot("review")
