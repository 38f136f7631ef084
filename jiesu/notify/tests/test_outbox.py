"""The outbox is written with the event that causes it, one row per recipient and event, masked."""

from __future__ import annotations

import pytest
from django.db import transaction

from jiesu.notify.models import OutboxMessage, Status
from jiesu.tickets import services
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db


def templates_of(ticket):  # type: ignore[no-untyped-def]
    return list(OutboxMessage.objects.filter(ticket_id=ticket.pk).order_by("id").values_list("template", flat=True))


def test_accepting_a_ticket_writes_the_accepted_message_with_number_and_query_code(city, gateway):
    ticket = services.accept(city.operator, city.ticket_data())
    message = OutboxMessage.objects.get(ticket_id=ticket.pk)
    assert (message.template, message.channel, message.status) == ("accepted", "sms", Status.PENDING)
    assert message.recipient == "13812345678" and message.recipient_masked == "138****5678"
    assert ticket.number in message.body and ticket.query_code in message.body
    assert ticket.query_code not in message.preview and "****" in message.preview
    assert message.event is not None and message.event.action == "accept"


def test_a_rolled_back_change_leaves_no_message(city, gateway):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.accept(city.operator, city.ticket_data())
        raise RuntimeError("the caller's transaction fails after the event")
    assert not OutboxMessage.objects.exists()


def test_each_step_of_the_loop_sends_its_message_to_requester_and_unit(city, gateway, contact):
    ticket = ticket_in_state(city, State.VISITING)
    assert templates_of(ticket) == ["accepted", "dispatched", "new_assignment", "new_assignment", "replied"]
    new = OutboxMessage.objects.filter(ticket_id=ticket.pk, template="new_assignment")
    assert {m.channel for m in new} == {"sms", "email"} and all(m.unit == city.heating for m in new)
    dispatched = OutboxMessage.objects.get(ticket_id=ticket.pk, template="dispatched")
    assert "供热公司" in dispatched.body


def test_a_reply_excerpt_and_a_title_are_masked(city, gateway, contact):
    ticket = services.accept(city.operator, city.ticket_data(title="13912345678 家暖气不热"))
    ticket = services.dispatch(city.dispatcher, ticket, lead_unit="heating")
    unit_sms = OutboxMessage.objects.get(ticket_id=ticket.pk, template="new_assignment", channel="sms")
    assert "13912345678" not in unit_sms.body and "139****5678" in unit_sms.body
    ticket = services.sign(city.heating_handler, ticket)
    ticket = services.reply(city.heating_handler, ticket, result="已联系业主 13912345678，管道已修复。")
    services.review_reply(city.supervisor, ticket, decision="approve")
    replied = OutboxMessage.objects.get(ticket_id=ticket.pk, template="replied")
    assert "管道已修复" in replied.body and "13912345678" not in replied.body


def test_a_sent_back_reply_tells_the_requester_nothing(city, gateway):
    ticket = ticket_in_state(city, State.REPLIED)
    services.review_reply(city.supervisor, ticket, decision="send_back", opinion="没有答复到点子上")
    assert "replied" not in templates_of(ticket)


def test_unreachable_follow_up_calls_invite_to_rate_once(city, gateway):
    ticket = ticket_in_state(city, State.VISITING)
    for _ in range(3):
        ticket = services.visit(city.visitor, ticket, outcome="unreachable")
    assert templates_of(ticket).count("follow_up_invitation") == 1


def test_a_landline_gets_no_sms_and_a_unit_without_contacts_gets_nothing(city, gateway):
    ticket = services.accept(city.operator, city.ticket_data(requester_phone="0434-3281234"))
    services.dispatch(city.dispatcher, ticket, lead_unit="urban")
    assert templates_of(ticket) == []


def test_rejection_tells_the_route(city, gateway):
    ticket = services.accept(city.operator, city.ticket_data())
    services.reject(city.operator, ticket, reason="court", route="请向人民法院提起诉讼")
    rejected = OutboxMessage.objects.get(ticket_id=ticket.pk, template="rejected")
    assert "请向人民法院提起诉讼" in rejected.body


def test_urging_and_supervision_reach_the_lead_units_contacts(city, gateway, contact):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    services.urge(city.supervisor, ticket, message="请尽快处理")
    services.supervise(city.supervisor, ticket, text="三日内修复并答复", working_days=3)
    urged = OutboxMessage.objects.get(ticket_id=ticket.pk, template="urged", channel="sms")
    supervision = OutboxMessage.objects.get(ticket_id=ticket.pk, template="supervision", channel="email")
    assert "请尽快处理" in urged.body and "三日内修复并答复" in supervision.body
    assert supervision.recipient_masked == "d***@heating.example"


def test_a_broken_subscriber_rule_never_stops_the_action(city, gateway, monkeypatch):
    def broken(event, ticket):  # type: ignore[no-untyped-def]
        raise ValueError("a bug in a rule")

    monkeypatch.setitem(__import__("jiesu.notify.subscriber", fromlist=["RULES"]).RULES, "accept", [broken])
    ticket = services.accept(city.operator, city.ticket_data())
    assert ticket.pk and not OutboxMessage.objects.exists()
