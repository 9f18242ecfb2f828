"""居民公约: adopted only through a matter whose resolution passed, in the same 社区 (and 小区);
filed (备案) to come into force and be published as kind "convention"; one 公约 per 社区 and per
小区; coverage of 社区 and 小区 with a current (filed) version."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.decisions import selectors, services
from gongzhi.decisions.tests.factories import DAY, matter, record_next, run_all
from gongzhi.notices.models import Notice
from gongzhi.org.models import PlaceLevel


@pytest.fixture
def w(world, scope_of):
    world.s1, world.s2, world.sj = scope_of(world.shequ1), scope_of(world.shequ2), scope_of(world.jiedao1)
    return world


def _convention(w, compound=None, title="幸福社区居民公约"):
    return services.convention_create(scope=w.s1, acting_user=w.shequ1, community=w.C1, compound=compound, title=title)


def _adopt(w, convention, m, text="一、爱党爱国，遵纪守法。"):
    return services.convention_version_adopt(scope=w.s1, acting_user=w.shequ1, convention=convention, text=text, matter=m)


def test_adopted_only_through_a_passed_matter(w):
    conv = _convention(w)
    open_matter = matter(w.s1, w.shequ1, w.C1, title="修订公约")
    with pytest.raises(ValidationError) as e:
        _adopt(w, conv, open_matter)
    assert e.value.message_dict["matter"] == ["事项“修订公约”进行中，公约须经决议通过的事项通过。"]
    for _ in range(3):
        record_next(w.s1, w.shequ1, open_matter)
    record_next(w.s1, w.shequ1, open_matter, due=40, present=30, yes=10, no=20, abstain=0)
    open_matter.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        _adopt(w, conv, open_matter)
    assert "未通过" in e.value.message_dict["matter"][0]
    passed = matter(w.s1, w.shequ1, w.C1, title="制定公约")
    for _ in range(4):
        record_next(w.s1, w.shequ1, passed, day=DAY + dt.timedelta(days=_))
    passed.refresh_from_db()
    version = _adopt(w, conv, passed)   # 决议通过: the 公开 steps may follow
    assert version.number == 1 and version.adopted_on == DAY + dt.timedelta(days=3)
    with pytest.raises(ValidationError):
        _adopt(w, conv, passed)   # one version per matter


def test_matter_must_be_of_the_same_place(w):
    conv = _convention(w, compound=w.K1, title="幸福家园公约")
    other = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1, compound=w.K2))
    with pytest.raises(ValidationError) as e:
        _adopt(w, conv, other)
    assert e.value.message_dict["matter"] == ["通过事项须属于本公约所在的社区或小区。"]
    c2 = run_all(w.s2, w.shequ2, matter(w.s2, w.shequ2, w.C2))
    with pytest.raises(Exception):
        _adopt(w, conv, c2)   # out of shequ1's scope


def test_one_convention_per_place(w):
    _convention(w)
    with pytest.raises(ValidationError):
        _convention(w, title="又一部")
    _convention(w, compound=w.K1, title="幸福家园公约")
    with pytest.raises(ValidationError):
        _convention(w, compound=w.K1, title="又一部")


def test_filing_makes_it_current_and_publishes(w):
    conv = _convention(w)
    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1))
    version = _adopt(w, conv, m)
    assert selectors.current_version(selectors.convention_versions(conv)) is None
    with pytest.raises(ValidationError) as e:
        services.convention_version_file(scope=w.s1, acting_user=w.shequ1, version=version, filed_on=DAY - dt.timedelta(days=1))
    assert "备案日期应在通过日期" in e.value.message_dict["filed_on"][0]
    services.convention_version_file(scope=w.s1, acting_user=w.shequ1, version=version, filed_on=timezone.localdate())
    assert selectors.current_version(selectors.convention_versions(conv)).pk == version.pk
    notice = Notice.objects.get(kind="convention")
    assert notice.community == w.C1 and notice.body == "一、爱党爱国，遵纪守法。" and notice.ends_on is None
    assert notice.title == "幸福社区居民公约（第1版）"


def test_coverage(w):
    assert selectors.convention_coverage(scope=w.sj, level=PlaceLevel.COMMUNITY) == (0, 2)
    conv = _convention(w)
    m = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1))
    version = _adopt(w, conv, m)
    assert selectors.convention_coverage(scope=w.sj, level=PlaceLevel.COMMUNITY) == (0, 2)   # not filed: not in force
    services.convention_version_file(scope=w.s1, acting_user=w.shequ1, version=version, filed_on=timezone.localdate())
    assert selectors.convention_coverage(scope=w.sj, level=PlaceLevel.COMMUNITY) == (1, 2)
    assert selectors.convention_coverage(scope=w.s2, level=PlaceLevel.COMMUNITY) == (0, 1)
    assert selectors.convention_coverage(scope=w.sj, level=PlaceLevel.COMPOUND) == (0, 3)   # K1, K2, K3
    k1 = _convention(w, compound=w.K1, title="幸福家园公约")
    m2 = run_all(w.s1, w.shequ1, matter(w.s1, w.shequ1, w.C1, compound=w.K1))
    services.convention_version_file(scope=w.s1, acting_user=w.shequ1, version=_adopt(w, k1, m2), filed_on=timezone.localdate())
    assert selectors.convention_coverage(scope=w.sj, level=PlaceLevel.COMPOUND) == (1, 3)
    assert selectors.convention_coverage(scope=w.s1, level=PlaceLevel.COMPOUND) == (1, 2)
