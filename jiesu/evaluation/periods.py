"""Periods of the figures: any from–to of days, and the usual ones (day, week, month, quarter, year)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import ValidationFailed

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed("结束日期早于开始日期。", field_errors={"to": ["结束日期不能早于开始日期。"]})
        if (self.end - self.start).days > 3660:
            raise ValidationFailed("统计区间不能超过十年。", field_errors={"to": ["统计区间不能超过十年。"]})

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, timezone.get_current_timezone())

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, timezone.get_current_timezone())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before, of the same kind: the month before a whole month, else as many days before."""
        if self.is_month:
            return month_of(self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self == month_of(self.start)

    def label(self) -> str:
        if self.is_month:
            return f"{self.start.year}年{self.start.month}月"
        if self.start == self.end:
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


YEARS = range(1900, 3000)  # a period's neighbours (the month before, the day after) stay within date's range


def _in_years(day: date, field: str) -> date:
    if day.year not in YEARS:
        raise ValidationFailed(f"日期“{day}”超出范围（{YEARS.start}–{YEARS.stop - 1} 年）。",
                               field_errors={field: ["年份超出范围。"]})
    return day


def parse_month(text: str) -> Period:
    match = MONTH.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationFailed("月份格式应为 YYYY-MM，例如 2026-11。", field_errors={"month": ["格式：YYYY-MM。"]})
    return month_of(_in_years(date(int(match.group(1)), int(match.group(2)), 1), "month"))


def parse_day(text: str, field: str) -> date:
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise ValidationFailed(f"日期“{text}”无效，格式应为 YYYY-MM-DD。",
                               field_errors={field: ["格式：YYYY-MM-DD。"]}) from exc
    return _in_years(day, field)


def period_from(start: str | None, end: str | None, *, today: date | None = None) -> Period:
    """A period from query strings; missing bounds default to the current month up to today."""
    today = today or timezone.localtime(clock.now()).date()
    if start and MONTH.match(start.strip()) and not end:
        return parse_month(start)
    first = parse_day(start, "from") if start else today.replace(day=1)
    last = parse_day(end, "to") if end else max(today, first)
    return Period(first, last)


def week_of(day: date) -> Period:
    """The week (Monday to Sunday) holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


PERIOD_KINDS = ("month", "week", "day", "range")


def period_of_kind(kind: str, on: str | None, start: str | None = None, end: str | None = None, *,
                   today: date | None = None) -> Period:
    """The period a page's filter names: the month, week or day holding ``on`` (a day, or YYYY-MM for a month;
    default today), or the days ``start``–``end`` for ``range``."""
    today = today or timezone.localtime(clock.now()).date()
    if kind == "range":
        return period_from(start or None, end or None, today=today)
    if kind not in PERIOD_KINDS:
        raise ValidationFailed(f"统计周期“{kind}”无效。", field_errors={"period": ["可选：月、周、日、自定义。"]})
    if kind == "month" and on and MONTH.match(on.strip()):
        return parse_month(on)
    day = parse_day(on, "on") if on else today
    return {"month": month_of, "week": week_of, "day": lambda d: Period(d, d)}[kind](day)
