"""Calendars for tests, built without the database from the same official data the migration seeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from jiesu.worktime.calendar import SHANGHAI, WorkCalendar
from jiesu.worktime.models import DEFAULT_CUTOFF, DEFAULT_PERIODS
from jiesu.worktime.official import OFF, WORKING, official_exceptions


def official_calendar(years: Iterable[int] = (2024, 2025, 2026), periods=DEFAULT_PERIODS,  # type: ignore[no-untyped-def]
                      cutoff: str = DEFAULT_CUTOFF) -> WorkCalendar:
    days = [row for year in years for row in official_exceptions(year)]
    return WorkCalendar(
        periods=periods,
        cutoff=cutoff,
        off_days=[day for day, kind, _ in days if kind == OFF],
        working_days=[day for day, kind, _ in days if kind == WORKING],
        known_years=years,
    )


def at(text: str) -> datetime:
    """'2025-09-30 16:00' -> an aware datetime in Asia/Shanghai."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
