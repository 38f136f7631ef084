"""The page creating a proactive task: who may open it, creating one by hand, a refused form keeping its values."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiesu.tickets import services
from jiesu.tickets.models import ProactiveTask, Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock


def test_only_the_dispatcher_opens_the_page(client, city):
    client.force_login(city.heating_handler)
    assert client.get(reverse("web:task_new")).status_code == 403
    client.force_login(city.dispatcher)
    html = client.get(reverse("web:task_new")).content.decode()
    assert "创建主动治理任务" in html and "供热公司" in html and "关联工单编号" in html


def test_a_task_created_on_the_page_opens_on_its_ticket_page(client, city):
    member = services.accept(city.operator, city.ticket_data())
    client.force_login(city.dispatcher)
    response = client.post(reverse("web:task_new"), {
        "title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating", "due_on": "2026-03-13",
        "members": f"{member.number}\n"})
    task = Ticket.objects.get(kind="task")
    assert response.status_code == 302 and response["Location"] == reverse("web:ticket", args=[task.number])
    assert Ticket.objects.get(pk=member.pk).status == State.ASSIGNED
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_form_says_why_and_keeps_what_was_typed(client, city):
    client.force_login(city.dispatcher)
    response = client.post(reverse("web:task_new"), {
        "title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating", "due_on": "2026-03-13",
        "members": "SP20260302999999"})
    html = response.content.decode()
    assert response.status_code == 400 and "工单“SP20260302999999”不存在" in html and "供暖专项整治" in html
    assert not ProactiveTask.objects.exists()


def test_a_missing_hot_issue_is_404(client, city):
    client.force_login(city.dispatcher)
    assert client.get(reverse("web:task_from_issue", args=[424242])).status_code == 404


def test_the_tasks_ticket_page_lists_its_members(client, city):
    member = services.accept(city.operator, city.ticket_data())
    from jiesu.tickets.services.proactive import create_task

    task = create_task(city.dispatcher, {"title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating",
                                         "due_on": "2026-03-13", "members": [member.number]})
    client.force_login(city.heating_handler)
    html = client.get(reverse("web:ticket", args=[task.number])).content.decode()
    assert "主动治理任务" in html and member.number in html and "随任务答复" in html
