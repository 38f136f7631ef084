"""Changes to the working calendar. Each runs in one transaction and writes one event (none when nothing changes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db import transaction

from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.events import record_event
from jiesu.worktime.calendar import parse_periods, parse_time
from jiesu.worktime.models import CalendarDay, CalendarYear, WorkSchedule
from jiesu.worktime.official import knows_year, official_exceptions, source_label

DAY = "calendar_day"
YEAR = "calendar_year"
SCHEDULE = "work_schedule"
_KINDS = {choice.value for choice in CalendarDay.Kind}


def _day_state(day: CalendarDay | None) -> dict[str, Any]:
    return {"kind": day.kind, "name": day.name} if day else {}


def check_day(on: date, kind: str) -> None:
    if kind not in _KINDS:
        raise ValidationFailed(f"类型应为“休息日”或“调休上班”，收到“{kind}”。", field_errors={"kind": ["类型无效。"]})
    weekend = on.weekday() >= 5
    if kind == CalendarDay.Kind.OFF and weekend:
        raise ValidationFailed(f"{on:%Y-%m-%d} 是周末，本来就是休息日，无需录入。")
    if kind == CalendarDay.Kind.WORKING and not weekend:
        raise ValidationFailed(f"{on:%Y-%m-%d} 是工作日（周一至周五），无需录入为调休上班。")


def _year_row(year: int) -> CalendarYear:
    row, _ = CalendarYear.objects.get_or_create(year=year, defaults={"source": "manual", "is_complete": False})
    return row


@transaction.atomic
def set_day(actor: Any, on: date, kind: str, name: str = "", reason: str = "") -> CalendarDay:
    """Enter or change one exceptional day. A year not yet present is created as manual and incomplete."""
    check_day(on, kind)
    name = (name or "").strip()
    day = CalendarDay.objects.select_for_update().filter(date=on).first()
    before = _day_state(day)
    if day is None:
        day = CalendarDay(date=on, year=_year_row(on.year))
    elif before == {"kind": kind, "name": name}:
        return day
    day.kind, day.name = kind, name
    day.save()
    record_event(subject_type=DAY, subject_id=on.isoformat(), action="changed" if before else "created",
                 actor=actor, before=before, after=_day_state(day), reason=reason)
    return day


@transaction.atomic
def remove_day(actor: Any, on: date, reason: str = "") -> None:
    """Delete an exceptional day: the date goes back to the ordinary week."""
    day = CalendarDay.objects.select_for_update().filter(date=on).first()
    if day is None:
        raise NotFound(f"{on:%Y-%m-%d} 没有节假日或调休记录。")
    before = _day_state(day)
    day.delete()
    record_event(subject_type=DAY, subject_id=on.isoformat(), action="removed", actor=actor, before=before,
                 reason=reason)


def _year_state(row: CalendarYear) -> dict[str, Any]:
    return {"source": row.source, "note": row.note, "is_complete": row.is_complete}


@transaction.atomic
def set_year(actor: Any, year: int, *, source: str | None = None, note: str | None = None,
             is_complete: bool | None = None, reason: str = "") -> CalendarYear:
    """Create or change a calendar year. Marking it complete makes deadlines in that year computable."""
    if not 1900 <= int(year) <= 2200:
        raise ValidationFailed(f"年度 {year} 无效。", field_errors={"year": ["年度无效。"]})
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    created = row is None
    row = row or CalendarYear(year=year)
    before = {} if created else _year_state(row)
    for attribute, value in (("source", source), ("note", note), ("is_complete", is_complete)):
        if value is not None:
            setattr(row, attribute, value)
    if not created and _year_state(row) == before:
        return row
    row.save()
    record_event(subject_type=YEAR, subject_id=year, action="created" if created else "changed", actor=actor,
                 before=before, after=_year_state(row), reason=reason)
    return row


def _schedule_state(row: WorkSchedule | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {"periods": row.periods, "cutoff": f"{row.cutoff:%H:%M}", "valid_from": row.valid_from.isoformat()}


@transaction.atomic
def set_schedule(actor: Any, *, periods: Any, cutoff: time | str, valid_from: date, reason: str = "") -> WorkSchedule:
    """Change the working hours of a working day and the cut-off time (one schedule is in force)."""
    try:
        checked = parse_periods(periods)
        cutoff_time = parse_time(cutoff)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    row = WorkSchedule.objects.select_for_update().first()
    before = _schedule_state(row)
    row = row or WorkSchedule()
    row.periods = [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in checked]
    row.cutoff, row.valid_from = cutoff_time, valid_from
    if _schedule_state(row) == before:
        return row
    row.save()
    record_event(subject_type=SCHEDULE, subject_id=row.pk, action="changed" if before else "created",
                 actor=actor, before=before, after=_schedule_state(row), reason=reason)
    return row


@dataclass
class SeedResult:
    year: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    year_changed: bool = False

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed) + int(self.year_changed)


@transaction.atomic
def seed_year(actor: Any, year: int, reason: str = "") -> SeedResult:
    """Make `year` exactly the official schedule (chinese-calendar). Running it again changes nothing."""
    if not knows_year(year):
        raise ValidationFailed(f"chinese-calendar 没有 {year} 年的节假日安排，请在后台人工录入。")
    row = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)
    result = SeedResult(year=year)
    wanted = {"source": source_label(), "is_complete": True}
    if row.pk is None or any(getattr(row, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(row, key, value)
        row.save()
        result.year_changed = True
    _sync_days(row, result)
    if result.changes:
        record_event(subject_type=YEAR, subject_id=year, action="seeded", actor=actor, reason=reason,
                     after=_year_state(row),
                     data={"added": result.added, "changed": result.changed, "removed": result.removed})
    return result


def _sync_days(row: CalendarYear, result: SeedResult) -> None:
    existing = {day.date: day for day in CalendarDay.objects.filter(year=row)}
    official = {on: (kind, name) for on, kind, name in official_exceptions(row.year)}
    for on, day in existing.items():
        if on not in official:
            day.delete()
            result.removed.append(on.isoformat())
        elif (day.kind, day.name) != official[on]:
            day.kind, day.name = official[on]
            day.save()
            result.changed.append(on.isoformat())
    new = [CalendarDay(date=on, kind=kind, name=name, year=row)
           for on, (kind, name) in official.items() if on not in existing]
    CalendarDay.objects.bulk_create(new)
    result.added = [day.date.isoformat() for day in new]
