import time
from dataclasses import asdict

from django.core.management.base import BaseCommand

from jiesu.org import signin
from jiesu.tickets.sweep import periodic
from jiesu.tickets.tasks import sweep_deadlines


class Command(BaseCommand):
    help = ("扫描期限：标记预警与超期，删除超过保留期的登录记录，并运行其他定期任务（如结束上月排名；可重复运行）。"
            "--enqueue 交给后台任务；--every N 每 N 秒运行一次。")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务队列执行")
        parser.add_argument("--every", type=int, default=0, help="循环运行的间隔秒数（0 表示只运行一次）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        while True:
            if options["enqueue"]:
                result = sweep_deadlines.enqueue()
                self.stdout.write(f"已提交后台任务 {result.id}")
            else:
                counts = asdict(periodic())
                jobs = "".join(f"，{name} {done}" for name, done in counts["jobs"].items())
                self.stdout.write(
                    f"预警 {counts['warnings']} 项，超期 {counts['overdue']} 项，督办超期 {counts['orders_overdue']} 项，"
                    f"删除过期登录记录 {signin.prune()} 条" + jobs
                )
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
