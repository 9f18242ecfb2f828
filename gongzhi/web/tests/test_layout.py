"""The frame of the staff web app: login, home page, navigation, shared tags and partials."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD, _user
from gongzhi.accounts.models import Role
from gongzhi.core.pagination import capped_page
from gongzhi.org.models import Place
from gongzhi.org.selectors import Coverage
from gongzhi.people.services import place_counts_refresh
from gongzhi.people.tests.factories import HouseholdFactory
from gongzhi.web.navigation import current_key

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_errors_are_chinese(client, world):
    html = client.get(reverse("login")).content.decode()
    assert "工作人员登录" in html and "用户名" in html and "密码" in html
    response = client.post(reverse("login"), {"username": "shequ1", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "这个字段是必填项。" in response.content.decode()


def test_login_then_home(client, world):
    response = client.post(reverse("login"), {"username": "shequ1", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert "社区工作者·幸福社区" in response.content.decode()


def test_home_needs_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_home_shows_the_scope_figures(client, world):
    client.force_login(world.shequ1)
    response = client.get(reverse("web:home"))
    totals = response.context["totals"]
    assert (totals.residents, totals.households, totals.members, totals.compounds) == (3, 1, 1, 2)
    assert response.context["grids"] == 1
    html = response.content.decode()
    assert "50.0%" in html and "1 / 2 个小区已覆盖" in html  # K1 covered, K2 not
    assert "社区工作者·幸福社区" in html and "退出" in html and "shequ1" in html
    assert reverse("org:place", args=[world.C1.pk]) in html and reverse("org:org", args=[world.O_C1.pk]) in html


def test_home_for_the_whole_district(client, world):
    client.force_login(world.quwei)
    html = client.get(reverse("web:home")).content.decode()
    assert "75.0%" in html  # 3 of 4 小区 covered


def test_home_without_grants_asks_to_contact_the_administrator(client, world):
    client.force_login(world.nobody)
    html = client.get(reverse("web:home")).content.decode()
    assert "尚未开通管理范围" in html and "区委组织部系统管理员" in html and "未授权" in html


def test_navigation_highlights_the_current_module(client, world):
    client.force_login(world.shequ1)
    html = client.get(reverse("org:place", args=[world.C1.pk])).content.decode()
    assert 'class="nav-item nav-places active"' in html
    assert 'class="nav-item nav-home"' in html
    assert current_key("org:org_create") == "orgs"
    assert current_key("org:new_orgs") == "new_orgs"
    assert current_key("people:members") == "members"
    assert current_key("people:person") == "people"


def test_system_configuration_only_for_staff(client, world):
    client.force_login(world.shequ1)
    assert "系统配置" in client.get(reverse("web:home")).content.decode()
    plain = _user("plain", Role.COMMUNITY_WORKER, place=world.C1)
    plain.is_staff = False
    plain.save()
    client.force_login(plain)
    assert "系统配置" not in client.get(reverse("web:home")).content.decode()


def test_static_assets_are_local(client, world):
    client.force_login(world.shequ1)
    html = client.get(reverse("web:home")).content.decode()
    assert "vendor/htmx/htmx.min.js" in html and "web/app.css" in html
    assert "http://" not in html and "https://" not in html  # offline intranet: nothing from outside


def test_pagination_keeps_the_query_string(client, world):
    for n in range(25):
        HouseholdFactory(place=world.B1, room=f"3-{n:03d}")
    place_counts_refresh([world.B1.pk])
    client.force_login(world.shequ1)
    html = client.get(reverse("org:place", args=[world.B1.pk]) + "?page=2").content.decode()
    assert "共 26 条，第 2 / 2 页" in html
    assert 'href="?page=1"' in html


def test_the_pager_keeps_the_filters_and_may_load_through_htmx(world):
    page = capped_page(Place.objects.order_by("path"), "2", per_page=2)
    request = RequestFactory().get("/", {"q": "张", "page": "2"})
    html = Template('{% load ui %}{% pagination page %}|{% pagination page "#results" %}').render(Context({"page": page, "request": request}))
    plain, htmx = html.split("|")
    assert f"共 {page.count} 条，第 2 / {page.page.paginator.num_pages} 页" in plain
    assert 'href="?q=%E5%BC%A0&amp;page=1"' in plain and "hx-get" not in plain
    assert 'hx-get="?q=%E5%BC%A0&amp;page=3" hx-target="#results" hx-push-url="true"' in htmx
    assert '<span class="current" aria-current="page">2</span>' in plain


def test_a_single_page_has_no_pager(world):
    page = capped_page(Place.objects.order_by("path"), None, per_page=100)
    assert Template("{% load ui %}{% pagination page %}").render(Context({"page": page})).strip() == ""


def test_percent_filter_and_rate_tag():
    t = Template("{% load ui %}{{ a|percent }} {{ b|percent }} {{ c|num }}|{% rate a %}")
    html = t.render(Context({"a": Coverage.of(2, 3), "b": Coverage.of(0, 0), "c": 1000000}))
    assert html.startswith("66.7% — 1,000,000|") and "2/3" in html


def test_breadcrumbs_tag_links_only_visible_nodes(world):
    world.D.visible, world.S1.visible = False, True
    t = Template('{% load ui %}{% breadcrumbs nodes current "org:place" %}')
    html = t.render(Context({"nodes": [world.D, world.S1], "current": world.C1}))
    assert '<span class="outside" title="超出您的管理范围">示范区</span>' in html
    assert f'<a href="/places/{world.S1.pk}/">东风街道</a>' in html
    assert "<span>幸福社区</span>" in html


def test_form_field_partial_shows_errors(world):
    from gongzhi.org.forms import PlaceCreateForm
    from gongzhi.accounts.scopes import scope_for_user

    form = PlaceCreateForm({"level": "compound", "name": ""}, scope=scope_for_user(world.shequ1), parent=world.C1)
    assert not form.is_valid()
    request = RequestFactory().get("/")
    html = Template('{% load ui %}{% field form.name %}').render(Context({"form": form, "request": request}))
    assert "has-error" in html and "这个字段是必填项。" in html and 'role="alert"' in html


def test_language_switch_does_not_carry_the_query_string(client, world):
    """A searched phone number must not be copied into the page (the switch's `next` field)."""
    client.force_login(world.shequ1)
    html = client.get("/people/?q=13812345678").content.decode()
    assert 'name="next" value="/people/"' in html
    assert html.count("13812345678") <= 1  # only the search box the user typed into


def test_home_of_a_mediator_without_a_role_lists_their_open_cases(client, world):
    import datetime as dt

    from gongzhi.mediation import services
    from gongzhi.mediation.tests import factories as mf

    volunteer = mf.mediator(world.shequ1, world.C1, name="刘调解", login=world.nobody)
    overdue = mf.case(world.shequ1, world.C1, received_on=dt.date(2026, 9, 1))
    mf.case(world.shequ1, world.C1)  # not theirs
    services.case_assign(acting_user=world.shequ1, case=overdue, mediator=volunteer)
    client.force_login(world.nobody)
    html = client.get(reverse("web:home")).content.decode()
    assert "我承办的调解案件" in html and reverse("mediation:case", args=[overdue.pk]) in html and "已逾期" in html
    assert html.count('href="/mediation/') == 1 and "尚未开通管理范围" not in html
