"""`jiesu outbox` and the ticket page's notifications; the deadline sweep's warnings reach the unit."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jiesu.core import clock
from jiesu.notify import delivery
from jiesu.notify.models import OutboxMessage, Status
from jiesu.tickets import services as tickets
from jiesu.tickets.states import State
from jiesu.tickets.sweep import sweep
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def test_outbox_command_lists_shows_failures_retries_and_delivers(city, gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    gateway.failures = 1
    ticket = tickets.accept(city.operator, city.ticket_data())
    message = OutboxMessage.objects.get(ticket_id=ticket.pk)
    assert "待发送 1" in run("list") and "138****5678" in run("list", "--ticket", ticket.number)
    assert "13812345678" not in run("list") and ticket.query_code not in run("list")
    run("deliver")
    assert "网关超时" in run("failures") and "发送失败 1 条" in run("failures")
    assert "已重新排队 1 条" in run("retry", str(message.pk))
    assert "sent 1" in run("deliver")
    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENT


def test_the_ticket_page_shows_delivery_status_masked(city, gateway):
    ticket = tickets.accept(city.operator, city.ticket_data())
    delivery.deliver_due()
    client = Client()
    client.force_login(city.dispatcher)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert 'id="notifications"' in page and "已发送" in page and "138****5678" in page
    section = page.split('id="notifications"')[1]
    assert ticket.query_code not in section


def test_a_unit_does_not_see_a_whistleblowers_number_in_the_notifications(city, gateway):
    ticket = ticket_in_state(city, State.ASSIGNED)
    ticket.is_whistleblower = True
    ticket.save(update_fields=["is_whistleblower"])
    client = Client()
    client.force_login(city.heating_handler)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    section = page.split('id="notifications"')[1]
    assert "138****5678" not in section and "诉求人" in section


def test_a_deadline_warning_of_the_sweep_reaches_the_units_contacts(city, gateway, contact):
    ticket = ticket_in_state(city, State.ASSIGNED)
    assignment = ticket.assignments.get()
    with clock.at(assignment.sign_warn_at + timedelta(minutes=1)):
        sweep()
    with clock.at(assignment.sign_due_at + timedelta(minutes=1)):
        sweep()
    sms = OutboxMessage.objects.filter(ticket_id=ticket.pk, unit=city.heating, channel="sms").order_by("id")
    assert [m.template for m in sms] == ["new_assignment", "deadline_warning", "deadline_overdue"]
    assert "签收" in sms[1].body
