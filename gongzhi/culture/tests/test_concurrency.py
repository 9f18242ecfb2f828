"""Eight submits of one resident's vote at the same moment (a double tap, a retry, a stuffing
script): PostgreSQL's unique index makes them count once — real concurrent transactions on real
connections. SQLite serialises writers anyway and its test database is one connection's."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gongzhi.core.testing import at_once
from gongzhi.culture import services
from gongzhi.culture.models import Vote
from gongzhi.org.models import PlaceLevel
from gongzhi.org.tests import factories as of
from gongzhi.people.tests.factories import PersonFactory

from .factories import campaign, id_of, nomination

THREADS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions on real connections: PostgreSQL"),
]


def _at_once(work) -> list:
    return at_once(work, THREADS)


def test_concurrent_double_submits_count_once():
    from gongzhi.core.testing import ensure_default_config

    ensure_default_config()
    district = of.place(None, PlaceLevel.DISTRICT, "示范区")
    community = of.place(of.place(district, PlaceLevel.STREET, "东风街道"), PlaceLevel.COMMUNITY, "幸福社区")
    building = of.place(of.place(community, PlaceLevel.COMPOUND, "幸福家园"), PlaceLevel.BUILDING, "1号楼")
    voter, a, b = (PersonFactory(name=name, place=building) for name in ("张三", "李四", "王五"))
    c = campaign(community, "voting")
    nominees = [nomination(c, a), nomination(c, b)]
    results = _at_once(lambda n: services.vote_cast(campaign=c, nomination_id=nominees[n % 2].pk, name="张三", id_number=id_of(voter)))
    done = [r for r in results if isinstance(r, Vote)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(done) == 1 and len(refused) == THREADS - 1
    assert all("您已在本次评选中投过票" in r.messages[0] for r in refused)
    assert Vote.objects.filter(campaign=c).count() == 1
