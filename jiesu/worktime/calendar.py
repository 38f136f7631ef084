"""Working-time arithmetic. `WorkCalendar` is pure Python (no database inside); `get_calendar()` loads it.

Conventions (see docs/dev/worktime.md):
- A working moment is a moment on a working day inside a working period, both ends included: 12:00 and 17:30
  are working moments (the close of a period), 12:01 is not.
- Results are aware datetimes in Asia/Shanghai; naive input is read as Asia/Shanghai.
- Every date the arithmetic touches must lie in a year with calendar data, else `CalendarMissing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jiesu.core.errors import CalendarMissing

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
OFF = "off"
WORKING = "working"

TimeLike = time | str


def parse_time(value: TimeLike) -> time:
    """'08:30' or a time -> a time; ValueError with a Chinese message otherwise."""
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"时间格式应为 HH:MM，收到“{value}”。") from None


def parse_periods(raw: Iterable[Iterable[TimeLike]]) -> tuple[tuple[time, time], ...]:
    """Check and normalise working periods: at least one, each start < end, in order, not overlapping."""
    try:
        pairs = [(start, end) for start, end in raw]
    except (TypeError, ValueError):
        raise ValueError('工作时段应为 [["开始", "结束"], …] 的列表，例如 [["08:30", "12:00"]]。') from None
    periods = tuple((parse_time(start), parse_time(end)) for start, end in pairs)
    if not periods:
        raise ValueError("至少需要一个工作时段。")
    previous_end = time.min
    for index, (start, end) in enumerate(periods):
        if start >= end:
            raise ValueError(f"工作时段 {start:%H:%M}–{end:%H:%M} 的开始时间应早于结束时间。")
        if index and start < previous_end:
            raise ValueError("工作时段应按时间顺序排列且互不重叠。")
        previous_end = end
    return periods


def as_local(moment: datetime) -> datetime:
    """Naive -> Asia/Shanghai; aware -> converted to Asia/Shanghai."""
    if not isinstance(moment, datetime):
        raise TypeError("a datetime is required")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def calendar_missing(year: int) -> CalendarMissing:
    return CalendarMissing(
        f"缺少 {year} 年的工作日历（节假日与调休安排），无法计算工作时间。请管理员在后台“工作日历”中录入后再试。",
        year=year,
    )


class WorkCalendar:
    """Working days, working periods and the cut-off time, with the arithmetic over them."""

    def __init__(
        self,
        *,
        periods: Iterable[Iterable[TimeLike]],
        cutoff: TimeLike,
        off_days: Iterable[date] = (),
        working_days: Iterable[date] = (),
        known_years: Iterable[int] = (),
    ) -> None:
        self.periods = parse_periods(periods)
        self.cutoff = parse_time(cutoff)
        self.off_days = frozenset(off_days)
        self.working_days = frozenset(working_days)
        self.known_years = frozenset(known_years)
        self.day_length = sum((_span(start, end) for start, end in self.periods), timedelta(0))

    # --- days ---------------------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):
            day = as_local(day).date()
        if day.year not in self.known_years:
            raise calendar_missing(day.year)
        if day in self.off_days:
            return False
        return day in self.working_days or day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def _spans(self, day: date) -> list[tuple[datetime, datetime]]:
        return [(datetime.combine(day, start, SHANGHAI), datetime.combine(day, end, SHANGHAI))
                for start, end in self.periods]

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, self.periods[0][0], SHANGHAI)

    # --- moments ------------------------------------------------------------------------------------------

    def is_working_moment(self, moment: datetime) -> bool:
        """Inside a working period of a working day, both ends included."""
        moment = as_local(moment)
        if not self.is_working_day(moment.date()):
            return False
        return any(start <= moment <= end for start, end in self._spans(moment.date()))

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if it is a working moment, else the start of the next working period."""
        moment = as_local(moment)
        day = moment.date()
        if self.is_working_day(day):
            for start, end in self._spans(day):
                if moment <= end:
                    return max(moment, start)
        return self._day_start(self.next_working_day(day))

    def clock_start(self, moment: datetime) -> datetime:
        """When a clock starts for a request received at `moment`.

        From the cut-off time on a working day: the first period of the next working day. Otherwise the moment
        itself if it lies strictly inside a period (a period's end counts as closed), else the next period start.
        """
        moment = as_local(moment)
        day = moment.date()
        if self.is_working_day(day):
            if moment.time() >= self.cutoff:
                return self._day_start(self.next_working_day(day))
            for start, end in self._spans(day):
                if moment < end:
                    return max(moment, start)
        return self._day_start(self.next_working_day(day))

    # --- adding -------------------------------------------------------------------------------------------

    def add_working_minutes(self, moment: datetime, n: float) -> datetime:
        return self.add_working_time(moment, _amount(n, ONE_MINUTE))

    def add_working_hours(self, moment: datetime, n: float) -> datetime:
        return self.add_working_time(moment, _amount(n, timedelta(hours=1)))

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """Move to the next working moment, then consume `amount` of working periods only.

        A result may be the exact end of a period (16:30 + 60 minutes = 17:30 the same day).
        """
        if amount < timedelta(0):
            raise ValueError("工作时长不能为负数。")
        current = self.next_working_moment(moment)
        day = current.date()
        result, remaining = self._consume(day, current, amount)
        while result is None:
            day = self.next_working_day(day)
            if remaining > self.day_length:
                remaining -= self.day_length
                continue
            result, remaining = self._consume(day, self._day_start(day), remaining)
        return result

    def _consume(self, day: date, since: datetime, remaining: timedelta) -> tuple[datetime | None, timedelta]:
        for start, end in self._spans(day):
            if end < since:
                continue
            begin = max(start, since)
            available = end - begin
            if remaining <= available:
                return begin + remaining, timedelta(0)
            remaining -= available
        return None, remaining

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        """The n-th working day after the (moved) start, at the start's time of day."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError("工作日数应为非负整数。")
        start = self.next_working_moment(moment)
        day = start.date()
        for _ in range(n):
            day = self.next_working_day(day)
        return datetime.combine(day, start.time(), SHANGHAI)

    # --- measuring ----------------------------------------------------------------------------------------

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end]; zero when end <= start (never negative)."""
        start, end = as_local(start), as_local(end)
        total = timedelta(0)
        if end <= start:
            return total
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for span_start, span_end in self._spans(day):
                    overlap = min(span_end, end) - max(span_start, start)
                    if overlap > timedelta(0):
                        total += overlap
            day += ONE_DAY
        return total

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole working minutes (rounded down) between start and end; 0 when end <= start."""
        return self.working_time_between(start, end) // ONE_MINUTE


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


def _amount(n: float, unit: timedelta) -> timedelta:
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise ValueError("工作时长应为数字。")
    try:
        return unit * n
    except OverflowError:
        raise ValueError("工作时长过大。") from None


# --- loading from the database, cached per process -------------------------------------------------------

CACHE_NAME = "worktime.calendar"


def get_calendar() -> WorkCalendar:
    """The calendar in force: this process's copy while the configuration token says it is current
    (`jiesu.core.process_cache`: an edit made by another process, the admin or a rolled-back transaction is
    noticed on the next call; inside a web request the token costs one query per request)."""
    from jiesu.core.process_cache import cached

    return cached(CACHE_NAME, _load)


def clear_calendar_cache() -> None:
    from jiesu.core.process_cache import forget

    forget()


def _load() -> WorkCalendar:
    from jiesu.worktime.models import DEFAULT_CUTOFF, DEFAULT_PERIODS, CalendarDay, CalendarYear, WorkSchedule

    schedule = WorkSchedule.objects.first()
    years = CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True)
    days = list(CalendarDay.objects.filter(year__is_complete=True).values_list("date", "kind"))
    return WorkCalendar(
        periods=schedule.periods if schedule else DEFAULT_PERIODS,
        cutoff=schedule.cutoff if schedule else DEFAULT_CUTOFF,
        off_days=[day for day, kind in days if kind == OFF],
        working_days=[day for day, kind in days if kind == WORKING],
        known_years=years,
    )
