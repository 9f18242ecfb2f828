"""Need photos and the 挂账销号 公示 in a browser: a 社区 worker (shequ1) uploads a photo to a need and
sees its thumbnail (served by the scoped view), a wrong file is refused by name; a resident opens
the 社区's public results on a phone without logging in, and one project's page."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gongzhi.needs import services
from gongzhi.needs.models import NeedPhoto
from gongzhi.needs.tests.factories import days_ago, need
from gongzhi.needs.tests.test_photos import png


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_upload_a_photo_and_see_its_thumbnail(page, live_server, world, scope_of, login, shot, viewport, tmp_path):
    w = world
    n = need(scope_of(w.shequ1), w.shequ1, title="1号楼楼道灯不亮", place=w.B1, registered_at=days_ago(2))
    photo, fake = tmp_path / "楼道现场.png", tmp_path / "说明.jpg"
    photo.write_bytes(png(160, 100))
    fake.write_bytes(b"%PDF-1.4 not a photo")
    login("shequ1")
    page.goto(f"{live_server.url}/needs/{n.pk}/")
    expect(page.locator("#photos")).to_contain_text("还没有照片。")
    page.get_by_label("上传照片").set_input_files([str(photo), str(fake)])
    page.locator("#photos").get_by_role("button", name="上传", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已上传 1 张照片。")
    expect(page.locator(".msg.error")).to_contain_text("“说明.jpg”不是照片")
    thumb = page.locator("#photos img[alt='楼道现场.png']")
    expect(thumb).to_be_visible()
    thumb.scroll_into_view_if_needed()  # the thumbnail loads lazily: on a phone it may sit below the fold
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") == 160  # the scoped view served the image
    shot("need-photo")
    assert NeedPhoto.objects.get(need=n).name == "楼道现场.png"


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_public_results_on_a_phone_without_login(page, live_server, world, scope_of, shot, viewport):
    w = world
    s1 = scope_of(w.shequ1)
    for i, (name, summary) in enumerate([
        ("幸福家园楼道照明改造", "为幸福家园1号楼更换楼道声控灯24盏，老人夜间上下楼更安全。居民反映的3处暗点全部消除。"),
        ("老厂宿舍加装扶手", "在老厂宿舍楼梯加装不锈钢扶手，方便老年居民出行。"),
    ]):
        needs = [need(s1, w.shequ1, title=f"{name}需求{k}", place=(w.B1, w.B2)[i], requester=w.zhangsan if i == 0 else None) for k in range(2 - i)]
        project = services.project_open(scope=s1, acting_user=w.shequ1, name=name, organization=w.O_C1, leader_name="刘书记", needs=needs,
                                        budget=Decimal("3000"), opened_on=dt.date.today() - dt.timedelta(days=30))
        services.project_close(scope=s1, acting_user=w.shequ1, project=project, result="张三确认已修好", evidence="验收单（张三签字）",
                               public_summary=summary, closed_on=dt.date.today() - dt.timedelta(days=5 - i))
    page.goto(f"{live_server.url}/public/{w.C1.pk}/results/")
    expect(page.locator("h1")).to_have_text("项目销号公示")
    cards = page.locator(".public-result")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("老厂宿舍加装扶手")  # newest first
    expect(cards.nth(1)).to_contain_text("解决 2 项需求")
    expect(page.locator("body")).not_to_contain_text("张三")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    shot("public-results")
    page.get_by_role("link", name="幸福家园楼道照明改造").click()
    expect(page.locator("h1")).to_have_text("幸福家园楼道照明改造")
    expect(page.locator("main")).to_contain_text("居民反映的3处暗点全部消除")
    expect(page.locator(".public-result")).to_contain_text("幸福社区 · 幸福家园")
    expect(page.locator("body")).not_to_contain_text("验收单")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot("public-result")
