"""`jiesu figures`: the figures of a period (as a table or --json), and keeping the facts current
(`jiesu figures refresh [--every N]`, `jiesu figures rebuild [--figure CODE]`)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiesu.core.errors import DomainError
from jiesu.evaluation import facts, present, queries
from jiesu.evaluation.periods import period_from
from jiesu.evaluation.registry import COUNT, MEAN


def _cell(v: dict[str, Any], kind: str) -> str:
    if v["value"] is None:
        return "—"
    if kind == COUNT:
        return f"{int(v['denominator'])}"
    if kind == MEAN:
        return f"{v['value']:.1f}"
    return f"{v['value'] * 100:.1f}% ({v['numerator']:g}/{v['denominator']})"


class Command(BaseCommand):
    help = "指标：某期间的全部指标（分子、分母、比率）；refresh 增量更新，rebuild 全部重算。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["show", "refresh", "rebuild"], default="show")
        parser.add_argument("--from", dest="start", help="开始日期 YYYY-MM-DD，或整月 YYYY-MM")
        parser.add_argument("--to", dest="end", help="结束日期 YYYY-MM-DD（含）")
        parser.add_argument("--unit", help="单位代码（默认全市）")
        parser.add_argument("--subunits", action="store_true", help="含下级单位")
        parser.add_argument("--group-by", choices=queries.GROUPS)
        parser.add_argument("--figure", action="append", help="只看/只重算这些指标代码")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--naive", action="store_true", help="不用日汇总，直接从工单与事件计算（核对用）")
        parser.add_argument("--every", type=int, help="refresh：每隔 N 秒运行一次")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "refresh":
                self._refresh(options["every"])
            elif options["action"] == "rebuild":
                count = facts.rebuild(options["figure"], progress=lambda m: self.stdout.write(f"  {m}"))
                self.stdout.write(f"重算完成：{count} 条事实。")
            else:
                self._show(options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def _refresh(self, every: int | None) -> None:
        while True:
            result = facts.refresh(progress=lambda m: self.stdout.write(f"  {m}"))
            changed = "，".join(f"{name} {n} 个" for name, n in result.keys.items())
            self.stdout.write(f"已更新：{changed}（{result.facts} 条事实）")
            if not every:
                return
            time.sleep(every)

    def _show(self, options: dict[str, Any]) -> None:
        period = period_from(options["start"], options["end"])
        scope = queries.unit_scope(options["unit"], options["subunits"])  # the command line sees the whole city
        table = queries.compute(scope, period, group_by=options["group_by"], codes=options["figure"],
                                naive=options["naive"])
        data = present.table_dict(table, links=False)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        kinds = {d["code"]: d["kind"] for d in data["definitions"]}
        labels = {d["code"]: d["label"] for d in data["definitions"]}
        self.stdout.write(f"{table.period.label()}  {options['unit'] or '全市'}")
        for code, v in data["figures"].items():
            self.stdout.write(f"  {labels[code]:<10}{_cell(v, kinds[code])}")
        for group in data["groups"]:
            cells = "  ".join(f"{labels[c]} {_cell(v, kinds[c])}" for c, v in group["figures"].items()
                              if v["denominator"])
            self.stdout.write(f"- {group['label']}: {cells}")
