"""The texts the ticket page builds in code follow the language switch: the conditions and hints of the action
forms, the message after an action, the system as the actor in the history, and the admin's app names.
Chinese stays the default."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.translation import override

from jiesu.core import clock
from jiesu.tickets.states import State
from jiesu.tickets.sweep import sweep
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state
from jiesu.web.tests.test_english_pages import english, ticket_page_in_both

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock


def test_the_condition_of_an_action_reads_in_english(client, city):
    chinese, html = ticket_page_in_both(client, city.heating_handler, ticket_in_state(city, State.ASSIGNED))
    assert "条件：本单位有待签收的派单" in chinese
    assert "Condition: your unit has an assignment to sign for" in html
    assert "条件：" not in html and "本单位有待签收的派单" not in html


def test_the_hint_of_an_action_reads_in_english(client, city):
    chinese, html = ticket_page_in_both(client, city.visitor, ticket_in_state(city, State.VISITING))
    assert "未接通时只选“未接通”" in chinese
    assert "If the requester was not reached, choose only “Not reached”" in html
    assert "<summary>Call back <kbd" in html  # the action, not the page title "Follow-up calls"
    assert "未接通时只选" not in html and "条件：" not in html


def test_the_message_after_an_action_reads_in_english(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.supervisor)
    url = reverse("web:ticket_act", args=[ticket.number, "urge"])
    chinese = client.post(url, {"message": "请加快", "version": ticket.version}, HTTP_HX_REQUEST="true")
    assert chinese.status_code == 200 and "已催办。" in chinese.content.decode()
    ticket.refresh_from_db()
    english(client)
    response = client.post(url, {"message": "Please hurry", "version": ticket.version}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Done: Urge." in html
    assert "<strong>Urge</strong>" in html and "已催办" not in html


def test_an_unknown_action_and_a_missing_file_read_in_english(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.heating_handler)
    english(client)
    assert client.post(reverse("web:ticket_act", args=[ticket.number, "fly"])).status_code == 404
    response = client.post(reverse("web:ticket_attach", args=[ticket.number]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Please choose a file first." in html and "请先选择文件" not in html


def test_the_system_as_actor_in_the_history_reads_in_english(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)  # dispatched now; the sign-for limit is two working hours
    with clock.at(lifecycle.FIXED_NOW + timedelta(minutes=100)):
        assert sweep().warnings == 1
    client.force_login(city.heating_handler)
    url = reverse("web:ticket", args=[ticket.number])
    assert '<div class="tl-who">系统</div>' in client.get(url).content.decode()
    english(client)
    html = client.get(url).content.decode()
    assert '<div class="tl-who">System</div>' in html and "<strong>Signing deadline warning</strong>" in html
    assert ">系统<" not in html


def test_the_app_names_read_in_english():
    jiesu_apps = [a for a in apps.get_app_configs() if a.name.startswith("jiesu.")]
    with override("en"):
        names = {a.label: str(a.verbose_name) for a in jiesu_apps}
    assert names["tickets"] == "Tickets" and names["catalog"] == "Dispatch catalogue and time limits"
    assert all(name.isascii() for name in names.values()), names
    with override("zh-hans"):
        assert str(apps.get_app_config("tickets").verbose_name) == "工单"


def test_errors_not_about_a_field_are_joined_the_way_each_language_writes_them():
    from jiesu.core.errors import ValidationFailed
    from jiesu.web.views_tickets import _field_errors

    error = ValidationFailed(field_errors={"into": ["只能并入另一张在办工单。"], "note": ["太长。"],
                                           "other": ["须先签收。"]})
    assert _field_errors(error, {"note"}) == ({"note": ["太长。"]}, "只能并入另一张在办工单。；须先签收。")
    with override("en"):
        english = ValidationFailed(field_errors={"a": ["One."], "b": ["Two."]})
        assert _field_errors(english, set())[1] == "One. Two."
