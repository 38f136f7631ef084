"""jiesu index rebuild|cases — the merge-candidate (并单) index and the similar-case index, with progress."""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from jiesu.core import clock
from jiesu.intelligence import case_index, signature_index


class Command(BaseCommand):
    help = "并单查重索引（受理时自动增量更新）与相似案例索引（审核通过的答复，定时加入）。"

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="重建并单查重索引（导入或恢复数据后运行）")
        rebuild.add_argument("--days", type=int, help="只重建最近 N 天受理的工单（默认全部）")
        rebuild.add_argument("--batch", type=int, default=signature_index.BATCH, help="每批工单数")
        cases = sub.add_parser("cases", help="把新审核通过的答复加入相似案例索引")
        cases.add_argument("--rebuild", action="store_true", help="丢弃现有答复索引，全部重建")
        cases.add_argument("--enqueue", action="store_true", help="交给后台任务队列执行")
        cases.add_argument("--every", type=int, default=0, help="循环运行的间隔秒数（0 表示只运行一次）")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["action"] == "cases":
            self.cases(options)
        else:
            self.rebuild(options)

    def rebuild(self, options: dict) -> None:
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days 须为正整数。")
        if options["batch"] < 1:
            raise CommandError("--batch 须为正整数。")
        since = clock.now() - timedelta(days=options["days"]) if options["days"] else None
        started = time.monotonic()
        done = signature_index.rebuild(since=since, batch=options["batch"], progress=self._progress(started))
        elapsed = time.monotonic() - started
        self.stdout.write(f"并单查重索引已重建：{done} 张工单，用时 {elapsed:.1f} 秒。")

    def cases(self, options: dict) -> None:
        from jiesu.intelligence.tasks import refresh_case_index

        if options["every"] < 0:
            raise CommandError("--every 不能为负数。")
        while True:
            if options["enqueue"]:
                self.stdout.write(f"已提交后台任务 {refresh_case_index.enqueue().id}")
            else:
                added = case_index.update(rebuild=options["rebuild"])
                self.stdout.write(f"相似案例索引：新加入答复 {added} 条。")
            if options["every"] <= 0:
                return
            time.sleep(options["every"])

    def _progress(self, started: float):  # type: ignore[no-untyped-def]
        def report(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            print(f"\r  {done}/{total} 张工单（{rate:,.0f} 张/秒）", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr, flush=True)
        return report
