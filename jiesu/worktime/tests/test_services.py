"""Every change to the calendar writes exactly one event; bad input changes nothing."""

from datetime import date, time

import pytest

from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.events import events_of
from jiesu.core.models import Event
from jiesu.org.models import User
from jiesu.worktime import services
from jiesu.worktime.models import CalendarDay, CalendarYear, WorkSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return User.objects.create(username="calendar-admin")


def test_set_day_records_creation_change_and_nothing_for_no_change(admin_user):
    day = services.set_day(admin_user, date(2025, 10, 10), "off", "国庆节", reason="市政府通知")
    assert day.year.year == 2025 and day.kind == "off"
    services.set_day(admin_user, date(2025, 10, 10), "off", "国庆节")
    services.set_day(admin_user, date(2025, 10, 10), "off", "国庆节（补）")
    events = list(events_of("calendar_day", "2025-10-10"))
    assert [event.action for event in events] == ["created", "changed"]
    assert events[0].actor == admin_user and events[0].reason == "市政府通知"
    assert events[0].after == {"kind": "off", "name": "国庆节"}
    assert events[1].before == {"kind": "off", "name": "国庆节"}
    assert events[1].after == {"kind": "off", "name": "国庆节（补）"}


def test_a_day_in_a_new_year_creates_an_incomplete_manual_year(admin_user):
    services.set_day(admin_user, date(2027, 2, 6), "working", "春节")
    year = CalendarYear.objects.get(year=2027)
    assert year.source == "manual" and not year.is_complete


@pytest.mark.parametrize(("on", "kind"), [
    (date(2025, 10, 11), "off"),  # a Saturday is off anyway
    (date(2025, 10, 9), "working"),  # a Thursday is a working day anyway
    (date(2025, 10, 9), "holiday"),
])
def test_set_day_refuses_days_that_are_no_exception(admin_user, on, kind):
    before = list(CalendarDay.objects.values_list("date", "kind"))
    with pytest.raises(ValidationFailed) as caught:
        services.set_day(admin_user, on, kind)
    assert caught.value.message
    assert list(CalendarDay.objects.values_list("date", "kind")) == before
    assert not Event.objects.exists()


def test_remove_day_is_audited(admin_user):
    services.remove_day(admin_user, date(2025, 10, 8), reason="误录")
    assert not CalendarDay.objects.filter(date=date(2025, 10, 8)).exists()
    (event,) = events_of("calendar_day", "2025-10-08")
    assert event.action == "removed" and event.before == {"kind": "off", "name": "国庆节"} and event.reason == "误录"
    with pytest.raises(NotFound):
        services.remove_day(admin_user, date(2025, 10, 8))


def test_set_year_is_audited(admin_user):
    services.set_year(admin_user, 2027, source="manual", note="国办发明电〔2026〕X号", is_complete=False)
    services.set_year(admin_user, 2027, is_complete=True, reason="已核对")
    services.set_year(admin_user, 2027, is_complete=True)
    events = list(events_of("calendar_year", 2027))
    assert [event.action for event in events] == ["created", "changed"]
    assert events[1].before["is_complete"] is False and events[1].after["is_complete"] is True


def test_set_schedule_is_audited_and_checked(admin_user):
    row = services.set_schedule(admin_user, periods=[["08:00", "12:00"], ["14:00", "18:00"]], cutoff="17:30",
                                valid_from=date(2026, 12, 1), reason="夏令作息")
    assert WorkSchedule.objects.count() == 1
    assert row.periods == [["08:00", "12:00"], ["14:00", "18:00"]] and row.cutoff == time(17, 30)
    (event,) = events_of("work_schedule", row.pk)
    assert event.before["periods"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert event.after == {"periods": row.periods, "cutoff": "17:30", "valid_from": "2026-12-01"}
    with pytest.raises(ValidationFailed):
        services.set_schedule(admin_user, periods=[["12:00", "08:00"]], cutoff="17:00", valid_from=date(2026, 12, 1))
    with pytest.raises(ValidationFailed):
        services.set_schedule(admin_user, periods=[["08:00", "12:00"]], cutoff="5pm", valid_from=date(2026, 12, 1))
    assert WorkSchedule.objects.get().periods == row.periods
    assert events_of("work_schedule", row.pk).count() == 1


def test_seed_year_restores_the_official_schedule_once(admin_user):
    services.remove_day(admin_user, date(2025, 10, 8))
    services.set_day(admin_user, date(2025, 10, 9), "off", "本地假日")
    services.set_day(admin_user, date(2025, 10, 1), "off", "改名")
    result = services.seed_year(admin_user, 2025, reason="恢复官方安排")
    assert (result.added, result.changed, result.removed) == (["2025-10-08"], ["2025-10-01"], ["2025-10-09"])
    (event,) = [e for e in events_of("calendar_year", 2025) if e.action == "seeded"]
    assert event.data == {"added": ["2025-10-08"], "changed": ["2025-10-01"], "removed": ["2025-10-09"]}
    again = services.seed_year(admin_user, 2025)
    assert again.changes == 0
    assert events_of("calendar_year", 2025).count() == 1


def test_seed_year_refuses_a_year_the_official_data_lacks(admin_user):
    with pytest.raises(ValidationFailed) as caught:
        services.seed_year(admin_user, 2027)
    assert "2027" in str(caught.value.message)
    assert not CalendarYear.objects.filter(year=2027).exists()
