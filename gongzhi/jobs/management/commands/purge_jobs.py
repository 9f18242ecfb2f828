"""`gongzhi purge_jobs [--days 7]`: delete finished jobs older than N days with their files.

Uploaded sheets and problem lists hold personal data: keep them only as long as staff need to
come back to a preview or a report. Run it daily (cron or Celery beat).
"""


from django.core.management.base import BaseCommand

from ...services import jobs_purge


class Command(BaseCommand):
    help = "删除超过指定天数的已结束后台任务及其文件（上传的表格、问题清单）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7）")

    def handle(self, *args, days: int, **options):
        count = jobs_purge(days=days)
        self.stdout.write(f"已删除 {count} 个任务及其文件。")
