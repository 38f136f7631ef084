"""What the intake page and the ticket page's action forms check and say: the caller's phone number, the
choices left empty, the merge field's example number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state
from jiesu.web.tests.test_intake import form

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock  # 2026-03-02
URL = "/intake/"
PHONE_HINT = "请输入 11 位手机号或带区号的固定电话，如 0434-3281234。"


@pytest.fixture
def operator_client(client, city):  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    return client


@pytest.mark.parametrize("typed", ["12345abc", "1391234567", "12345"])
def test_a_bad_phone_number_is_explained_at_the_field_and_nothing_is_saved(operator_client, city, typed):
    response = operator_client.post(URL, form(city, requester_phone=typed))
    html = response.content.decode()
    assert response.status_code == 400 and Ticket.objects.count() == 0
    assert PHONE_HINT in html and f'value="{typed}"' in html  # what was typed stays, to be corrected


def test_a_phone_number_typed_with_dashes_is_stored_as_digits(operator_client, city):
    response = operator_client.post(URL, form(city, requester_phone="139-1234-5678"))
    assert response.status_code == 302
    assert Ticket.objects.get().requester_phone == "13912345678"


def test_the_merge_field_shows_a_real_ticket_number(operator_client, city, settings):
    settings.CITY_CODE = "JL"
    html = operator_client.get(URL).content.decode()
    assert "如 JL20260302000001，或点右侧“并入此单”" in html and "20261123-0001" not in html


def test_the_example_is_the_days_first_number(operator_client, city):
    assert operator_client.post(URL, form(city)).status_code == 302
    first = Ticket.objects.get().number
    assert f"如 {first}，" in operator_client.get(URL).content.decode()


def test_the_ticket_pages_merge_form_shows_a_real_ticket_number(client, city):
    ticket = ticket_in_state(city, State.RECEIVED)
    client.force_login(city.operator)
    html = client.get(reverse("web:ticket", args=[ticket.number])).content.decode()
    assert 'placeholder="如 SP20260302000001"' in html and "20261123-0001" not in html


def test_an_empty_follow_up_result_asks_to_choose_it(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    client.force_login(city.visitor)
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "visit"]),
                           {"version": ticket.version, "outcome": "", "note": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "请选择回访结果。" in html and "取值无效" not in html
    assert Ticket.objects.get(pk=ticket.pk).status == State.VISITING


def test_an_empty_refusal_reason_at_intake_asks_to_choose_it(operator_client, city):
    response = operator_client.post(URL, form(city, disposition="reject",
                                              **{"reject-reason": "", "reject-route": "请向法院起诉"}))
    html = response.content.decode()
    assert response.status_code == 400 and "请选择不予受理原因。" in html and Ticket.objects.count() == 0
