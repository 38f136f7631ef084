"""Worked cases around the 2025 and 2026 holidays, the issue's examples and the edge cases (no database)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from jiesu.core.errors import CalendarMissing
from jiesu.worktime.calendar import WorkCalendar
from jiesu.worktime.tests.factories import at, official_calendar

CAL = official_calendar()


def test_the_issue_examples():
    # A working Tuesday 16:00 + 1 working day = the next working day at 16:00.
    assert CAL.add_working_days(at("2025-03-04 16:00"), 1) == at("2025-03-05 16:00")
    # 16:30 + 2 working hours = 09:30 on the next working day.
    assert CAL.add_working_hours(at("2025-03-04 16:30"), 2) == at("2025-03-05 09:30")
    # The command's example: 2025 National Day (Oct 1–8 off, Saturday Oct 11 a working day).
    assert CAL.add_working_days(at("2025-09-30 16:00"), 3).isoformat() == "2025-10-11T16:00:00+08:00"


@pytest.mark.parametrize(("day", "working"), [
    ("2025-01-25", False),  # Saturday before the festival
    ("2025-01-26", True),  # Sunday, adjusted working day
    ("2025-01-28", False), ("2025-02-04", False),  # 除夕 … last day off
    ("2025-02-05", True),
    ("2025-02-08", True),  # Saturday, adjusted working day
    ("2026-02-14", True),  # Saturday, adjusted working day
    ("2026-02-15", False), ("2026-02-23", False),
    ("2026-02-24", True),
    ("2026-02-28", True),  # Saturday, adjusted working day
    ("2025-09-28", True), ("2025-10-01", False), ("2025-10-08", False), ("2025-10-09", True),
    ("2025-10-11", True), ("2025-10-12", False),
    ("2026-09-20", True), ("2026-09-25", False), ("2026-10-07", False), ("2026-10-08", True),
    ("2026-10-10", True),
])
def test_working_days_of_the_official_schedule(day, working):
    assert CAL.is_working_day(date.fromisoformat(day)) is working


@pytest.mark.parametrize(("start", "days", "deadline"), [
    ("2025-01-24 16:00", 1, "2025-01-26 16:00"),  # Friday -> the working Sunday
    ("2025-01-26 10:00", 1, "2025-01-27 10:00"),
    ("2025-01-27 16:00", 1, "2025-02-05 16:00"),  # across the whole Spring Festival
    ("2025-02-07 16:00", 1, "2025-02-08 16:00"),  # -> the working Saturday
    ("2025-01-29 11:00", 1, "2025-02-06 08:30"),  # a start on a day off moves to the next working moment first
    ("2026-02-13 16:00", 1, "2026-02-14 16:00"),
    ("2026-02-13 16:00", 2, "2026-02-24 16:00"),
    ("2026-02-27 09:00", 1, "2026-02-28 09:00"),
    ("2025-09-26 16:00", 1, "2025-09-28 16:00"),  # Friday -> the working Sunday before National Day
    ("2026-09-24 10:00", 1, "2026-09-28 10:00"),  # Mid-autumn (Fri 25th) and the weekend
    ("2026-09-30 16:00", 1, "2026-10-08 16:00"),
    ("2026-09-30 16:00", 3, "2026-10-10 16:00"),  # the working Saturday
])
def test_adding_working_days_around_holidays(start, days, deadline):
    assert CAL.add_working_days(at(start), days) == at(deadline)


@pytest.mark.parametrize(("start", "minutes", "deadline"), [
    ("2025-01-27 16:30", 120, "2025-02-05 09:30"),
    ("2025-01-24 17:00", 30, "2025-01-24 17:30"),  # may end exactly at the close of a period
    ("2025-01-24 17:00", 31, "2025-01-26 08:31"),
    ("2026-02-13 17:20", 30, "2026-02-14 08:50"),
    ("2026-02-14 17:20", 30, "2026-02-24 08:50"),
    ("2025-09-30 11:50", 20, "2025-09-30 13:40"),  # over the lunch break
    ("2025-09-30 08:30", 450, "2025-09-30 17:30"),  # one whole working day is 7 h 30 min
])
def test_adding_working_minutes_around_holidays(start, minutes, deadline):
    assert CAL.add_working_minutes(at(start), minutes) == at(deadline)


def test_working_minutes_between_over_holidays():
    assert CAL.working_minutes_between(at("2025-01-27 17:30"), at("2025-02-05 08:30")) == 0
    assert CAL.working_minutes_between(at("2025-01-27 16:30"), at("2025-02-05 09:30")) == 120
    assert CAL.working_minutes_between(at("2025-09-30 08:00"), at("2025-10-09 18:00")) == 2 * 450
    assert CAL.working_minutes_between(at("2025-10-09 10:00"), at("2025-10-09 10:00")) == 0
    assert CAL.working_minutes_between(at("2025-10-09 10:00"), at("2025-10-09 09:00")) == 0  # end before start
    assert CAL.working_minutes_between(at("2025-10-09 10:00"), at("2025-10-09 10:00:59")) == 0  # rounds down


def test_a_start_exactly_at_the_end_of_a_period():
    noon, close = at("2025-03-04 12:00"), at("2025-03-04 17:30")
    assert CAL.next_working_moment(noon) == noon
    assert CAL.add_working_minutes(noon, 0) == noon
    assert CAL.add_working_minutes(noon, 30) == at("2025-03-04 14:00")
    assert CAL.add_working_days(noon, 1) == at("2025-03-05 12:00")
    assert CAL.add_working_days(close, 1) == at("2025-03-05 17:30")
    assert CAL.add_working_minutes(close, 1) == at("2025-03-05 08:31")
    assert CAL.clock_start(noon) == at("2025-03-04 13:30")  # a request at 12:00 waits for the afternoon


def test_a_start_in_the_lunch_break_keeps_the_afternoon_start_time():
    assert CAL.next_working_moment(at("2025-03-04 12:30")) == at("2025-03-04 13:30")
    assert CAL.add_working_days(at("2025-03-04 12:30"), 1) == at("2025-03-05 13:30")
    assert CAL.add_working_days(at("2025-03-04 18:00"), 1) == at("2025-03-06 08:30")


def test_adding_zero_moves_to_the_next_working_moment_only():
    saturday = at("2025-03-08 10:00")
    assert CAL.add_working_minutes(saturday, 0) == at("2025-03-10 08:30")
    assert CAL.add_working_days(saturday, 0) == at("2025-03-10 08:30")
    assert CAL.add_working_days(at("2025-03-04 09:15"), 0) == at("2025-03-04 09:15")


def test_large_amounts_and_the_end_of_the_known_years():
    start = at("2025-01-02 08:30")
    assert CAL.add_working_days(start, 400).year == 2026
    assert CAL.add_working_minutes(start, 400 * 450) == CAL.add_working_days(at("2025-01-02 17:30"), 399)
    with pytest.raises(CalendarMissing) as caught:
        CAL.add_working_days(start, 600)
    assert caught.value.details == {"year": 2027}


def test_a_year_without_data_is_an_error_never_a_guess():
    with pytest.raises(CalendarMissing) as caught:
        CAL.is_working_day(date(2027, 1, 4))
    assert caught.value.details["year"] == 2027
    assert "2027" in str(caught.value.message)
    for call in (
        lambda: CAL.add_working_days(at("2026-12-30 16:00"), 3),
        lambda: CAL.add_working_minutes(at("2026-12-31 17:00"), 60),
        lambda: CAL.next_working_moment(at("2026-12-31 18:00")),
        lambda: CAL.working_minutes_between(at("2026-12-31 09:00"), at("2027-01-04 09:00")),
        lambda: CAL.clock_start(at("2027-01-04 09:00")),
    ):
        with pytest.raises(CalendarMissing):
            call()
    assert CAL.add_working_days(at("2026-12-30 16:00"), 1) == at("2026-12-31 16:00")


def test_time_zones():
    utc_start = datetime(2025, 9, 30, 8, 0, tzinfo=UTC)  # 16:00 in Beijing
    result = CAL.add_working_days(utc_start, 3)
    assert result.isoformat() == "2025-10-11T16:00:00+08:00"
    naive = CAL.add_working_days(datetime(2025, 9, 30, 16, 0), 3)
    assert naive == result and naive.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(("received", "clock"), [
    ("2025-03-04 16:59", "2025-03-04 16:59"),
    ("2025-03-04 17:00", "2025-03-05 08:30"),  # from the cut-off time on: the next working day
    ("2025-03-04 17:40", "2025-03-05 08:30"),
    ("2025-03-04 07:00", "2025-03-04 08:30"),
    ("2025-03-04 12:30", "2025-03-04 13:30"),
    ("2025-03-08 10:00", "2025-03-10 08:30"),  # Saturday
    ("2025-09-30 17:10", "2025-10-09 08:30"),  # after the cut-off before National Day
    ("2025-10-11 17:05", "2025-10-13 08:30"),  # after the cut-off on the working Saturday
])
def test_the_cut_off_rule(received, clock):
    assert CAL.clock_start(at(received)) == at(clock)


def test_another_schedule_and_cut_off():
    single = official_calendar(periods=[["09:00", "17:00"]], cutoff="16:00")
    assert single.add_working_hours(at("2025-03-04 16:00"), 2) == at("2025-03-05 10:00")
    assert single.clock_start(at("2025-03-04 16:00")) == at("2025-03-05 09:00")
    assert single.add_working_hours(at("2025-03-04 16:00"), 1.5) == at("2025-03-05 09:30")


@pytest.mark.parametrize("periods", [
    [], [["12:00", "08:30"]], [["08:30", "12:00"], ["11:00", "17:00"]], [["13:30", "17:30"], ["08:30", "12:00"]],
    [["8h", "12:00"]], [["08:30"]],
])
def test_invalid_periods_are_refused(periods):
    with pytest.raises(ValueError):
        WorkCalendar(periods=periods, cutoff="17:00", known_years=[2025])


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_minutes(at("2025-03-04 09:00"), -1)
    with pytest.raises(ValueError):
        CAL.add_working_days(at("2025-03-04 09:00"), -1)
