"""`jiesu calls import FILE [--source NAME]`: the call centre's records, with a progress bar and a summary."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiesu.calls.importing import FileReport, ImportFailed, import_file
from jiesu.calls.models import DEFAULT_SOURCE
from jiesu.core.errors import DomainError

BAR = 30


class Command(BaseCommand):
    help = "话单：导入呼叫中心的通话记录（CSV 或 Excel），坏行报告行号并跳过，重复导入不会重复写入。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入话单文件（列：呼叫编号、线路、主叫号码、呼入时间、接通时间、结束时间、坐席、"
                                            "队列、满意度；也可用英文列名）")
        imp.add_argument("file", help="CSV（UTF-8 或 GB18030）或 .xlsx 文件")
        imp.add_argument("--source", default=DEFAULT_SOURCE, help=f"话单来源名称（默认 {DEFAULT_SOURCE}）；"
                                                                   "呼叫编号在同一来源内唯一")
        imp.add_argument("--user", help="导入人用户名（须有话单导入权限；默认为系统）")
        imp.add_argument("--json", action="store_true", help="以 JSON 打印结果")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            from jiesu.org.models import User

            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{options['user']}”不存在或已停用。")
        try:
            report = import_file(actor, options["file"], options["source"], progress=_bar)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(summary(report))


def _bar(done: int, total: int) -> None:
    filled = BAR * done // max(total, 1)
    print(f"\r  [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} 条", end="", file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr, flush=True)


def summary(report: FileReport) -> str:
    lines = [f"话单导入：{report.path}",
             f"  共 {report.rows} 行：新导入 {report.imported} 条（关联工单 {report.linked} 条），"
             f"已导入过 {report.already} 条，有误跳过 {len(report.bad)} 行。"]
    for bad in report.bad:
        lines.append(f"  第 {bad.line} 行{f'（{bad.call_id}）' if bad.call_id else ''}：{'；'.join(bad.reasons)}")
    return "\n".join(lines) + "\n"
