"""Every (state, action, role) cell is allowed or refused exactly as the lifecycle table says."""

from __future__ import annotations

import pytest

from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError
from jiesu.core.permissions import Role
from jiesu.tickets import services
from jiesu.tickets.lifecycle import TABLE, Actor
from jiesu.tickets.queries import allowed_actions, ticket_events
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db

ACTORS = {
    Role.OPERATOR: "operator", Role.DISPATCHER: "dispatcher", Role.SUPERVISOR: "supervisor",
    Role.VISITOR: "visitor", Role.ADJUDICATOR: "adjudicator", Role.HANDLER: "heating_handler",
}


def _handler_has_assignment(ticket) -> bool:  # type: ignore[no-untyped-def]
    return ticket.assignments.filter(is_current=True, unit__code="heating").exclude(status="returned").exists()


def expected(row, state: State, role: Role, ticket) -> bool:  # type: ignore[no-untyped-def]
    if state not in row.from_states or role not in row.roles:
        return False
    return row.actor == Actor.CENTRE or _handler_has_assignment(ticket)


@pytest.mark.parametrize("state", list(State))
def test_allowed_actions_follow_the_table(city, state):
    ticket = ticket_in_state(city, state)
    for role, who in ACTORS.items():
        offered = {row.action for row in allowed_actions(getattr(city, who), ticket)}
        for row in TABLE:
            assert (row.action in offered) == expected(row, state, role, ticket), (state, row.action, role)


@pytest.mark.parametrize("state", list(State))
def test_refused_cells_raise_and_change_nothing(city, state):
    ticket = ticket_in_state(city, state)
    events_before = ticket_events(ticket).count()
    for role, who in ACTORS.items():
        for row in TABLE:
            if expected(row, state, role, ticket):
                continue
            error = PermissionDeniedError if role not in row.roles else (ActionNotAllowed, PermissionDeniedError)
            with pytest.raises(error):
                services.perform(getattr(city, who), ticket, row.action, _sample_inputs(row.action))
    ticket.refresh_from_db()
    assert ticket.status == state and ticket_events(ticket).count() == events_before


def test_a_role_not_in_the_table_gets_403_before_anything_else(city):
    ticket = ticket_in_state(city, State.CLOSED)
    with pytest.raises(PermissionDeniedError):
        services.perform(city.heating_handler, ticket, "dispatch", {"lead_unit": "heating"}, version=999)


def _sample_inputs(action: str) -> dict:
    return {
        "answer": {"answer": "答复"}, "reject": {"reason": "other", "route": "告知"},
        "dispatch": {"lead_unit": "heating"}, "redispatch": {"lead_unit": "heating"},
        "merge": {"into": "SP0"}, "request_return": {"reason": "理由"},
        "review_return": {"decision": "refuse"}, "adjudicate": {"responsible_unit": "heating", "legal_basis": "依据"},
        "request_extension": {"working_days": 1, "reason": "理由"}, "review_extension": {"decision": "approve"},
        "reply": {"result": "结果"}, "review_reply": {"decision": "approve"},
        "visit": {"outcome": "unreachable"}, "reopen": {"reason": "理由"}, "urge": {"message": "请加快"},
        "supervise": {"text": "督办", "working_days": 1}, "prompt": {"text": "提示"}, "warn": {"text": "预警"},
    }.get(action, {})
