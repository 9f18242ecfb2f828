"""Bring the automatic points entries in line with the records (idempotent: run it any time)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongzhi.points.services import ledger_sync


class Command(BaseCommand):
    help = "按会议出席等记录补记或冲正党员积分（可重复运行，不会重复记分）"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="起始日期，默认去年1月1日")
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="截止日期，默认今天")

    def handle(self, *args, start=None, end=None, **options):
        today = timezone.localdate()
        start, end = start or dt.date(today.year - 1, 1, 1), end or today
        result = ledger_sync(start=start, end=end)
        self.stdout.write(f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}：新增 {result.added} 条，冲正 {result.reversed} 条")
