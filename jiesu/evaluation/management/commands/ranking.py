"""`jiesu ranking --month YYYY-MM [--close] [--json]`: the month's composite scores and ranking per group; --close
stores it (a month that is over, once) so that it never moves."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import DomainError
from jiesu.evaluation import present, scoring, services
from jiesu.evaluation.periods import month_of, parse_month
from jiesu.org.models import User


def _rate(v: dict[str, Any]) -> str:
    return "—" if v["value"] is None else f"{v['value'] * 100:.1f}%"


class Command(BaseCommand):
    help = "单位月度综合评分与排名（红榜、黑榜）；--close 结束该月并存档排名。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", help="月份 YYYY-MM（默认本月）")
        parser.add_argument("--close", action="store_true", help="结束该月：存档排名，此后不再变化")
        parser.add_argument("--user", help="以该用户结束（记入操作日志；默认为系统）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--all", action="store_true", help="也列出本月没有派单的单位")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = (parse_month(options["month"]) if options["month"]
                      else month_of(timezone.localtime(clock.now()).date()))
            if options["close"]:
                actor = None
                if options["user"]:
                    actor = User.objects.filter(username=options["user"]).first()
                    if actor is None:
                        raise CommandError(f"用户 {options['user']} 不存在。")
                ranking = services.close_month(actor, period)
                self.stderr.write(f"{period.label()}排名已结束并存档（{ranking.entries.count()} 个单位）。")
            data = present.ranking_dict(scoring.ranking_for(period))
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._print(period.label(), data, options["all"])

    def _print(self, label: str, data: dict[str, Any], every: bool) -> None:
        state = "已结束（存档）" if data["closed"] else "未结束（实时计算）"
        self.stdout.write(f"{label} 单位排名  {state}  {data['scheme']['name']}")
        for group in data["groups"]:
            self.stdout.write(f"\n{group['label']}")
            idle = [e for e in group["entries"] if not e["rank"] and not e["figures"]["assigned"]["value"]]
            for e in group["entries"]:
                if e in idle and not every:
                    continue
                rank = f"{e['rank']:>3}" if e["rank"] else "  —"
                change = "" if e["change"] is None else (f"{e['change']:+d}" if e["change"] else "持平")
                mark = {"red": "红榜", "black": "黑榜"}.get(e["list"], "")
                f = e["figures"]
                score = "" if e["rank"] is None else f"{e['score']:6.2f}"
                self.stdout.write(
                    f"  {rank} {e['unit_name']:<12} {score:>6} {change:>3} {mark:<2}  响应 {_rate(f['response_rate'])}"
                    f" 解决 {_rate(f['resolution_rate'])} 满意 {_rate(f['satisfaction_rate'])}"
                    f" 超期 {f['overdue']['value']} 派单 {f['assigned']['value']}"
                    + (f"  不参与排名：{e['not_ranked_reason']}" if e["not_ranked_reason"] else ""))
            if idle and not every:
                self.stdout.write(f"  （另有 {len(idle)} 个单位本月无派单，--all 列出）")
