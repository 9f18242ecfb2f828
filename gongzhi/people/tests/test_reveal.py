"""Revealing a full ID number or phone: permission, reason, the log, scope, the review page and export."""

import datetime as dt
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from gongzhi.core import pii
from gongzhi.people import selectors, services
from gongzhi.people.models import PiiReveal
from gongzhi.people.tests.factories import PersonFactory

ZHANGSAN_PHONE = "13812345678"
REVIEW = reverse("people:reveals")
EXPORT = reverse("people:reveals_export")


def grant_reveal(user):
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data", content_type__app_label="people"))
    return type(user).objects.get(pk=user.pk)  # the permission cache is per instance


def reveal_url(person):
    return reverse("people:person_reveal", args=[person.pk])


@pytest.fixture
def s1(world, scope_of):
    return scope_of(world.shequ1)


# ---------------------------------------------------------------- the service


def test_reveal_needs_the_permission(world, s1):
    with pytest.raises(PermissionDenied, match="没有查看完整身份证号和手机号的权限"):
        services.person_reveal(scope=s1, acting_user=world.shequ1, person=world.zhangsan, field="phone", reason="核对联系方式")
    assert not PiiReveal.objects.exists()


def test_reveal_needs_a_reason_of_four_characters(world, s1):
    user = grant_reveal(world.shequ1)
    for reason in ("", "  ", "核对"):
        with pytest.raises(ValidationError) as e:
            services.person_reveal(scope=s1, acting_user=user, person=world.zhangsan, field="phone", reason=reason)
        assert "reason" in e.value.message_dict and "至少4个字" in e.value.message_dict["reason"][0]
    assert not PiiReveal.objects.exists()


def test_reveal_returns_the_value_and_logs_who_whose_what_why(world, s1):
    user = grant_reveal(world.shequ1)
    value = services.person_reveal(scope=s1, acting_user=user, person=world.zhangsan, field="phone", reason="核对联系方式", ip="10.0.0.8")
    assert value == ZHANGSAN_PHONE
    log = PiiReveal.objects.get()
    assert (log.user, log.person, log.field, log.reason, log.ip_address) == (world.shequ1, world.zhangsan, "phone", "核对联系方式", "10.0.0.8")
    assert log.created_at is not None
    id_number = services.person_reveal(scope=s1, acting_user=user, person=world.zhangsan, field="id_number", reason="办理业务核对身份")
    assert len(id_number) == 18 and id_number.endswith(world.zhangsan.id_last4)


def test_superusers_hold_the_permission(world, scope_of):
    boss = type(world.quwei).objects.create_superuser("boss", password="x")
    assert services.person_reveal(scope=scope_of(boss), acting_user=boss, person=world.sunqi, field="id_number", reason="年度核查抽样")


def test_reveal_out_of_scope_is_404(world, s1):
    user = grant_reveal(world.shequ1)
    with pytest.raises(Http404):
        services.person_reveal(scope=s1, acting_user=user, person=world.zhaoliu, field="phone", reason="核对联系方式")


def test_the_raw_rows_hold_no_plain_number(world, s1):
    user = grant_reveal(world.shequ1)
    plain_id = services.person_reveal(scope=s1, acting_user=user, person=world.zhangsan, field="id_number", reason="办理业务核对身份")
    services.person_reveal(scope=s1, acting_user=user, person=world.zhangsan, field="phone", reason="核对联系方式")
    services.person_update(scope=s1, acting_user=user, person=world.zhangsan, phone="13900002222", note="换号")
    with connection.cursor() as cursor:
        for table, key in (("people_piireveal", "person_id"), ("people_person", "id"), ("people_historicalperson", "id")):
            cursor.execute(f"SELECT * FROM {table} WHERE {key} = %s", [world.zhangsan.pk])
            rows = cursor.fetchall()
            assert rows, table
            for row in rows:
                text = " ".join(str(v) for v in row)
                for plain in (plain_id, ZHANGSAN_PHONE, "13900002222"):
                    assert plain not in text, (table, plain)


# ---------------------------------------------------------------- the person page


def test_the_person_page_shows_masks_and_the_control_only_with_the_permission(client, world):
    client.force_login(world.shequ1)
    html = client.get(reverse("people:person", args=[world.zhangsan.pk])).content.decode()
    assert world.zhangsan.phone_mask in html and world.zhangsan.id_number_mask in html
    assert ZHANGSAN_PHONE not in html and "查看完整号码" not in html
    client.force_login(grant_reveal(world.shequ1))
    html = client.get(reverse("people:person", args=[world.zhangsan.pk])).content.decode()
    assert html.count("查看完整号码") == 2 and ZHANGSAN_PHONE not in html


def test_masks_on_every_page(client, world, scope_of):
    """No page shows a full number unless asked for it (the search box repeats only what was typed)."""
    quwei = grant_reveal(world.quwei)
    services.person_reveal(scope=scope_of(quwei), acting_user=quwei, person=world.zhangsan, field="phone", reason="核对联系方式")
    client.force_login(quwei)
    pages = [
        reverse("people:person", args=[world.zhangsan.pk]), reverse("people:household", args=[world.H1.pk]),
        reverse("people:search") + "?q=13812345678", reverse("people:search") + "?q=zs", reverse("people:members"),
        reverse("people:member_status", args=[world.m_zhangsan.pk]), REVIEW,
    ]
    plain_id = pii.decrypt(world.zhangsan.id_number_enc)
    for url in pages:
        html = client.get(url, HTTP_HX_REQUEST="true" if "?q=138" in url else None).content.decode()
        assert ZHANGSAN_PHONE not in html, url
        assert plain_id not in html, url
    assert world.zhangsan.phone_mask in client.get(pages[0]).content.decode()
    assert world.zhangsan.id_number_mask in client.get(pages[1]).content.decode()


def test_reveal_through_the_page(client, world):
    client.force_login(grant_reveal(world.shequ1))
    form = client.get(reveal_url(world.zhangsan) + "?field=phone")
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    short = client.post(reveal_url(world.zhangsan), {"field": "phone", "reason": "看看"})
    assert "至少4个字" in short.content.decode() and ZHANGSAN_PHONE not in short.content.decode()
    r = client.post(reveal_url(world.zhangsan), {"field": "phone", "reason": "核对联系方式"}, REMOTE_ADDR="10.1.2.3")
    html = r.content.decode()
    assert ZHANGSAN_PHONE in html and "已记录" in html
    assert "no-store" in r["Cache-Control"]
    log = PiiReveal.objects.get()
    assert (log.user, log.person, log.field, log.reason, log.ip_address) == (world.shequ1, world.zhangsan, "phone", "核对联系方式", "10.1.2.3")


def test_reveal_without_the_permission_is_403_and_out_of_scope_404(client, world):
    client.force_login(world.shequ1)
    assert client.post(reveal_url(world.zhangsan), {"field": "phone", "reason": "核对联系方式"}).status_code == 403
    client.force_login(grant_reveal(world.shequ1))
    assert client.post(reveal_url(world.zhaoliu), {"field": "phone", "reason": "核对联系方式"}).status_code == 404
    assert client.get(reveal_url(world.zhaoliu) + "?field=phone").status_code == 404
    assert client.get(reveal_url(world.zhangsan) + "?field=name").status_code == 404
    assert not PiiReveal.objects.exists()


# ---------------------------------------------------------------- review and export


def _log(world, scope_of):
    shequ1, jiedao1 = grant_reveal(world.shequ1), grant_reveal(world.jiedao1)
    services.person_reveal(scope=scope_of(shequ1), acting_user=shequ1, person=world.zhangsan, field="phone", reason="核对联系方式")
    services.person_reveal(scope=scope_of(shequ1), acting_user=shequ1, person=world.lisi, field="id_number", reason="办理低保核对身份")
    services.person_reveal(scope=scope_of(jiedao1), acting_user=jiedao1, person=world.zhaoliu, field="id_number", reason="走访前核对身份")


def test_the_review_page_is_for_district_admins(client, world, scope_of):
    _log(world, scope_of)
    client.force_login(world.shequ1)
    assert client.get(REVIEW).status_code == 404
    assert client.get(EXPORT).status_code == 404
    client.force_login(world.quwei)
    r = client.get(REVIEW)
    html = r.content.decode()
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert "核对联系方式" in html and "办理低保核对身份" in html and "走访前核对身份" in html
    assert ZHANGSAN_PHONE not in html


def test_the_review_page_filters(client, world, scope_of):
    _log(world, scope_of)
    client.force_login(world.quwei)
    html = client.get(REVIEW, {"user": world.jiedao1.pk}).content.decode()
    assert "走访前核对身份" in html and "核对联系方式" not in html
    html = client.get(REVIEW, {"field": "phone"}).content.decode()
    assert "核对联系方式" in html and "走访前核对身份" not in html
    today = dt.date.today()
    assert "核对联系方式" in client.get(REVIEW, {"date_from": today, "date_to": today}).content.decode()
    html = client.get(REVIEW, {"date_to": today - dt.timedelta(days=1)}).content.decode()
    assert "核对联系方式" not in html and "没有符合条件的查看记录" in html


def test_the_log_is_scoped(world, scope_of):
    _log(world, scope_of)
    assert [r.person for r in selectors.reveal_list(scope=scope_of(world.shequ1))] == [world.lisi, world.zhangsan]
    assert len(selectors.reveal_list(scope=scope_of(world.quwei))) == 3


def test_the_export_opens_and_has_the_rows(client, world, scope_of):
    _log(world, scope_of)
    client.force_login(world.quwei)
    r = client.get(EXPORT, {"field": "id_number"})
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("查看时间", "查看人", "用户名", "居民")
    assert sorted(row[3] for row in rows[1:]) == sorted(["李四", "赵六"])
    assert {row[6] for row in rows[1:]} == {"办理低保核对身份", "走访前核对身份"}
    text = " ".join(str(c) for row in rows for c in row)
    assert world.lisi.id_number_mask in text and ZHANGSAN_PHONE not in text


def test_review_page_query_count_does_not_grow(client, world, scope_of, django_assert_max_num_queries):
    _log(world, scope_of)
    client.force_login(world.quwei)
    with django_assert_max_num_queries(12):
        client.get(REVIEW)
    user = grant_reveal(world.shequ1)
    for i in range(30):
        services.person_reveal(scope=scope_of(user), acting_user=user, person=PersonFactory(place=world.B1), field="phone", reason=f"核对第{i}位")
    with django_assert_max_num_queries(12):
        client.get(REVIEW)


def test_the_menu_links_the_review_page_for_district_admins_only(client, world):
    client.force_login(world.quwei)
    assert f'href="{REVIEW}"' in client.get(reverse("web:home")).content.decode()
    client.force_login(world.shequ1)
    assert f'href="{REVIEW}"' not in client.get(reverse("web:home")).content.decode()


def test_the_review_page_in_english(client, world, scope_of):
    _log(world, scope_of)
    client.force_login(world.quwei)
    client.cookies["django_language"] = "en"
    try:
        html = client.get(REVIEW).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the middleware activated English for the thread
    assert "Full-number views" in html and "Export to Excel" in html
