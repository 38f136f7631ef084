"""jiesu calendar deadline | show | seed — the working calendar from the command line."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiesu.core.errors import DomainError
from jiesu.worktime import services
from jiesu.worktime.calendar import get_calendar
from jiesu.worktime.models import CalendarDay
from jiesu.worktime.official import official_years
from jiesu.worktime.queries import days_of_year, year_row

WEEKDAYS = "一二三四五六日"


class Failure(Exception):
    """A problem to tell the user in one line, without a traceback."""


class Command(BaseCommand):
    help = "工作日历：计算期限（deadline）、查看年度安排（show）、按官方安排导入（seed）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{deadline,show,seed}")
        deadline = sub.add_parser("deadline", help="从开始时间起加上工作时长，输出期限（ISO 8601，+08:00）。")
        deadline.add_argument("--start", help="开始时间，例如 2025-09-30T16:00（不带时区即北京时间）")
        deadline.add_argument("--working-days", help="工作日数（保持开始时刻的钟点）")
        deadline.add_argument("--working-hours", help="工作小时数（只计工作时段）")
        deadline.add_argument("--working-minutes", help="工作分钟数（只计工作时段）")
        deadline.add_argument("--received", action="store_true",
                              help="把开始时间当作受理时间：截止时间（默认 17:00）及以后受理的从下一工作日起算")
        show = sub.add_parser("show", help="列出某年的休息日（工作日放假）和调休上班日。")
        show.add_argument("year", help="年份，例如 2026")
        seed = sub.add_parser("seed", help="按 chinese-calendar 的官方安排导入（可重复运行）。")
        seed.add_argument("--year", help="只导入这一年（默认：chinese-calendar 已知的全部年份）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (Failure, DomainError, ValueError) as exc:
            message = exc.message if isinstance(exc, DomainError) else exc
            self.stderr.write(f"错误：{message}")
            raise SystemExit(1) from None

    def _deadline(self, options: dict[str, Any]) -> None:
        start = _parse_start(options.get("start"))
        given = {key: options.get(key) for key in ("working_days", "working_hours", "working_minutes")}
        given = {key: value for key, value in given.items() if value is not None}
        if len(given) != 1:
            raise Failure("请给出且只给出一个时长：--working-days、--working-hours 或 --working-minutes。")
        (key, raw), = given.items()
        raw = str(raw)
        calendar = get_calendar()
        if options.get("received"):
            start = calendar.clock_start(start)
        if key == "working_days":
            result = calendar.add_working_days(start, int(_number(raw, whole=True)))
        elif key == "working_hours":
            result = calendar.add_working_hours(start, _number(raw))
        else:
            result = calendar.add_working_minutes(start, _number(raw))
        self.stdout.write(result.isoformat())

    def _show(self, options: dict[str, Any]) -> None:
        year = _year(options["year"])
        row = year_row(year)
        if row is None:
            raise Failure(f"没有 {year} 年的工作日历。请在后台录入，或运行 jiesu calendar seed --year {year}。")
        state = "已录入完整" if row.is_complete else "录入中，未标记完整，暂不用于计算期限"
        self.stdout.write(f"{year} 年工作日历（来源：{row.source}；{state}）")
        days = days_of_year(year)
        for kind, title in ((CalendarDay.Kind.OFF, "休息日（工作日放假）"), (CalendarDay.Kind.WORKING, "调休上班日")):
            chosen = [day for day in days if day.kind == kind]
            self.stdout.write(f"\n{title}：{len(chosen)} 天")
            for day in chosen:
                self.stdout.write(f"  {day.date.isoformat()} 周{WEEKDAYS[day.date.weekday()]} {day.name}".rstrip())

    def _seed(self, options: dict[str, Any]) -> None:
        years = [_year(options["year"])] if options.get("year") else list(official_years())
        for year in years:
            result = services.seed_year(None, year, reason="jiesu calendar seed")
            summary = (f"新增 {len(result.added)}、修改 {len(result.changed)}、删除 {len(result.removed)} 天"
                       if result.changes else "无变化")
            self.stdout.write(f"{year} 年：{summary}")


def _parse_start(raw: str | None) -> datetime:
    if not raw:
        raise Failure("请用 --start 给出开始时间，例如 --start 2025-09-30T16:00。")
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        raise Failure(f"开始时间“{raw}”无法识别，应为 2025-09-30T16:00 这样的格式。") from None


def _number(raw: str, whole: bool = False) -> float:
    try:
        value = int(raw) if whole else float(raw)
    except (TypeError, ValueError):
        kind = "非负整数" if whole else "非负数"
        raise Failure(f"“{raw}”不是{kind}。") from None
    if value < 0 or not math.isfinite(value):
        raise Failure(f"“{raw}”不能为负数或无穷大。")
    return value


def _year(raw: str) -> int:
    year = int(_number(raw, whole=True))
    if not 1900 <= year <= 2200:
        raise Failure(f"年份 {raw} 超出范围（1900–2200）。")
    return year
