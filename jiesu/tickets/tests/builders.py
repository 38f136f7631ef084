"""Putting a ticket into any state through the services (never by writing fields)."""

from __future__ import annotations

from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State

_PATH: dict[State, list[tuple[str, str, dict]]] = {
    State.RECEIVED: [],
    State.DISPATCHING: [("handover", "operator", {})],
    State.ASSIGNED: [("dispatch", "dispatcher", {"lead_unit": "heating"})],
    State.REJECTED: [("reject", "operator", {"reason": "malicious", "route": "无效来电"})],
}
_PATH[State.IN_PROGRESS] = [*_PATH[State.ASSIGNED], ("sign", "heating_handler", {})]
_PATH[State.RETURN_REVIEW] = [*_PATH[State.IN_PROGRESS], ("request_return", "heating_handler", {"reason": "非本单位"})]
_PATH[State.ADJUDICATING] = [*_PATH[State.RETURN_REVIEW], ("review_return", "dispatcher", {"decision": "adjudicate"})]
_PATH[State.REPLIED] = [*_PATH[State.IN_PROGRESS], ("reply", "heating_handler", {"result": "已处理"})]
_PATH[State.VISITING] = [*_PATH[State.REPLIED], ("review_reply", "supervisor", {"decision": "approve"})]
_PATH[State.VISITED] = [*_PATH[State.VISITING], ("visit", "visitor",
                                                 {"outcome": "reached", "resolution": "resolved",
                                                  "satisfaction": "satisfied"})]
_PATH[State.CLOSED] = [*_PATH[State.VISITED], ("close", "visitor", {})]


def ticket_in_state(city, state: State) -> Ticket:  # type: ignore[no-untyped-def]
    ticket = services.accept(city.operator, city.ticket_data())
    if state == State.MERGED:
        other = services.accept(city.operator, city.ticket_data())
        return services.merge(city.operator, ticket, into=other.number)
    for action, who, data in _PATH[state]:
        ticket = services.perform(getattr(city, who), ticket, action, data)
    assert ticket.status == state
    return ticket
