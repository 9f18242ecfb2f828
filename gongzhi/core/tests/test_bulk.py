"""core.bulk: inserts with reserved keys, history rows copied in SQL, the databases it supports."""

import pytest
from django.db import connection

from gongzhi.core.bulk import insert_history, insert_rows, reserve_ids
from gongzhi.people.models import Household


def test_reserved_keys_rows_and_their_history(world):
    ids = reserve_ids(Household, 2)
    assert len(ids) == 2 and ids[1] > ids[0] > max(Household.objects.values_list("id", flat=True))
    rows = [{"id": ids[0], "place_id": world.B1.pk, "room": "9-901"}, {"id": ids[1], "place_id": world.B1.pk, "room": "9-902", "note": "新建"}]
    assert insert_rows(Household, rows, with_pk=True) == 2
    created = {h.room: h for h in Household.objects.filter(pk__in=ids)}
    assert created["9-901"].note == "" and created["9-902"].note == "新建" and created["9-901"].created_at is not None
    insert_history(Household, ids, user=world.shequ1)
    record = Household.history.get(id=ids[1])
    assert (record.history_type, record.history_user, record.room) == ("+", world.shequ1, "9-902")
    assert reserve_ids(Household, 1)[0] > ids[1]


def test_other_databases_are_refused_clearly(world, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "oracle")
    with pytest.raises(RuntimeError, match="SQLite and PostgreSQL"):
        reserve_ids(Household, 1)
