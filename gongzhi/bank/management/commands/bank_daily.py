"""The 道德银行's daily run (cron or Celery beat, once a day after midnight): credit the deeds
whose 公示 has ended, and — in January — lapse last year's expired points in every 社区. Both
are safe to run again: each credit and each lapse carries its own key."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongzhi.bank.services import deeds_credit_due, year_end_lapse
from gongzhi.org.models import Place, PlaceLevel


class Command(BaseCommand):
    help = "道德银行每日任务：公示期满的善行积分入账；每年一月清理上一年到期积分"

    def add_arguments(self, parser):
        parser.add_argument("--expire-year", type=int, help="清理指定年份的到期积分（默认仅在一月清理上一年）")

    def handle(self, *args, expire_year=None, **options):
        credited = deeds_credit_due()
        self.stdout.write(f"善行积分入账：{len(credited)} 条，共 {sum(d.points for d in credited)} 分")
        today = timezone.localdate()
        year = expire_year or (today.year - 1 if today.month == 1 else None)
        if year is None:
            return
        lapsed = sum(year_end_lapse(community=c, year=year) for c in Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"))
        self.stdout.write(f"{year}年到期积分清理：共 {lapsed} 分")
