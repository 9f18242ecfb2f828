"""Check the 道德银行 ledger: every transaction sums to zero, every kept balance equals its postings."""

from django.core.management.base import BaseCommand, CommandError

from gongzhi.bank.models import Account
from gongzhi.bank.services import ledger_check, unbalanced_transactions


class Command(BaseCommand):
    help = "核对道德银行账本：每笔交易借贷平衡，每个账户余额等于其分录之和"

    def handle(self, *args, **options):
        unbalanced = unbalanced_transactions()
        wrong = ledger_check()
        if not unbalanced and not wrong:
            self.stdout.write(f"一致：{Account.objects.count()} 个账户的余额与分录相符，所有交易借贷平衡")
            return
        for txn_id in unbalanced[:20]:
            self.stdout.write(f"交易#{txn_id} 借贷不平")
        for account, total in wrong[:20]:
            self.stdout.write(f"{account}：余额 {account.balance}，分录合计 {total}")
        raise CommandError(f"{len(unbalanced)} 笔交易借贷不平，{len(wrong)} 个账户余额与分录不符")
