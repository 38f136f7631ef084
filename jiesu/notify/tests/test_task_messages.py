"""A proactive task's reply reaches every citizen: each member's requester gets the reply message of their own
ticket when the task's reply is approved; the task, with no requester, sends none."""

from __future__ import annotations

import pytest

from jiesu.notify.models import OutboxMessage
from jiesu.tickets import services
from jiesu.tickets.services.proactive import create_task

pytestmark = pytest.mark.django_db


def test_each_members_requester_gets_the_answer(city):
    members = [services.accept(city.operator, city.ticket_data(requester_phone=f"1391234567{k}")) for k in range(2)]
    task = create_task(city.dispatcher, {"title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating",
                                         "due_on": "2026-03-13", "members": [m.number for m in members]})
    task = services.sign(city.heating_handler, task)
    task = services.reply(city.heating_handler, task, result="更换了循环泵，室温已恢复")
    services.review_reply(city.supervisor, task, decision="approve")
    replied = OutboxMessage.objects.filter(template="replied")
    assert sorted(replied.values_list("ticket_id", flat=True)) == sorted(m.pk for m in members)
    assert all("更换了循环泵" in m.body for m in replied)
    assert not OutboxMessage.objects.filter(ticket_id=task.pk, audience="requester").exists()
