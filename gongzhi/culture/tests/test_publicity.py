"""The publicity register: records, totals by kind and period (hand-worked), filters, export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.culture import selectors, services
from gongzhi.culture.models import PublicityKind, PublicityRecord

from .factories import publicity

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(world):
    publicity(world.C1, "banner", 3, dt.date(2026, 3, 1), "疫情防控")
    publicity(world.C1, "banner", 2, dt.date(2026, 4, 10), "文明创建")
    publicity(world.C1, "wechat", 5, dt.date(2026, 4, 12), "好家风推文")
    publicity(world.C1, "board", 4, dt.date(2025, 12, 30), "去年展板")
    publicity(world.C2, "banner", 7, dt.date(2026, 4, 1), "和平社区横幅")


def _totals(records):
    return {k.code: (items, n) for k, items, n in selectors.publicity_totals(records) if n}


def test_totals_by_kind_and_period(world, scope_of, register):
    scope = scope_of(world.shequ1)
    assert _totals(selectors.publicity_list(scope=scope)) == {"banner": (5, 2), "board": (4, 1), "wechat": (5, 1)}
    spring = selectors.publicity_list(scope=scope, start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 11))
    assert _totals(spring) == {"banner": (5, 2)}
    street = selectors.publicity_list(scope=scope_of(world.jiedao1), kind=PublicityKind.objects.get(code="banner"))
    assert _totals(street) == {"banner": (12, 3)}


def test_record_checks_its_fields(world, scope_of):
    scope, banner = scope_of(world.shequ1), PublicityKind.objects.get(code="banner")
    with pytest.raises(ValidationError) as e:
        services.publicity_record(scope=scope, acting_user=world.shequ1, community=world.C1, kind=banner, count=0,
                                  made_on=dt.date(2099, 1, 1), topic=" ")
    assert set(e.value.error_dict) == {"count", "made_on", "topic"}
    r = services.publicity_record(scope=scope, acting_user=world.shequ1, community=world.C1, kind=banner, count=6, made_on=dt.date(2026, 5, 1),
                                  topic="传承红色基因  弘扬焦裕禄好家风")
    assert (r.count, r.topic, r.recorded_by) == (6, "传承红色基因 弘扬焦裕禄好家风", world.shequ1)


def test_the_register_page_filters_and_exports(client, world, register):
    client.force_login(world.shequ1)
    url = reverse("culture:publicity")
    page = client.get(url, {"kind": "banner"}).content.decode()
    assert "疫情防控" in page and "好家风推文" not in page and "和平社区横幅" not in page
    r = client.get(url, {"start": "2026-04-01", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    topics = [row[5] for row in rows[2:] if row[1]]
    assert topics == ["好家风推文", "文明创建"]
    assert ["", "", "横幅", 2, "条", "1 条记录"] in [[c if c is not None else "" for c in row[:6]] for row in rows]


def test_the_form_records(client, world):
    client.force_login(world.shequ1)
    kind = PublicityKind.objects.get(code="board")
    r = client.post(reverse("culture:publicity_new"), {"community": world.C1.pk, "kind": kind.pk, "count": "8", "made_on": "2026-05-02",
                                                         "topic": "重阳节敬老", "note": ""})
    assert r.status_code == 302
    assert PublicityRecord.objects.get().count == 8


def test_a_record_entered_by_mistake_is_deleted_in_scope_only(client, world, register):
    client.force_login(world.shequ1)
    mine = PublicityRecord.objects.get(topic="疫情防控")
    theirs = PublicityRecord.objects.get(topic="和平社区横幅")
    assert client.post(reverse("culture:publicity"), {"action": "delete", "record": theirs.pk}).status_code == 404
    assert client.post(reverse("culture:publicity"), {"action": "delete", "record": mine.pk}).status_code == 302
    assert not PublicityRecord.objects.filter(pk=mine.pk).exists() and PublicityRecord.objects.filter(pk=theirs.pk).exists()
    assert PublicityRecord.history.filter(id=mine.pk, history_type="-").exists()
