"""Delivery: a crash between the event and the delivery loses nothing and sends nothing twice; a failing gateway
is retried with back-off until it recovers; citizens get no SMS in quiet hours (except one-time codes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jiesu.core import clock
from jiesu.notify import delivery, services
from jiesu.notify.models import DeliveryAttempt, OutboxMessage, Status
from jiesu.notify.tests.conftest import RecordingGateway
from jiesu.tickets import services as tickets
from jiesu.tickets.tests.conftest import FIXED_NOW

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def accepted(city):  # type: ignore[no-untyped-def]
    ticket = tickets.accept(city.operator, city.ticket_data())
    return ticket, OutboxMessage.objects.get(ticket_id=ticket.pk)


def test_after_commit_the_message_is_delivered_once(city, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket, message = accepted(city)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1 and message.provider_id == "p1"
    assert [s.to for s in gateway.sent] == ["13812345678"] and ticket.query_code in gateway.sent[0].text
    assert delivery.deliver(message.pk) == delivery.SKIPPED
    assert delivery.deliver_due().sent == 0 and len(gateway.sent) == 1


def test_a_crash_between_the_event_and_the_delivery_loses_nothing_and_sends_once(
        city, gateway, django_capture_on_commit_callbacks):
    # The process dies right after the commit: the scheduling callback never runs.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _, message = accepted(city)
    assert callbacks and OutboxMessage.objects.get(pk=message.pk).status == Status.PENDING
    first = delivery.deliver_due()  # the safety net after restart (jiesu outbox deliver / the worker)
    again = delivery.deliver_due()
    for callback in callbacks:  # a late duplicate of the lost scheduling finds nothing to do
        callback()
    assert (first.sent, again.sent, len(gateway.sent)) == (1, 0, 1)


def test_a_worker_killed_while_sending_leaves_the_message_to_be_recovered(city, gateway):
    _, message = accepted(city)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=clock.now(), attempts=1)
    assert delivery.deliver_due().sent == 0  # still within the lease: maybe still being sent
    with clock.at(FIXED_NOW + timedelta(minutes=11)):
        result = delivery.deliver_due()
    assert (result.reclaimed, result.sent, len(gateway.sent)) == (1, 1, 1)


def test_two_workers_cannot_both_send(city, gateway):
    _, message = accepted(city)
    outcomes = [delivery.deliver(message.pk), delivery.deliver(message.pk)]
    assert outcomes == [delivery.SENT, delivery.SKIPPED] and len(gateway.sent) == 1


def test_a_failing_gateway_is_retried_with_back_off_until_it_recovers(city, gateway):
    gateway.failures = 2
    _, message = accepted(city)
    assert delivery.deliver(message.pk) == delivery.RETRY
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.next_attempt_at == FIXED_NOW + timedelta(seconds=60)
    assert delivery.deliver_due().sent == 0  # not yet due
    with clock.at(FIXED_NOW + timedelta(seconds=61)):
        assert delivery.deliver_due().retry == 1
    message.refresh_from_db()
    assert message.next_attempt_at == FIXED_NOW + timedelta(seconds=61 + 120)  # doubled
    with clock.at(FIXED_NOW + timedelta(seconds=182)):
        assert delivery.deliver_due().sent == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 3 and len(gateway.sent) == 1
    assert [a.ok for a in DeliveryAttempt.objects.filter(message=message)] == [False, False, True]


def test_after_the_last_attempt_the_message_fails_and_can_be_retried(city, gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    gateway.failures = 2
    _, message = accepted(city)
    delivery.deliver(message.pk)
    with clock.at(FIXED_NOW + timedelta(minutes=2)):
        assert delivery.deliver_due().failed == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED and "网关超时" in message.last_error
    assert services.retry(None, [message.pk]) == 1
    with clock.at(FIXED_NOW + timedelta(minutes=3)):
        assert delivery.deliver_due().sent == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENT


def test_a_permanent_error_fails_at_once(city, monkeypatch, settings):
    settings.NOTIFY_DELIVERY = "task"
    refusing = RecordingGateway(failures=5, permanent=True)
    monkeypatch.setattr("jiesu.notify.delivery.sms_gateway", lambda: refusing)
    _, message = accepted(city)
    assert delivery.deliver(message.pk) == delivery.FAILED and refusing.calls == 1


LATE = datetime(2026, 3, 2, 23, 10, tzinfo=SH)


def test_no_sms_to_citizens_in_quiet_hours(city, gateway):
    with clock.at(LATE):
        _, message = accepted(city)
        assert message.next_attempt_at == datetime(2026, 3, 3, 8, 0, tzinfo=SH)
        assert delivery.deliver(message.pk) == delivery.SKIPPED and delivery.deliver_due().sent == 0
    with clock.at(datetime(2026, 3, 3, 7, 59, tzinfo=SH)):
        assert delivery.deliver_due().sent == 0
    with clock.at(datetime(2026, 3, 3, 8, 0, tzinfo=SH)):
        assert delivery.deliver_due().sent == 1
    assert len(gateway.sent) == 1


def test_a_retry_that_falls_into_quiet_hours_waits_for_the_morning(city, gateway):
    gateway.failures = 1
    with clock.at(datetime(2026, 3, 2, 21, 59, 30, tzinfo=SH)):
        _, message = accepted(city)
        delivery.deliver(message.pk)
    with clock.at(datetime(2026, 3, 2, 22, 0, 31, tzinfo=SH)):
        assert delivery.deliver_due().deferred == 1
    assert OutboxMessage.objects.get(pk=message.pk).next_attempt_at == datetime(2026, 3, 3, 8, 0, tzinfo=SH)


def test_one_time_codes_and_units_contacts_are_not_held_back(city, gateway, contact):
    with clock.at(LATE):
        code = services.send_one_time_code("13800000000", "482913", reference="r1", minutes=10)
        ticket = tickets.accept(city.operator, city.ticket_data())
        tickets.dispatch(city.dispatcher, ticket, lead_unit="heating")
        unit_sms = OutboxMessage.objects.get(ticket_id=ticket.pk, template="new_assignment", channel="sms")
        assert delivery.deliver(code.pk) == delivery.SENT
        assert delivery.deliver(unit_sms.pk) == delivery.SENT
    code.refresh_from_db()
    assert "482913" in gateway.sent[0].text and "482913" not in code.body  # the code is wiped once sent


def test_an_expired_code_is_not_sent(city, gateway):
    code = services.send_one_time_code("13800000000", "482913", reference="r2", minutes=10)
    with clock.at(FIXED_NOW + timedelta(minutes=11)):
        delivery.deliver_due()
    code.refresh_from_db()
    assert code.status == Status.CANCELLED and not gateway.sent and "482913" not in code.body


def test_opting_out_stops_this_tickets_messages(city, gateway):
    ticket, message = accepted(city)
    services.opt_out(ticket)
    tickets.dispatch(city.dispatcher, ticket, lead_unit="heating")
    delivery.deliver_due()
    rows = OutboxMessage.objects.filter(ticket_id=ticket.pk).order_by("id")
    assert [(m.template, m.status) for m in rows] == [("accepted", Status.CANCELLED), ("dispatched", Status.CANCELLED)]
    assert not gateway.sent and rows[1].cancel_reason == services.OPTED_OUT
    other = tickets.accept(city.operator, city.ticket_data())  # another ticket of the same person still gets news
    assert OutboxMessage.objects.get(ticket_id=other.pk).status == Status.PENDING
