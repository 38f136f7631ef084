"""Working time left, as a short phrase in the active language: "剩余 3小时20分", "超期 1天2小时" (working days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from jiesu.core import clock
from jiesu.core.errors import CalendarMissing
from jiesu.tickets.deadlines import working_minutes_left
from jiesu.worktime.calendar import get_calendar

WARN_MINUTES = 120


@dataclass(frozen=True)
class TimeLeft:
    minutes: int
    text: str

    @property
    def level(self) -> str:
        if self.minutes < 0:
            return "overdue"
        return "soon" if self.minutes <= WARN_MINUTES else "ok"


def span_text(minutes: int, day_minutes: int) -> str:
    minutes = abs(minutes)
    days, rest = divmod(minutes, day_minutes) if day_minutes > 0 else (0, minutes)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s天%(h)s小时") % {"d": days, "h": hours} if hours else _("%(d)s天") % {"d": days}
    if hours:
        return _("%(h)s小时%(m)s分") % {"h": hours, "m": mins} if mins else _("%(h)s小时") % {"h": hours}
    return _("%(m)s分钟") % {"m": mins}


def time_left(due_at: datetime | None, now: datetime | None = None) -> TimeLeft | None:
    if due_at is None:
        return None
    try:
        calendar = get_calendar()
        minutes = working_minutes_left(now or clock.now(), due_at)
    except CalendarMissing:
        return None
    day_minutes = int(calendar.day_length.total_seconds() // 60)
    text = span_text(minutes, day_minutes)
    return TimeLeft(minutes, _("超期 %(t)s") % {"t": text} if minutes < 0 else _("剩余 %(t)s") % {"t": text})
