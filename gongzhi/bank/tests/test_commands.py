"""The daily run credits deeds whose 公示 ended and lapses a named year; the check finds a balance
that differs from its postings."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongzhi.bank import services
from gongzhi.bank.models import Account, BankPolicy, DeedCategory, Transaction

pytestmark = pytest.mark.django_db


def test_the_daily_run_credits_due_deeds_and_lapses_a_year(world, scope_of):
    scope = scope_of(world.shequ1)
    category = DeedCategory.objects.get(community=None, name="孝老爱亲")
    deed = services.deed_report(scope=scope, acting_user=world.shequ1, person=world.wangwu, category=category, description="照顾独居老人",
                                occurred_on=dt.date(2024, 1, 5), reported_by="社区")
    services.deed_review(scope=scope, acting_user=world.shequ1, deed=deed, approve=True, points=8, reviewers="评议会", today=dt.date(2024, 1, 10))
    BankPolicy.objects.create(community=world.C1, expiry_months=12)
    out = StringIO()
    call_command("bank_daily", stdout=out)
    account = Account.objects.get(person=world.wangwu)
    assert "入账：1 条，共 8 分" in out.getvalue() and account.balance == 8
    Transaction.objects.update(created_at=dt.datetime(2024, 1, 20, tzinfo=dt.UTC))  # credited in January 2024
    call_command("bank_daily", "--expire-year", "2025", stdout=out)  # older than 12 months at the end of 2025
    assert "2025年到期积分清理：共 8 分" in out.getvalue()
    assert Account.objects.get(pk=account.pk).balance == 0


def test_the_check_reports_a_balance_that_differs(world):
    account = services.holder_account(person=world.wangwu)
    services.earn(account=account, points=5)
    out = StringIO()
    call_command("bank_check", stdout=out)
    assert "一致" in out.getvalue()
    Account.objects.filter(pk=account.pk).update(balance=7)
    with pytest.raises(CommandError, match="1 个账户余额与分录不符"):
        call_command("bank_check", stdout=out)
