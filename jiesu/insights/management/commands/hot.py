"""jiesu hot analyse|rebuild|update|list|digest — hot issues of a message file, or of the tickets (kept in the
database), and the weekly 热点 digest."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiesu.core.errors import ValidationFailed
from jiesu.insights import digest, discovery, queries, services
from jiesu.insights.files import columns_from, read_messages
from jiesu.intelligence.datasets import DatasetError

STAGES = {"places": "识别地点", "terms": "提取诉求词", "groups": "聚类", "saved": "写入", "update": "归入热点"}


class Command(BaseCommand):
    help = "热点问题：analyse 分析留言或工单文件（CSV/Excel）；rebuild 重建工单热点；update 新工单归入热点；list 列出。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyse = sub.add_parser("analyse", help="分析一个留言/工单文件，输出热点问题")
        analyse.add_argument("--data", required=True, help="CSV 或 Excel 文件")
        analyse.add_argument("--id-col", required=True, help="编号列")
        analyse.add_argument("--text-cols", required=True, help="文本列，逗号分隔；第一列为标题（如 留言主题,留言详情）")
        analyse.add_argument("--time-col", required=True, help="时间列")
        analyse.add_argument("--votes-cols", default="", help="点赞列[,反对列]")
        analyse.add_argument("--user-col", default="", help="留言人/来电人列（同一人多次反映只计一次）")
        analyse.add_argument("--top", type=int, default=10, help="输出前 N 个热点（默认 10）")
        analyse.add_argument("--half-life", type=float, default=0.0,
                             help="热度半衰期（天，从文件最后一条留言起算；默认 0：整个文件视为一个时期，不衰减）")
        analyse.add_argument("--json", action="store_true", help="输出 JSON")
        rebuild = sub.add_parser("rebuild", help="按最近 N 天的工单重建热点（修复或首次建立）")
        rebuild.add_argument("--days", type=int, default=services.WINDOW_DAYS, help="统计期（天，默认 90）")
        sub.add_parser("update", help="把尚未归入热点的新工单归入已有热点或新建热点")
        weekly = sub.add_parser("digest", help="热点周报：某一周的热点问题、热点诉求和预警（Excel 或 PDF）")
        weekly.add_argument("--week", required=True, help="ISO 周，例如 2026-W48")
        weekly.add_argument("--out", required=True, help="输出文件 .xlsx 或 .pdf")
        listing = sub.add_parser("list", help="列出当前热点（诉求人至少 2 人），按热度排序")
        listing.add_argument("--top", type=int, default=20)
        listing.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "rebuild":
            if options["days"] < 1:
                raise CommandError("--days 须为正整数。")
            started = time.monotonic()
            hot = services.rebuild(days=options["days"], progress=_progress(started))
            self.stdout.write(f"热点已重建：{hot} 个热点问题，用时 {time.monotonic() - started:.1f} 秒。")
            self._warnings()
        elif action == "update":
            counts = services.update(progress=_progress(time.monotonic()))
            self.stdout.write("新工单 {tickets} 张：归入已有热点 {joined}，新建 {started}。".format(**counts))
            self._warnings()
        elif action == "list":
            self._list(options)
        elif action == "digest":
            self._digest(options)
        else:
            self._analyse(options)

    def _digest(self, options: dict[str, Any]) -> None:
        try:
            week = digest.parse_week(options["week"])
            written = digest.write_digest(week, Path(options["out"]))
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from exc
        issues = len(written.parts[0].tables[1].rows)
        self.stdout.write(f"{written.title}（{written.subtitle}）已写入 {options['out']}：热点问题 {issues} 个。")

    def _warnings(self) -> None:
        today = queries.warnings_of_day()
        self.stdout.write(f"今日热点预警 {len(today)} 个" + "".join(f"\n  · {w.description}（近期 {w.recent} 人）"
                                                             for w in today))

    def _list(self, options: dict[str, Any]) -> None:
        if options["top"] < 1:
            raise CommandError("--top 须为正整数。")
        rows = list(queries.hot_issues(limit=options["top"]))
        if options["json"]:
            self.stdout.write(json.dumps({"issues": [queries.as_json(r) for r in rows]}, ensure_ascii=False,
                                         indent=1))
            return
        for rank, row in enumerate(rows, start=1):
            self.stdout.write(f"{rank:>3}. 热度 {row.heat:>8.1f}  {row.description}  （{row.requesters} 人 "
                              f"{row.tickets} 件，{row.first_at:%Y-%m-%d}—{row.last_at:%Y-%m-%d}）")

    def _analyse(self, options: dict[str, Any]) -> None:
        if options["top"] < 1:
            raise CommandError("--top 须为正整数。")
        if options["half_life"] is not None and options["half_life"] < 0:
            raise CommandError("--half-life 不能为负数。")
        started = time.monotonic()
        try:
            columns = columns_from(options["id_col"], options["text_cols"], options["time_col"],
                                   options["votes_cols"], options["user_col"])
            messages, skipped = read_messages(options["data"], columns)
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        print(f"读取 {len(messages)} 条留言（跳过 {skipped} 行）", file=sys.stderr, flush=True)
        found = discovery.discover(messages, discovery.Options(half_life_days=options["half_life"] or None),
                                   progress=_progress(started))
        elapsed = time.monotonic() - started
        print(f"发现 {len(found)} 个热点问题，用时 {elapsed:.1f} 秒", file=sys.stderr, flush=True)
        top = found[:options["top"]]
        if options["json"]:
            self.stdout.write(json.dumps({"clusters": [i.as_json() for i in top]}, ensure_ascii=False, indent=1))
            return
        for issue in top:
            self.stdout.write(f"{issue.rank:>3}. 热度 {issue.heat:>8.1f}  {issue.description}  "
                              f"（{issue.requesters} 人 {len(issue.members)} 条，{issue.start:%Y-%m-%d}—{issue.end:%Y-%m-%d}）")


def _progress(started: float):  # type: ignore[no-untyped-def]
    def report(stage: str, done: int, total: int) -> None:
        print(f"\r  {STAGES.get(stage, stage)} {done}/{total}（{time.monotonic() - started:.1f} 秒）", end="",
              file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr, flush=True)
    return report
