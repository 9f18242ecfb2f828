"""`manage.py demo --scale small|district --seed N [--reset]` (also `gongzhi demo ...`)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from gongzhi.demo.generator import DemoRefused, demo_build, demo_status
from gongzhi.demo.logins import DEMO_PASSWORD, DemoLoginTaken, what_they_see
from gongzhi.demo.places import SCALES


class Command(BaseCommand):
    help = "生成演示用的虚拟城区：small 为1个街道、3个社区、约3千居民；district 为10个街道、100个社区、约100万居民。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="规模（默认 small）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：种子与基准日期相同则数据相同（默认 1）")
        parser.add_argument("--reset", action="store_true", help="先删除已有的居民、党组织、区划、网格、授权和非超级用户")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="基准日期 YYYY-MM-DD（默认今天），年龄和日期都以此为准")
        parser.add_argument("--status", action="store_true", help="只显示数据库是否已有区划：输出 empty 或 present")

    def handle(self, *args, scale, seed, reset, as_of, status, **options):
        if status:
            self.stdout.write(demo_status())
            return
        if as_of and as_of > dt.date.today():
            raise CommandError("基准日期不能晚于今天。")
        try:
            summary = demo_build(scale=scale, seed=seed, reset=reset, as_of=as_of, progress=self.stdout.write)
        except (DemoRefused, DemoLoginTaken) as e:
            raise CommandError(str(e))
        self._print_summary(summary)
        self._print_logins(summary.logins)

    def _print_summary(self, summary) -> None:
        self.stdout.write(self.style.SUCCESS(f"演示城区已生成：规模 {summary.scale}，种子 {summary.seed}，基准日期 {summary.as_of}，用时 {summary.seconds:.1f} 秒。"))
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label}：{count:,}")

    def _print_logins(self, logins) -> None:
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<8} {login.role} · {login.target}")
            self.stdout.write(f"           可见：{what_they_see(login)}")
