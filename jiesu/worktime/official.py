"""The official schedules (国务院办公厅节假日安排) as published in the chinese-calendar package.

Only exceptions to the week are returned: holidays falling on a weekday ("off") and weekend days that are
working days ("working"). Pure functions, also used by the seeding migration.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from importlib.metadata import version

import chinese_calendar

OFF = "off"
WORKING = "working"
_PROBE_FROM = 1990
_PROBE_TO = 2100


def source_label() -> str:
    return f"chinese-calendar {version('chinesecalendar')}"


def _knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def official_years() -> tuple[int, ...]:
    """Every year chinese-calendar has a schedule for (it raises NotImplementedError outside its range)."""
    return tuple(year for year in range(_PROBE_FROM, _PROBE_TO + 1) if _knows(year))


def knows_year(year: int) -> bool:
    return year in official_years()


def _chinese_name(english: str | None) -> str:
    if not english:
        return ""
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


def official_exceptions(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, name) for each exceptional day of `year`, in date order. ValueError for an unknown year."""
    if not knows_year(year):
        raise ValueError(f"chinese-calendar 没有 {year} 年的节假日安排。")
    result = []
    day = date(year, 1, 1)
    while day.year == year:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if is_holiday and not weekend:
            result.append((day, OFF, _chinese_name(name)))
        elif weekend and not is_holiday:
            result.append((day, WORKING, _chinese_name(name)))
        day += timedelta(days=1)
    return result
