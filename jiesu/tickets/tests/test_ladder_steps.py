"""The ladder's ticket-level steps (提示, 预警, 督办), their overdue marks, and the marks figures read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jiesu.catalog.models import TimeLimit
from jiesu.core import clock
from jiesu.core.errors import PermissionDeniedError
from jiesu.core.events import events_of
from jiesu.tickets import queries, services
from jiesu.tickets.models import Assignment, SupervisionOrder
from jiesu.tickets.states import State
from jiesu.tickets.sweep import sweep
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("action", "level"), [("prompt", "prompt"), ("warn", "warning"), ("supervise", "order")])
def test_each_step_is_a_supervision_record_with_one_event(city, action, level):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    before = events_of("ticket", ticket.pk).count()
    services.perform(city.supervisor, ticket.number, action, {"text": "请尽快联系诉求人", "working_days": 2})
    order = SupervisionOrder.objects.get(ticket=ticket)
    assert (order.level, order.unit, order.text) == (level, city.heating, "请尽快联系诉求人")
    assert order.due_at > clock.now()
    last = events_of("ticket", ticket.pk).last()
    assert events_of("ticket", ticket.pk).count() == before + 1
    assert (last.action, last.data["level"], last.actor_role) == (action, level, "supervisor")


def test_only_a_supervisor_issues_steps(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    with pytest.raises(PermissionDeniedError):
        services.prompt(city.heating_handler, ticket.number, text="提示")
    assert not SupervisionOrder.objects.exists()


def test_the_supervised_queue_holds_orders_not_prompts(city):
    prompted = ticket_in_state(city, State.IN_PROGRESS)
    ordered = ticket_in_state(city, State.IN_PROGRESS)
    services.prompt(city.supervisor, prompted.number, text="提示")
    services.supervise(city.supervisor, ordered.number, text="督办", working_days=1)
    assert list(queries.queue(city.supervisor, "supervised")) == [ordered]


def test_the_sweep_marks_a_late_step_once_with_an_event(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    services.warn(city.supervisor, ticket.number, text="已超期，请说明", working_days=1)
    order = SupervisionOrder.objects.get()
    later = order.due_at + timedelta(minutes=5)
    assert sweep(later).orders_overdue == 1
    assert sweep(later + timedelta(hours=1)).orders_overdue == 0
    order.refresh_from_db()
    assert order.overdue_at == later
    marks = [e for e in events_of("ticket", ticket.pk) if e.action == "supervision_overdue"]
    assert len(marks) == 1 and marks[0].data["order"] == order.pk and marks[0].data["level"] == "warning"


def test_a_late_dispatch_is_marked_even_before_the_sweep(city):
    ticket = services.accept(city.operator, city.ticket_data())
    with clock.at(ticket.dispatch_due_at + timedelta(minutes=10)):
        ticket = services.dispatch(city.dispatcher, ticket.number, lead_unit="heating")
    assert ticket.dispatch_overdue_at == ticket.dispatch_due_at


def test_an_assignment_carries_its_response_deadline(city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    assignment = Assignment.objects.get(ticket=ticket)
    assert assignment.contact_due_at is not None and assignment.contact_due_at > assignment.sign_due_at


def test_without_a_response_limit_there_is_no_response_deadline(city):
    TimeLimit.objects.filter(clock="response").update(is_current=False)
    ticket = ticket_in_state(city, State.ASSIGNED)
    assert Assignment.objects.get(ticket=ticket).contact_due_at is None


def test_marks_name_each_step_by_its_level(city):
    from jiesu.tickets.marks import marks_for

    ticket = ticket_in_state(city, State.IN_PROGRESS)
    services.prompt(city.supervisor, ticket.number, text="提示")
    services.warn(city.supervisor, ticket.number, text="预警")
    services.supervise(city.supervisor, ticket.number, text="督办", working_days=3)
    kinds = [m.kind for m in marks_for([ticket])[ticket.pk]]
    assert kinds[:3] == ["supervise", "warn", "prompt"]
