"""The admin pages: the missing-year warning, and edits that go through the audited services."""

from datetime import date

import pytest
from django.urls import reverse

from jiesu.core.events import events_of
from jiesu.org.models import User
from jiesu.worktime.models import CalendarDay, CalendarYear, WorkSchedule

pytestmark = pytest.mark.django_db
TODAY = "jiesu.worktime.templatetags.worktime_admin.today"


@pytest.fixture
def admin_client(client):
    user = User.objects.create(username="root", is_staff=True, is_superuser=True)  # no password hashing: fast
    client.force_login(user)
    client.user = user
    return client


def test_the_admin_index_warns_about_next_year_from_november(admin_client, monkeypatch):
    monkeypatch.setattr(TODAY, lambda: date(2026, 11, 23))
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "尚未录入 2027 年的工作日历" in page
    assert reverse("admin:worktime_calendaryear_changelist") in page
    monkeypatch.setattr(TODAY, lambda: date(2026, 6, 1))
    assert "工作日历。" not in admin_client.get(reverse("admin:index")).content.decode()


def test_the_admin_index_shows_an_error_when_this_year_is_missing(admin_client, monkeypatch):
    monkeypatch.setattr(TODAY, lambda: date(2027, 1, 5))
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "缺少今年（2027 年）的工作日历" in page and 'class="error"' in page


def test_adding_and_deleting_a_day_is_audited(admin_client):
    url = reverse("admin:worktime_calendarday_add")
    response = admin_client.post(url, {"date": "2025-10-10", "kind": "off", "name": "测试", "reason": "通知"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2025, 10, 10))
    (created,) = events_of("calendar_day", "2025-10-10")
    assert created.actor == admin_client.user and created.reason == "通知"
    response = admin_client.post(reverse("admin:worktime_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=date(2025, 10, 10)).exists()
    assert [event.action for event in events_of("calendar_day", "2025-10-10")] == ["created", "removed"]


def test_a_day_that_is_no_exception_is_refused_in_the_form(admin_client):
    response = admin_client.post(reverse("admin:worktime_calendarday_add"),
                                 {"date": "2025-10-12", "kind": "off", "name": ""})
    assert response.status_code == 200
    assert "本来就是休息日" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2025, 10, 12)).exists()


def test_a_new_year_with_its_days_is_entered_through_the_services(admin_client):
    data = {
        "year": "2027", "is_complete": "on", "note": "国办发明电", "reason": "按通知录入",
        "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01", "days-0-kind": "off", "days-0-name": "元旦",
        "days-1-date": "2027-02-06", "days-1-kind": "working", "days-1-name": "春节",
    }
    response = admin_client.post(reverse("admin:worktime_calendaryear_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.is_complete and year.source == "manual"
    assert sorted(year.days.values_list("kind", flat=True)) == ["off", "working"]
    assert [event.action for event in events_of("calendar_year", 2027)] == ["created"]
    assert events_of("calendar_day", "2027-02-06").get().reason == "按通知录入"


def test_an_inline_day_outside_the_year_is_refused(admin_client):
    row = CalendarYear.objects.get(year=2026)
    days = list(row.days.all())
    data = {"is_complete": "on", "note": "", "reason": "",
            "days-TOTAL_FORMS": str(len(days) + 1), "days-INITIAL_FORMS": str(len(days)),
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000"}
    for index, day in enumerate(days):
        data |= {f"days-{index}-id": str(day.pk), f"days-{index}-year": str(row.pk),
                 f"days-{index}-date": day.date.isoformat(), f"days-{index}-kind": day.kind,
                 f"days-{index}-name": day.name}
    data |= {f"days-{len(days)}-date": "2025-10-10", f"days-{len(days)}-kind": "off"}
    response = admin_client.post(reverse("admin:worktime_calendaryear_change", args=[row.pk]), data)
    assert response.status_code == 200
    assert "日期不在所选年度内" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2025, 10, 10)).exists()


def test_a_day_outside_a_year_being_added_is_refused(admin_client):
    data = {"year": "2027", "note": "", "reason": "", "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2028-01-03", "days-0-kind": "off", "days-0-name": ""}
    response = admin_client.post(reverse("admin:worktime_calendaryear_add"), data)
    assert response.status_code == 200 and "日期不在所选年度内" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_schedule_is_changed_through_the_services(admin_client):
    row = WorkSchedule.objects.get()
    response = admin_client.post(reverse("admin:worktime_workschedule_change", args=[row.pk]), {
        "periods": '[["09:00", "12:00"], ["13:00", "17:00"]]', "cutoff": "16:30", "valid_from": "2026-12-01",
        "reason": "冬季作息",
    })
    assert response.status_code == 302
    (event,) = events_of("work_schedule", row.pk)
    assert event.after["periods"] == [["09:00", "12:00"], ["13:00", "17:00"]] and event.reason == "冬季作息"
    response = admin_client.post(reverse("admin:worktime_workschedule_change", args=[row.pk]), {
        "periods": '[["12:00", "09:00"]]', "cutoff": "16:30", "valid_from": "2026-12-01",
    })
    assert response.status_code == 200 and "开始时间应早于结束时间" in response.content.decode()


def test_the_lists_open_with_their_filters(admin_client):
    year = CalendarYear.objects.get(year=2026)
    days = admin_client.get(reverse("admin:worktime_calendarday_changelist"),
                            {"kind__exact": "working", "year__id__exact": str(year.pk)})
    assert days.status_code == 200
    shown = {day.date.isoformat() for day in days.context["cl"].result_list}
    assert shown == {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}
    assert admin_client.get(reverse("admin:worktime_calendaryear_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:worktime_workschedule_changelist")).status_code == 200


def test_changing_the_date_of_a_day_is_a_removal_and_a_new_day(admin_client):
    day = CalendarDay.objects.get(date=date(2025, 10, 8))
    response = admin_client.post(reverse("admin:worktime_calendarday_change", args=[day.pk]),
                                 {"date": "2025-10-10", "kind": "off", "name": "国庆节", "reason": "更正"})
    assert response.status_code == 302
    assert [e.action for e in events_of("calendar_day", "2025-10-08")] == ["removed"]
    assert [e.action for e in events_of("calendar_day", "2025-10-10")] == ["created"]


def test_bulk_deletion_and_re_seeding_from_the_list(admin_client):
    days = CalendarDay.objects.filter(date__range=(date(2025, 10, 1), date(2025, 10, 3)))
    response = admin_client.post(reverse("admin:worktime_calendarday_changelist"), {
        "action": "delete_selected", "post": "yes", "_selected_action": [str(day.pk) for day in days]})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date__range=(date(2025, 10, 1), date(2025, 10, 3))).exists()
    assert events_of("calendar_day", "2025-10-02").get().action == "removed"
    year = CalendarYear.objects.get(year=2025)
    response = admin_client.post(reverse("admin:worktime_calendaryear_changelist"), {
        "action": "seed_official", "_selected_action": [str(year.pk)]})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__range=(date(2025, 10, 1), date(2025, 10, 3))).count() == 3
    assert events_of("calendar_year", 2025).get().data["added"] == ["2025-10-01", "2025-10-02", "2025-10-03"]
