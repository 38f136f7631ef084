"""Deadlines stored on tickets and assignments, across the National Day and Spring Festival holidays."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jiesu.core import clock as core_clock
from jiesu.tickets import services
from jiesu.tickets.queries import ticket_events
from jiesu.tickets.sweep import sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    class Clock:
        tokens: list = []

        def set(self, text: str) -> None:
            self.tokens.append(core_clock._moment.set(at(text)))

    c = Clock()
    yield c
    for token in reversed(c.tokens):
        core_clock._moment.reset(token)


def test_clocks_jump_over_national_day_2025(city, clock):
    clock.set("2025-09-30T16:00")
    t = services.accept(city.operator, city.ticket_data())
    assert t.dispatch_due_at == at("2025-09-30T16:30")
    clock.set("2025-09-30T16:10")
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    assignment = t.assignments.get()
    assert assignment.sign_due_at == at("2025-10-09T09:10")  # 80 minutes on Sep 30, 40 after the holiday
    clock.set("2025-10-09T09:00")
    services.sign(city.heating_handler, t)
    assignment.refresh_from_db()
    assert assignment.reply_due_at == at("2025-10-15T09:00")  # 5 working days; Sat Oct 11 is a working day
    assert assignment.reply_warn_at < assignment.reply_due_at


def test_spring_festival_2026_and_the_extension(city, clock):
    clock.set("2026-02-13T10:00")
    t = services.accept(city.operator, city.ticket_data(kind="help"))
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    assert t.assignments.get().reply_due_at == at("2026-02-25T10:00")  # Sat Feb 14 works; Feb 15–23 off
    services.request_extension(city.heating_handler, t, working_days=2, reason="节后集中维修")
    services.review_extension(city.dispatcher, t, decision="approve")
    assert t.assignments.get().reply_due_at == at("2026-02-27T10:00")


def test_after_the_cut_off_the_clock_starts_next_working_day(city, clock):
    clock.set("2026-02-13T17:10")
    t = services.accept(city.operator, city.ticket_data())
    assert t.clock_started_at == at("2026-02-14T08:30")
    assert t.dispatch_due_at == at("2026-02-14T09:00")


def test_urgent_tickets_count_natural_hours_for_handling(city, clock):
    clock.set("2026-02-13T16:00")
    t = services.accept(city.operator, city.ticket_data(urgency="urgent"))
    assert t.dispatch_due_at == at("2026-02-13T16:10")
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    assert t.assignments.get().reply_due_at == at("2026-02-14T16:00")


def test_adjudication_pause_moves_the_reply_deadline_by_its_working_length(city, clock):
    clock.set("2026-03-02T09:00")
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    due = t.assignments.get().reply_due_at
    services.request_return(city.heating_handler, t, reason="不属于本单位")
    services.review_return(city.dispatcher, t, decision="adjudicate")
    clock.set("2026-03-03T09:00")  # one working day of adjudication
    services.adjudicate(city.adjudicator, t, responsible_unit="heating", legal_basis="供热条例")
    a = t.assignments.get()
    assert a.status == "signed" and a.reply_due_at == at("2026-03-10T09:00") and due == at("2026-03-09T09:00")
    assert a.pauses.get().ended_at == at("2026-03-03T09:00")


def test_sweep_marks_once_and_keeps_marks_after_late_completion(city, clock):
    clock.set("2026-03-02T09:00")
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    clock.set("2026-03-02T10:40")  # 75 % of the 2-hour sign-for limit used
    first = sweep()
    assert first.warnings == 1 and first.overdue == 0
    assert sweep().warnings == 0
    clock.set("2026-03-02T13:45")
    assert sweep().overdue == 1 and sweep().overdue == 0
    services.sign(city.heating_handler, t)
    a = t.assignments.get()
    assert a.sign_overdue_at == at("2026-03-02T11:00") and a.signed_at == at("2026-03-02T13:45")
    actions = [e.action for e in ticket_events(t)]
    assert actions.count("deadline_warning") == 1 and actions.count("deadline_overdue") == 1


def test_sign_after_the_deadline_is_marked_even_without_a_sweep(city, clock):
    clock.set("2026-03-02T09:00")
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    clock.set("2026-03-03T09:00")
    services.sign(city.heating_handler, t)
    assert t.assignments.get().sign_overdue_at == at("2026-03-02T11:00")
