"""Check every member's yearly total against the ledger entries it sums."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum

from gongzhi.points.models import EntryStatus, MemberCycleTotal, PointEntry
from gongzhi.points.services import TENTH, totals_refresh


class Command(BaseCommand):
    help = "核对党员年度积分合计与积分记录是否一致（--fix 按记录重算）"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true")

    def handle(self, *args, fix=False, **options):
        # SQLite keeps decimals as floating point: its sums are compared to one decimal, as the totals keep them
        ledger = {(r["member_id"], r["cycle"]): (r["s"].quantize(TENTH), r["n"]) for r in PointEntry.objects.filter(status=EntryStatus.APPROVED)
                  .values("member_id", "cycle").annotate(s=Sum("amount"), n=Count("id")).order_by()}
        kept = {(m, c): (t, n) for m, c, t, n in MemberCycleTotal.objects.values_list("member_id", "cycle", "total", "entries")}
        wrong = sorted(k for k in ledger.keys() | kept.keys() if ledger.get(k) != kept.get(k))
        if not wrong:
            self.stdout.write(f"一致：{len(kept)} 条年度合计与积分记录相符")
            return
        for member_id, cycle in wrong[:20]:
            self.stdout.write(f"党员#{member_id} {cycle}年：合计 {kept.get((member_id, cycle))}，记录 {ledger.get((member_id, cycle))}")
        if fix:
            totals_refresh({m for m, _c in wrong}, {c for _m, c in wrong})
            self.stdout.write(f"已按记录重算 {len(wrong)} 条")
        else:
            raise CommandError(f"{len(wrong)} 条年度合计与积分记录不符（用 --fix 重算）")
