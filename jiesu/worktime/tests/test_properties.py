"""Properties of the working-time arithmetic (hypothesis, no database)."""

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jiesu.worktime.calendar import SHANGHAI, WorkCalendar
from jiesu.worktime.tests.factories import official_calendar

CAL = official_calendar()
FEW = settings(max_examples=60, deadline=None)

# Moments in 2025 and the first half of 2026, at any second; amounts that keep results inside 2026.
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 6, 30, 23, 59, 59)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=SHANGHAI)
)
minutes = st.integers(min_value=0, max_value=20_000)
days = st.integers(min_value=0, max_value=60)


@st.composite
def calendars(draw):  # type: ignore[no-untyped-def]
    """Random schedules (1–3 periods at whole minutes) with random extra days off and working weekends."""
    points = sorted(draw(st.sets(st.integers(min_value=1, max_value=23 * 60), min_size=2, max_size=6)))
    points = points[: len(points) // 2 * 2]
    periods = [(_clock(points[i]), _clock(points[i + 1])) for i in range(0, len(points), 2)]
    year_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
    off = draw(st.sets(year_days, max_size=40))
    working = draw(st.sets(year_days.filter(lambda d: d.weekday() >= 5), max_size=10)) - off
    cutoff = _clock(draw(st.integers(min_value=0, max_value=24 * 60 - 1)))
    return WorkCalendar(periods=periods, cutoff=cutoff, off_days=off, working_days=working,
                        known_years=[2025, 2026])


def _clock(minute_of_day: int) -> time:
    return time(minute_of_day // 60, minute_of_day % 60)


def _bounded(calendar: WorkCalendar, n: int, working_days: int = 40) -> int:
    """At most `working_days` days of work, so that results stay inside the known years."""
    return n % (calendar.day_length // timedelta(minutes=1) * working_days + 1)


@FEW
@given(moments)
def test_next_working_moment_is_the_first_working_moment_from_then(moment):
    moved = CAL.next_working_moment(moment)
    assert moved >= moment
    assert CAL.is_working_moment(moved)
    assert CAL.next_working_moment(moved) == moved
    assert CAL.working_time_between(moment, moved) == timedelta(0)


@FEW
@given(calendars(), moments, minutes)
def test_adding_minutes_lands_on_a_working_moment_and_measures_back(calendar, start, n):
    n = _bounded(calendar, n)
    result = calendar.add_working_minutes(start, n)
    assert result >= start
    assert calendar.is_working_moment(result)
    assert calendar.working_minutes_between(start, result) == n
    assert calendar.working_time_between(start, result) == timedelta(minutes=n)


@FEW
@given(calendars(), moments, minutes, minutes)
def test_adding_minutes_is_additive(calendar, start, m, n):
    m, n = _bounded(calendar, m), _bounded(calendar, n)
    assert calendar.add_working_minutes(start, m + n) == calendar.add_working_minutes(
        calendar.add_working_minutes(start, m), n
    )


@FEW
@given(moments, minutes, minutes)
def test_adding_minutes_is_monotonic(start, m, n):
    low, high = sorted((m, n))
    assert CAL.add_working_minutes(start, low) <= CAL.add_working_minutes(start, high)


@FEW
@given(moments, st.integers(min_value=0, max_value=300))
def test_hours_are_sixty_minutes(start, n):
    assert CAL.add_working_hours(start, n) == CAL.add_working_minutes(start, 60 * n)


@FEW
@given(calendars(), moments, days)
def test_adding_days_lands_on_a_working_day_at_the_same_time_of_day(calendar, start, n):
    moved = calendar.next_working_moment(start)
    result = calendar.add_working_days(start, n)
    assert calendar.is_working_day(result.date())
    assert result.time() == moved.time()
    assert calendar.is_working_moment(result)
    working_days_passed = sum(
        calendar.is_working_day(moved.date() + timedelta(days=offset))
        for offset in range(1, (result.date() - moved.date()).days + 1)
    )
    assert working_days_passed == n


@FEW
@given(moments, moments, moments)
def test_working_time_between_adds_up_and_is_never_negative(a, b, c):
    a, b, c = sorted((a, b, c))
    assert CAL.working_time_between(a, b) + CAL.working_time_between(b, c) == CAL.working_time_between(a, c)
    assert CAL.working_minutes_between(c, a) == 0


@FEW
@given(calendars(), moments)
def test_the_clock_starts_at_a_working_moment_not_before_receipt(calendar, received):
    clock = calendar.clock_start(received)
    assert clock >= received
    assert calendar.is_working_moment(clock)
    assert calendar.working_time_between(received, clock) == timedelta(0) or received.time() >= calendar.cutoff
    if calendar.is_working_day(received.date()) and received.time() >= calendar.cutoff:
        assert clock.date() > received.date()
        assert clock.time() == calendar.periods[0][0]
