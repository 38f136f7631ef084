"""jiesu index rebuild — rebuild the merge-candidate (并单) index from the tickets, with progress."""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from jiesu.core import clock
from jiesu.intelligence import signature_index


class Command(BaseCommand):
    help = "重建并单查重索引（受理时会自动增量更新；导入或恢复数据后运行）。"

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="重建并单查重索引")
        rebuild.add_argument("--days", type=int, help="只重建最近 N 天受理的工单（默认全部）")
        rebuild.add_argument("--batch", type=int, default=signature_index.BATCH, help="每批工单数")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days 须为正整数。")
        if options["batch"] < 1:
            raise CommandError("--batch 须为正整数。")
        since = clock.now() - timedelta(days=options["days"]) if options["days"] else None
        started = time.monotonic()
        done = signature_index.rebuild(since=since, batch=options["batch"], progress=self._progress(started))
        elapsed = time.monotonic() - started
        self.stdout.write(f"并单查重索引已重建：{done} 张工单，用时 {elapsed:.1f} 秒。")

    def _progress(self, started: float):  # type: ignore[no-untyped-def]
        def report(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            print(f"\r  {done}/{total} 张工单（{rate:,.0f} 张/秒）", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr, flush=True)
        return report
