"""Shared fixtures: a small hand-made district with two sibling 社区 for scope tests.

    区 (D)
    ├─ 街道 S1 ── 社区 C1 ── 小区 K1 ── 楼栋 B1 (grid G1): household H1 = 张三 (member of K1 branch), 李四
    │          │          └─ 小区 K2 (三无, no branch) ── 楼栋 B2: 王五
    │          └─ 社区 C2 ── 小区 K3 ── 楼栋 B3 (grid G2): household H3 = 赵六 (member of K3 branch)
    └─ 街道 S2 ── 社区 C3 ── 小区 K4 ── 楼栋 B4: 孙七
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from gongzhi.accounts.models import Role, RoleGrant, User
from gongzhi.core.testing import ensure_default_config
from gongzhi.org.models import PlaceLevel as L
from gongzhi.org.tests import factories as of
from gongzhi.people.models import Person
from gongzhi.people.services import counts_refresh_all
from gongzhi.people.tests.factories import HouseholdFactory, PartyMemberFactory, PersonFactory

PASSWORD = "gongzhi-test-pw"


@pytest.fixture(autouse=True)
def _forget_cached_figures():
    """Each test starts with an empty cache: a rolled-back test leaves figures cached under
    versions that no write of the next test need replace (core.figure_cache)."""
    from django.core.cache import cache

    from gongzhi.core import figure_cache

    cache.clear()
    figure_cache._pending.clear()  # autocommit writes of an earlier transactional test: its database is gone
    figure_cache._bump_started.clear()


def _user(username, role=None, **target):
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username, is_staff=True)
    if role:
        RoleGrant.objects.create(user=user, role=role, **target)
    return user


@pytest.fixture
def world(db):
    ensure_default_config()
    w = SimpleNamespace()
    w.D = of.place(None, L.DISTRICT, "示范区", code="410305")
    w.S1 = of.place(w.D, L.STREET, "东风街道", code="410305001000")
    w.S2 = of.place(w.D, L.STREET, "西山街道", code="410305002000")
    w.C1 = of.place(w.S1, L.COMMUNITY, "幸福社区", code="410305001001")
    w.C2 = of.place(w.S1, L.COMMUNITY, "和平社区", code="410305001002")
    w.C3 = of.place(w.S2, L.COMMUNITY, "南山社区", code="410305002001")
    w.K1 = of.place(w.C1, L.COMPOUND, "幸福家园", property_manager="安居物业")
    w.K2 = of.place(w.C1, L.COMPOUND, "老厂宿舍")
    w.K3 = of.place(w.C2, L.COMPOUND, "和平里", property_manager="和平物业")
    w.K4 = of.place(w.C3, L.COMPOUND, "南山苑", property_manager="南山物业")
    w.B1 = of.place(w.K1, L.BUILDING, "1号楼", units=2, floors=6)
    w.B2 = of.place(w.K2, L.BUILDING, "老厂1栋", units=1, floors=4)
    w.B3 = of.place(w.K3, L.BUILDING, "3号楼", units=2, floors=11)
    w.B4 = of.place(w.K4, L.BUILDING, "4号楼", units=3, floors=18)
    w.G1 = of.grid(w.C1, [w.B1, w.B2], code="410305001001-01", name="幸福第一网格")
    w.G2 = of.grid(w.C2, [w.B3], code="410305001002-01", name="和平第一网格")

    w.O_S1 = of.org("street_committee", w.S1, name="东风街道党工委")
    w.O_S2 = of.org("street_committee", w.S2, name="西山街道党工委")
    w.O_C1 = of.org("community_committee", w.C1, w.O_S1, name="幸福社区党委")
    w.O_C2 = of.org("community_committee", w.C2, w.O_S1, name="和平社区党委")
    w.O_C3 = of.org("community_committee", w.C3, w.O_S2, name="南山社区党委")
    w.O_K1 = of.org("compound_branch", w.K1, w.O_C1, name="幸福家园党支部", covers=[w.K1])
    w.O_K3 = of.org("compound_branch", w.K3, w.O_C2, name="和平里党支部", covers=[w.K3])
    w.O_K4 = of.org("compound_branch", w.K4, w.O_C3, name="南山苑党支部", covers=[w.K4])

    w.H1 = HouseholdFactory(place=w.B1, room="1-101")
    w.H3 = HouseholdFactory(place=w.B3, room="2-502")
    w.zhangsan = PersonFactory(name="张三", place=w.B1, household=w.H1, relation_to_head="本人", phone_plain="13812345678", birth=dt.date(1975, 3, 8))
    w.lisi = PersonFactory(name="李四", place=w.B1, household=w.H1, relation_to_head="配偶", male=False, birth=dt.date(1977, 9, 1))
    w.wangwu = PersonFactory(name="王五", place=w.B2)
    w.zhaoliu = PersonFactory(name="赵六", place=w.B3, household=w.H3, relation_to_head="本人")
    w.sunqi = PersonFactory(name="孙七", place=w.B4)
    w.H1.head = w.zhangsan
    w.H1.save()
    w.H3.head = w.zhaoliu
    w.H3.save()
    w.m_zhangsan = PartyMemberFactory(person=w.zhangsan, organization=w.O_K1)
    w.m_zhaoliu = PartyMemberFactory(person=w.zhaoliu, organization=w.O_K3)
    w.m_sunqi = PartyMemberFactory(person=w.sunqi, organization=w.O_K4)
    Person.objects.filter(pk__in=[w.zhangsan.pk, w.zhaoliu.pk, w.sunqi.pk]).update(political_status="member")
    counts_refresh_all()

    w.quwei = _user("quwei", Role.DISTRICT_ADMIN, place=w.D)
    w.jiedao1 = _user("jiedao1", Role.STREET_STAFF, place=w.S1)
    w.shequ1 = _user("shequ1", Role.COMMUNITY_WORKER, place=w.C1)
    w.shequ2 = _user("shequ2", Role.COMMUNITY_WORKER, place=w.C2)
    w.shequ3 = _user("shequ3", Role.COMMUNITY_WORKER, place=w.C3)
    w.wangge1 = _user("wangge1", Role.GRID_WORKER, grid=w.G1)
    # one meeting each for K1 and K3 (in 2025: outside the periods the partylife tests count)
    from gongzhi.partylife.models import Meeting, MeetingType

    committee = MeetingType.objects.get(code="committee")
    w.meeting_K1 = Meeting.objects.create(organization=w.O_K1, meeting_type=committee, held_on=dt.date(2025, 6, 2), topic="幸福家园支委会")
    w.meeting_K3 = Meeting.objects.create(organization=w.O_K3, meeting_type=committee, held_on=dt.date(2025, 6, 1), topic="和平里支委会")
    from django.core.files.base import ContentFile

    from gongzhi.partylife.models import MeetingAttachment

    w.attachment_K3 = MeetingAttachment(meeting=w.meeting_K3, name="和平里支委会.jpg", size=3)
    w.attachment_K3.file.save("photo.jpg", ContentFile(b"jpg"), save=True)
    w.zhibu1 = _user("zhibu1", Role.BRANCH_SECRETARY, organization=w.O_K1)
    w.nobody = _user("nobody")
    for name in ("D", "S1", "S2", "C1", "C2", "C3", "K1", "K2", "K3", "K4", "B1", "B2", "B3", "B4"):
        getattr(w, name).refresh_from_db()
    return w


@pytest.fixture
def scope_of():
    from gongzhi.accounts.scopes import scope_for_user

    return scope_for_user


def pytest_collection_modifyitems(config, items):
    """Browser tests run on a live server, so their database is transactional."""
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True))
