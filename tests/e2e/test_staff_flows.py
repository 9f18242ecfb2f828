"""The staff flows in a real browser: log in, browse the tree, search a person, open a household."""

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_login_browse_tree_and_open_a_household(page, live_server, world, login, shot, viewport):
    login("shequ1")
    expect(page.locator("body")).to_contain_text("社区工作者")
    shot("home")
    page.goto(f"{live_server.url}/places/")
    expect(page.locator("h1")).to_contain_text("幸福社区")
    expect(page.locator("body")).not_to_contain_text("和平社区")
    shot("community")
    page.get_by_role("link", name="幸福家园", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("幸福家园")
    page.get_by_role("link", name="1号楼", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("1号楼")
    shot("building")
    page.get_by_role("link", name="1-101").first.click()
    expect(page.locator("h1")).to_contain_text("1-101")
    body = page.locator("body")
    expect(body).to_contain_text("张三")
    expect(body).to_contain_text("李四")
    expect(body).to_contain_text("138****5678")
    assert "13812345678" not in page.content()
    shot("household")


def test_expand_tree_inline(page, live_server, world, login, shot):
    login("jiedao1")
    page.goto(f"{live_server.url}/places/{world.S1.pk}/")
    expect(page.locator("body")).to_contain_text("和平社区")
    page.locator("[hx-get*='/places/%d/children/']" % world.C1.pk).first.click()
    expect(page.locator("body")).to_contain_text("老厂宿舍")
    shot("expanded")


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_search_a_person_live_and_open_the_page(page, live_server, world, login, shot, viewport):
    login("shequ1")
    page.goto(f"{live_server.url}/people/")
    page.fill("input[name=q]", "zs")
    results = page.locator("#results")
    expect(results).to_contain_text("张三")
    expect(results).not_to_contain_text("李四")
    shot("search-initials")
    page.fill("input[name=q]", "13812345678")
    expect(results).to_contain_text("张三")
    page.fill("input[name=q]", "赵")
    expect(results).not_to_contain_text("赵六")  # 赵六 lives in the sibling 社区
    page.fill("input[name=q]", "张")
    results.get_by_role("link", name="张三").first.click()
    expect(page.locator("h1")).to_contain_text("张三")
    expect(page.locator("body")).to_contain_text("幸福家园党支部")
    shot("person")


def test_out_of_scope_page_is_a_chinese_404(page, live_server, world, login, shot):
    login("shequ1")
    response = page.goto(f"{live_server.url}/people/{world.zhaoliu.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("页面不存在")
    assert "赵六" not in page.content()
    shot("404")


def test_edit_a_person_with_field_errors(page, live_server, world, login, shot):
    login("shequ1")
    page.goto(f"{live_server.url}/people/{world.lisi.pk}/edit/")
    page.fill("input[name=phone]", "12345")
    page.get_by_role("button", name=re.compile("保存")).click()
    expect(page.locator("body")).to_contain_text("手机号码")
    shot("edit-error")
    page.fill("input[name=phone]", "13900001111")
    page.get_by_role("button", name=re.compile("保存")).click()
    expect(page.locator("h1")).to_contain_text("李四")
    expect(page.locator("body")).to_contain_text("139****1111")


def test_wrong_password_message(page, live_server, world, login, shot):
    login("shequ1", "wrong-password")
    expect(page.locator("body")).to_contain_text("用户名或密码不正确")
    shot("login-error")
