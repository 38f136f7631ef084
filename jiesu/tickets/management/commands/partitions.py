"""jiesu partitions: the monthly partitions of tickets, assignments and events on PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from jiesu.core import partitions
from jiesu.tickets.partitioning import ensure_months, orphans


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(f"月份应写作 YYYY-MM，例如 2025-01，收到“{value}”。") from None


class Command(BaseCommand):
    help = ("按月分区（PostgreSQL）：ensure 预建今后几个月的分区，list 列出，detach/attach 归档或恢复某月，"
            "check 检查未在数据库声明的引用。Monthly partitions of tickets, assignments and events.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["ensure", "list", "detach", "attach", "check"])
        parser.add_argument("--months-ahead", type=int, default=partitions.MONTHS_AHEAD)
        parser.add_argument("--month", help="detach/attach: YYYY-MM")
        parser.add_argument("--table", help="detach/attach: only this table (default: all three)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if connection.vendor != "postgresql" and action != "check":
            self.stdout.write("SQLite 不分区，无需操作。SQLite is not partitioned: nothing to do.")
            return
        if action == "ensure":
            if options["months_ahead"] < 0:
                raise CommandError("--months-ahead 须为非负整数。")
            created = ensure_months(months_ahead=options["months_ahead"])
            self.stdout.write(f"新建 {len(created)} 个分区 created: {', '.join(created) or '—'}")
        elif action == "list":
            for spec in partitions.registered():
                for name, start, end, rows in partitions.months(spec.table):
                    span = f"{start} – {end}" if start else "default"
                    self.stdout.write(f"{spec.table:20} {name:32} {span:25} ≈{rows or 0:,} rows")
        elif action == "check":
            found = orphans()
            for label, count in found.items():
                self.stdout.write(f"{label:40} {count}")
            if any(found.values()):
                raise CommandError("有引用指向不存在的工单或派单记录（见上）。")
        else:
            self._move(action, options)

    def _move(self, action: str, options: dict[str, Any]) -> None:
        if not options["month"]:
            raise CommandError("请用 --month YYYY-MM 指定月份。")
        month = _month(options["month"])
        tables = [options["table"]] if options["table"] else [s.table for s in partitions.registered()]
        for table in tables:
            name = (partitions.detach if action == "detach" else partitions.attach)(table, month)
            self.stdout.write(f"{action} {name}")
