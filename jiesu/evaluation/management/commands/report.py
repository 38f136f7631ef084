"""`jiesu report monthly --month YYYY-MM --out FILE.xlsx|FILE.pdf`: the monthly circular (月度通报)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import DomainError
from jiesu.evaluation.circular import build
from jiesu.evaluation.periods import month_of, parse_month


class Command(BaseCommand):
    help = "月度通报：总体指标、单位排名、红黑榜、超期与退单、研判、督办、热点（Excel 含公式，或 PDF）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["monthly"], help="通报类型：monthly 月度通报")
        parser.add_argument("--month", help="月份 YYYY-MM（默认上月）")
        parser.add_argument("--out", required=True, help="输出文件 .xlsx 或 .pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["month"]:
                period = parse_month(options["month"])
            else:
                period = month_of(timezone.localtime(clock.now()).date()).previous()
            path = Path(options["out"])
            build.format_of(path)
            if not path.parent.exists():
                raise CommandError(f"目录 {path.parent} 不存在。")
            circular = build.write(period, path)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        sections = "、".join(p.title for p in circular.parts)
        self.stdout.write(f"已生成 {path}（{period.label()}，{path.stat().st_size:,} 字节）：{sections}")
