"""Deadlines of a ticket's clocks, from the time limits (catalog) and the working calendar (worktime)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from jiesu.catalog.models import Clock, LimitUnit
from jiesu.catalog.queries import LimitSpec, limit_for
from jiesu.worktime.calendar import get_calendar


@dataclass(frozen=True)
class Due:
    due_at: datetime
    warn_at: datetime


def _add(start: datetime, amount: int, unit: str) -> datetime:
    if unit == LimitUnit.NATURAL_HOURS:
        return start + timedelta(hours=amount)
    calendar = get_calendar()
    if unit == LimitUnit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    if unit == LimitUnit.WORKING_HOURS:
        return calendar.add_working_hours(start, amount)
    return calendar.add_working_minutes(start, amount)


def due_from(start: datetime, spec: LimitSpec) -> Due:
    """The deadline of a limit started at `start`, and the moment its warning share is used up."""
    due_at = _add(start, spec.amount, spec.unit)
    if spec.unit == LimitUnit.NATURAL_HOURS:
        warn_at = start + (due_at - start) * spec.warning_share
    else:
        calendar = get_calendar()
        used = calendar.working_minutes_between(start, due_at)
        warn_at = calendar.add_working_minutes(start, int(used * spec.warning_share))
    return Due(due_at=due_at, warn_at=warn_at)


def due_for(clock: Clock, start: datetime, *, kind: str = "", category=None, urgency: str = "normal") -> Due:  # type: ignore[no-untyped-def]
    spec = limit_for(clock, kind=kind, category=category, urgency=urgency, at=start)
    return due_from(start, spec)


def extend_by_working_days(due_at: datetime, working_days: int) -> datetime:
    return get_calendar().add_working_days(due_at, working_days)


def shift_by_pause(due_at: datetime, paused_from: datetime, paused_to: datetime) -> datetime:
    """A pause moves a deadline later by the working time it lasted."""
    calendar = get_calendar()
    return calendar.add_working_minutes(due_at, calendar.working_minutes_between(paused_from, paused_to))


def clock_start(moment: datetime) -> datetime:
    return get_calendar().clock_start(moment)


def working_minutes_left(now: datetime, due_at: datetime) -> int:
    """Working minutes until `due_at` (negative when overdue)."""
    calendar = get_calendar()
    if due_at >= now:
        return calendar.working_minutes_between(now, due_at)
    return -calendar.working_minutes_between(due_at, now)
