"""The workbench, the ticket page and intake follow the language switch; Chinese stays the default."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock


def english(client):  # type: ignore[no-untyped-def]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def ticket_page_in_both(client, user, ticket) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The ticket page as ``user`` sees it, first in the default language, then after switching to English."""
    client.force_login(user)
    url = reverse("web:ticket", args=[ticket.number])
    chinese = client.get(url).content.decode()
    english(client)
    return chinese, client.get(url).content.decode()


def test_a_desk_switches_to_english_and_stays_chinese_by_default(client, city):
    ticket_in_state(city, State.ASSIGNED)
    client.force_login(city.heating_handler)
    url = reverse("web:desk", args=["unit"])
    chinese = client.get(url).content.decode()
    assert "工单编号" in chinese and "待签收" in chinese and ("剩余 " in chinese or "超期 " in chinese)
    assert "全部状态" in chinese and "Ticket number" not in chinese
    english(client)
    html = client.get(url).content.decode()
    assert "Ticket number" in html and "To sign for" in html and "All statuses" in html and "Least time left" in html
    assert "工单编号" not in html and "全部状态" not in html
    assert "Sign for tickets in time" in html and ("left</span>" in html or "overdue</span>" in html)


def test_the_ticket_page_and_its_action_forms_switch_to_english(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    chinese, html = ticket_page_in_both(client, city.heating_handler, ticket)
    assert "诉求内容" in chinese
    assert "Request details" in html and "Dispatch and time limits" in html and "History" in html
    assert "Actions" in html and "Sign for" in html and "诉求内容" not in html and "派单与时限" not in html
    assert ticket.title in html  # data stays as entered
    # the labels of the domain apps: the ticket's state and kind, the assignment's role, the history's actions
    assert '<span class="status status-assigned">To sign for</span>' in html
    assert '<span class="tag">Complaint</span>' in html and ">Lead</td>" in html
    assert "<strong>Dispatch</strong>" in html and "Received → To sign for" in html
    # the texts of the messages sent to the requester are data too (sent in Chinese, shown as sent)
    labels = re.sub(r'<div class="[^"]*message-text[^"]*" lang="zh-Hans">.*?</div>', "", html, flags=re.S)
    assert "已受理" not in labels and "待签收</span>" not in labels and "<td>主办</td>" not in labels


def test_the_intake_page_switches_to_english(client, city):
    client.force_login(city.operator)
    assert "受理 · 登记来电" in client.get(reverse("web:intake")).content.decode()
    english(client)
    html = client.get(reverse("web:intake")).content.decode()
    assert "Intake · register a call" in html and "Requester" in html and "Place and category" in html
    assert "Register only" in html and "Answer an enquiry on the spot and close" in html
    assert "受理 · 登记来电" not in html and "地点与分类" not in html


def test_a_domain_error_on_the_ticket_page_is_english(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.supervisor)
    english(client)
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "urge"]),
                           {"message": "请加快", "version": ticket.version - 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Someone else has changed this ticket. Please refresh and try again." in html
    assert "工单已被他人修改" not in html


def test_the_error_pages_and_the_intake_pickers_speak_english_after_the_switch(client, city):
    client.force_login(city.operator)
    assert "没有权限" in client.get(reverse("knowledge:figures")).content.decode()
    english(client)
    forbidden = client.get(reverse("knowledge:figures"))
    assert forbidden.status_code == 403
    assert "No access" in forbidden.content.decode() and "没有权限" not in forbidden.content.decode()
    missing = client.get("/tickets/SP19990101999999/").content.decode()
    assert "This page cannot be found" in missing and "找不到" not in missing
    intake = client.get(reverse("web:intake")).content.decode()
    assert "District or county…" in intake and "First-level category…" in intake and "区县…" not in intake
