"""The seeded calendar in the database, `get_calendar()` and its cache, and the missing-year warning."""

from datetime import date, time

import pytest
from django.db import transaction

from jiesu.core.errors import CalendarMissing
from jiesu.worktime import services
from jiesu.worktime.calendar import get_calendar
from jiesu.worktime.checks import calendar_years_check
from jiesu.worktime.models import CalendarDay, CalendarYear, WorkSchedule
from jiesu.worktime.official import official_exceptions, official_years
from jiesu.worktime.queries import missing_years_warning
from jiesu.worktime.tests.factories import at

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_every_official_year_with_only_the_exceptions():
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    assert years == list(official_years())
    assert years[0] <= 2025 and 2026 in years and 2027 not in years
    assert all(row.is_complete and row.source.startswith("chinese-calendar") for row in CalendarYear.objects.all())
    stored = list(CalendarDay.objects.filter(year__year=2025).values_list("date", "kind", "name"))
    assert stored == official_exceptions(2025)
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).kind == CalendarDay.Kind.WORKING
    assert not CalendarDay.objects.filter(date=date(2025, 10, 4)).exists()  # a Saturday holiday needs no row
    schedule = WorkSchedule.objects.get()
    assert schedule.periods == [["08:30", "12:00"], ["13:30", "17:30"]] and schedule.cutoff == time(17, 0)


def test_get_calendar_reads_the_database():
    calendar = get_calendar()
    assert calendar.add_working_days(at("2025-09-30 16:00"), 3) == at("2025-10-11 16:00")
    with pytest.raises(CalendarMissing):
        calendar.is_working_day(date(2027, 1, 4))


def test_get_calendar_sees_every_change():
    before = get_calendar()
    assert get_calendar() is before  # cached while nothing changes
    services.set_day(None, date(2025, 10, 9), "off", "测试")
    assert get_calendar().add_working_days(at("2025-09-30 16:00"), 3) == at("2025-10-13 16:00")
    services.remove_day(None, date(2025, 10, 9))
    assert get_calendar().add_working_days(at("2025-09-30 16:00"), 3) == at("2025-10-11 16:00")
    services.set_schedule(None, periods=[["09:00", "17:00"]], cutoff="16:00", valid_from=date(2026, 1, 1))
    assert get_calendar().add_working_hours(at("2025-03-04 16:00"), 2) == at("2025-03-05 10:00")


def test_get_calendar_forgets_a_rolled_back_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_day(None, date(2025, 10, 9), "off", "测试")
        assert not get_calendar().is_working_day(date(2025, 10, 9))
        raise RuntimeError("roll back")
    assert get_calendar().is_working_day(date(2025, 10, 9))


def test_an_incomplete_year_is_still_missing():
    services.set_year(None, 2027, source="manual", is_complete=False)
    services.set_day(None, date(2027, 1, 1), "off", "元旦")
    with pytest.raises(CalendarMissing):
        get_calendar().is_working_day(date(2027, 1, 4))
    services.set_year(None, 2027, is_complete=True)
    assert not get_calendar().is_working_day(date(2027, 1, 1))
    assert get_calendar().is_working_day(date(2027, 1, 4))


def test_missing_years_warning():
    warning = missing_years_warning(date(2026, 11, 23))
    assert warning and "2027" in warning
    assert missing_years_warning(date(2026, 10, 31)) is None
    error = missing_years_warning(date(2027, 3, 1))
    assert error and "今年" in error and "2027" in error
    services.set_year(None, 2027, source="manual", is_complete=True)
    assert missing_years_warning(date(2026, 11, 23)) is None


def test_the_system_check_warns_only_when_asked_about_the_database(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2026, 11, 23))
    assert calendar_years_check(databases=None) == []
    messages = calendar_years_check(databases=["default"])
    assert [message.id for message in messages] == ["worktime.W001"]
    assert "2027" in messages[0].msg
