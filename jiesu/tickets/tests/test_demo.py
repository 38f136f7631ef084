"""The demo city's tickets: every state of the loop, real events and deadlines, loaded once."""

from __future__ import annotations

import io

import pytest

from jiesu.demo.runner import run_demo
from jiesu.tickets.models import Ticket
from jiesu.tickets.queries import ticket_events
from jiesu.tickets.snapshot import replay, snapshot
from jiesu.tickets.states import State

pytestmark = pytest.mark.django_db


def test_demo_tickets_cover_every_state_and_replay():
    run_demo(io.StringIO())
    assert set(Ticket.objects.values_list("status", flat=True)) == set(State.values)
    for ticket in Ticket.objects.all():
        assert replay(list(ticket_events(ticket))) == snapshot(ticket), ticket.number
    assert Ticket.objects.filter(reopen_count=1).exists()
    assert Ticket.objects.filter(assignments__sign_overdue_at__isnull=False).exists()
    count = Ticket.objects.count()
    run_demo(io.StringIO())
    assert Ticket.objects.count() == count
