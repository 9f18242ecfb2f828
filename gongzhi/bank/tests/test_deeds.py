"""善行义举 to points: 评议 within the category's range, 公示 before credit, objections halt it,
household scoring, and nothing credited twice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gongzhi.bank import services
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.selectors import notice_for
from gongzhi.bank.models import Account, AccountKind, BankPolicy, DeedCategory, DeedStatus, ScoredBy, Transaction

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def helping(world):
    return DeedCategory.objects.get(community=None, name="助人为乐")  # 5-15, loaded by the migration


def _report(world, scope_of, category, person=None, **kw):
    return services.deed_report(scope=scope_of(world.shequ1), acting_user=world.shequ1, person=person or world.wangwu, category=category,
                                description="雨天背邻居老人下楼就医", occurred_on=TODAY - dt.timedelta(days=3), reported_by="楼栋长刘阿姨", **kw)


def _approve(world, scope_of, deed, points=12, today=TODAY):
    return services.deed_review(scope=scope_of(world.shequ1), acting_user=world.shequ1, deed=deed, approve=True, points=points,
                                reviewers="刘书记、王主任、居民代表陈某", today=today)


def test_a_deed_is_credited_only_after_its_publicity_ends(world, scope_of, helping):
    deed = _approve(world, scope_of, _report(world, scope_of, helping))
    assert (deed.status, deed.points, deed.publicity_ends_on) == (DeedStatus.PUBLICISED, 12, TODAY + dt.timedelta(days=7))
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=7)) == []  # the last day of 公示: not yet
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=8)) == [deed]
    deed.refresh_from_db()
    account = Account.objects.get(kind=AccountKind.RESIDENT, person=world.wangwu)
    assert (deed.status, account.balance, deed.transaction.key) == (DeedStatus.CREDITED, 12, f"deed:{deed.pk}")
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=9)) == []  # never twice
    assert account.postings.count() == 1


def test_points_outside_the_category_range_are_refused(world, scope_of, helping):
    deed = _report(world, scope_of, helping)
    with pytest.raises(ValidationError, match="“助人为乐”的分值应在 5-15 分之间"):
        _approve(world, scope_of, deed, points=16)
    with pytest.raises(ValidationError, match="评议会成员"):
        services.deed_review(scope=scope_of(world.shequ1), acting_user=world.shequ1, deed=deed, approve=True, points=10, reviewers=" ")
    deed.refresh_from_db()
    assert deed.status == DeedStatus.REPORTED


def test_a_rejection_needs_a_reason_and_is_never_credited(world, scope_of, helping):
    deed = _report(world, scope_of, helping)
    with pytest.raises(ValidationError, match="不予通过须填写评议意见"):
        services.deed_review(scope=scope_of(world.shequ1), acting_user=world.shequ1, deed=deed, approve=False, points=None, reviewers="刘书记")
    services.deed_review(scope=scope_of(world.shequ1), acting_user=world.shequ1, deed=deed, approve=False, points=None, reviewers="刘书记",
                         note="事迹无法核实")
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=30)) == []
    assert Transaction.objects.count() == 0


def test_an_objection_halts_the_publicity_until_the_council_decides(world, scope_of, helping):
    deed = _approve(world, scope_of, _report(world, scope_of, helping))
    objection = services.deed_object(deed=deed, raised_by="邻居陈某", reason="当天是物业人员送医", today=TODAY + dt.timedelta(days=2))
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=8)) == []  # objected: held back past its end date
    services.objection_resolve(scope=scope_of(world.shequ1), acting_user=world.shequ1, objection=objection, upheld=False,
                               resolution="经核实，物业人员协助，主要由王五背送", today=TODAY + dt.timedelta(days=10))
    deed.refresh_from_db()
    assert (deed.status, deed.publicity_ends_on) == (DeedStatus.PUBLICISED, TODAY + dt.timedelta(days=11))  # one more day at least
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=11)) == []
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=12)) == [deed]
    # the 公开栏 notice ran on with it
    assert notice_for(deed, NoticeKind.PUBLICITY).ends_on == TODAY + dt.timedelta(days=11)


def test_an_approved_deed_is_publicised_on_the_community_notice_board(world, scope_of, helping):
    deed = _approve(world, scope_of, _report(world, scope_of, helping))
    notice = notice_for(deed, NoticeKind.PUBLICITY)
    assert (notice.community, notice.starts_on, notice.ends_on) == (world.C1, TODAY, TODAY + dt.timedelta(days=7))
    assert notice.title == "道德银行善行公示：王* · 助人为乐"  # masked, as on the bank's own page
    assert "雨天背邻居老人下楼就医" in notice.body and "拟记 12 分" in notice.body and "王五" not in notice.body


def test_an_upheld_objection_rejects_the_deed(world, scope_of, helping):
    deed = _approve(world, scope_of, _report(world, scope_of, helping))
    objection = services.deed_object(deed=deed, raised_by="邻居陈某", reason="并无此事", today=TODAY + dt.timedelta(days=1))
    services.objection_resolve(scope=scope_of(world.shequ1), acting_user=world.shequ1, objection=objection, upheld=True,
                               resolution="经走访核实，并无此事", today=TODAY + dt.timedelta(days=3))
    deed.refresh_from_db()
    assert deed.status == DeedStatus.REJECTED and deed.review_note.startswith("异议成立")
    notice = notice_for(deed, NoticeKind.PUBLICITY)  # taken down from the 公开栏, kept on record with the reason
    assert notice.withdrawn_at and notice.withdraw_reason == deed.review_note
    assert services.deeds_credit_due(today=TODAY + dt.timedelta(days=30)) == []
    with pytest.raises(ValidationError, match="该异议已处理"):
        services.objection_resolve(scope=scope_of(world.shequ1), acting_user=world.shequ1, objection=objection, upheld=False, resolution="再议")


def test_no_objection_after_the_publicity_ends(world, scope_of, helping):
    deed = _approve(world, scope_of, _report(world, scope_of, helping))
    with pytest.raises(ValidationError, match="不在公示期内"):
        services.deed_object(deed=deed, raised_by="陈某", reason="迟到的异议", today=TODAY + dt.timedelta(days=8))


def test_a_household_community_credits_the_household(world, scope_of, helping):
    BankPolicy.objects.create(community=world.C1, scored_by=ScoredBy.HOUSEHOLD, publicity_days=3)
    deed = _approve(world, scope_of, _report(world, scope_of, helping, person=world.lisi), points=5)
    assert deed.publicity_ends_on == TODAY + dt.timedelta(days=3)  # the community's own rule
    services.deeds_credit_due(today=TODAY + dt.timedelta(days=4))
    account = Account.objects.get(kind=AccountKind.HOUSEHOLD, household=world.H1)
    assert account.balance == 5 and not Account.objects.filter(person=world.lisi).exists()


def test_a_deed_outside_the_scope_is_a_404(world, scope_of, helping):
    with pytest.raises(Http404):
        _report(world, scope_of, helping, person=world.zhaoliu)  # 和平社区: not shequ1's
    deed = _report(world, scope_of, helping)
    with pytest.raises(Http404):
        services.deed_review(scope=scope_of(world.shequ2), acting_user=world.shequ2, deed=deed, approve=True, points=10, reviewers="某")


def test_a_category_of_another_community_is_refused(world, scope_of):
    theirs = DeedCategory.objects.create(community=world.C2, name="和平之星", min_points=5, max_points=5)
    with pytest.raises(ValidationError, match="不适用于本社区"):
        _report(world, scope_of, theirs)
