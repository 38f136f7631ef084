"""Input errors say what is wanted: which choice to make, how long a text may be."""

from __future__ import annotations

import pytest

from jiesu.core.errors import ValidationFailed
from jiesu.tickets import services
from jiesu.tickets.inputs import VisitInput, parse_input
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.field_errors


def test_an_empty_follow_up_result_asks_to_choose_it(city):
    ticket = ticket_in_state(city, State.VISITING)
    errors = errors_of(lambda: services.perform(city.visitor, ticket, "visit", {"outcome": ""}))
    assert errors == {"outcome": ["请选择回访结果。"]}


def test_a_missing_choice_asks_to_choose_it_too():
    errors = errors_of(lambda: parse_input(VisitInput, {}))
    assert errors == {"outcome": ["请选择回访结果。"]}


def test_an_empty_extension_decision_asks_to_choose_it(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    ticket = services.perform(city.heating_handler, ticket, "request_extension", {"working_days": 3, "reason": "材料"})
    errors = errors_of(lambda: services.perform(city.dispatcher, ticket, "review_extension", {"decision": ""}))
    assert errors == {"decision": ["请选择审核结论。"]}


def test_an_empty_refusal_reason_asks_to_choose_it(city):
    ticket = ticket_in_state(city, State.RECEIVED)
    errors = errors_of(lambda: services.perform(city.operator, ticket, "reject", {"reason": "", "route": "法院"}))
    assert errors == {"reason": ["请选择不予受理原因。"]}


def test_an_empty_kind_at_intake_asks_to_choose_it(city):
    errors = errors_of(lambda: services.accept(city.operator, city.ticket_data(kind="")))
    assert errors == {"kind": ["请选择诉求类型。"]}
    assert not Ticket.objects.exists()


def test_a_value_that_is_not_one_of_the_choices_is_named_invalid(city):
    ticket = ticket_in_state(city, State.VISITING)
    errors = errors_of(lambda: services.perform(city.visitor, ticket, "visit", {"outcome": "maybe"}))
    assert errors == {"outcome": ["取值无效。"]}


def test_a_text_too_long_says_the_limit(city):
    errors = errors_of(lambda: services.accept(city.operator, city.ticket_data(title="长" * 201)))
    assert errors == {"title": ["内容过长，最多 200 字。"]}
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    errors = errors_of(lambda: services.perform(city.heating_handler, ticket, "reply", {"result": "办" * 4001}))
    assert errors == {"result": ["内容过长，最多 4000 字。"]}


def test_a_required_text_left_empty_still_says_so(city):
    errors = errors_of(lambda: services.accept(city.operator, city.ticket_data(title="")))
    assert errors == {"title": ["此项不能为空。"]}
