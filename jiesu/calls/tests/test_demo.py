"""The calls demo step: a month of demo calls on 12345 and two sub-lines, a call behind every demo phone ticket,
loaded again without adding anything."""

from __future__ import annotations

import io

import pytest

from jiesu.calls.models import Call
from jiesu.demo.runner import run_demo
from jiesu.tickets.models import Ticket

STEPS = ["jiesu.org.demo", "jiesu.catalog.demo", "jiesu.tickets.demo", "jiesu.calls.demo"]


@pytest.mark.django_db
def test_the_demo_month_of_calls(settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    run_demo(io.StringIO(), steps=STEPS)
    calls = Call.objects.filter(source="demo")
    assert calls.count() > 3000
    assert set(calls.values_list("line__code", flat=True)) == {"phone", "12315", "12369"}
    days = {c.date() for c in calls.values_list("offered_at", flat=True)}
    assert len(days) >= 28
    answered = calls.filter(answered_at__isnull=False).count()
    assert 0.97 < answered / calls.count() < 1
    phone_tickets = Ticket.objects.filter(channel__code="phone").exclude(requester_phone="")
    assert phone_tickets.exists()
    assert set(calls.filter(ticket__isnull=False).values_list("ticket_id", flat=True)) == set(
        phone_tickets.values_list("pk", flat=True))
    for call in calls.filter(ticket__isnull=False).select_related("ticket"):
        assert call.caller == call.ticket.requester_phone and call.answered_at <= call.ticket.created_at
    before = sorted(calls.values_list("call_id", "offered_at", "wait_ms"))
    out = io.StringIO()
    run_demo(out, steps=STEPS)
    assert sorted(calls.values_list("call_id", "offered_at", "wait_ms")) == before
    assert "新导入 0 条" in out.getvalue()
