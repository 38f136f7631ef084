"""A superuser acts on tickets only through the roles they hold (docs/dev/decisions/superuser-acts-through-roles.md):
superuser status alone is refused at every step, changes nothing, and the event log never names a role the actor
does not hold."""

from __future__ import annotations

import pytest

from jiesu.core.errors import PermissionDeniedError
from jiesu.core.models import Event
from jiesu.org.models import Membership, User
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets import services
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db

# each centre act the probe found open to a bare superuser, with its state and valid inputs
CENTRE_ACTS = [
    ("reject", State.RECEIVED, {"reason": "malicious", "route": "无效来电"}),
    ("dispatch", State.RECEIVED, {"lead_unit": "heating"}),
    ("review_return", State.RETURN_REVIEW, {"decision": "refuse", "opinion": "属本单位"}),
    ("adjudicate", State.ADJUDICATING, {"responsible_unit": "heating", "legal_basis": "《供热条例》第二十条"}),
    ("review_reply", State.REPLIED, {"decision": "approve"}),
    ("visit", State.VISITING, {"outcome": "reached", "resolution": "resolved", "satisfaction": "satisfied"}),
    ("close", State.VISITED, {}),
    ("reopen", State.CLOSED, {"reason": "仍未解决"}),
    ("urge", State.IN_PROGRESS, {"message": "请尽快办理"}),
    ("supervise", State.IN_PROGRESS, {"text": "限期解决", "working_days": 2}),
]
UNIT_ACTS = [
    ("sign", State.ASSIGNED, {}),
    ("reply", State.IN_PROGRESS, {"result": "已处理"}),
]


@pytest.fixture
def root(city):  # type: ignore[no-untyped-def]
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(("action", "state", "data"), CENTRE_ACTS + UNIT_ACTS, ids=lambda v: str(v)[:14])
def test_superuser_status_alone_is_refused_and_changes_nothing(city, root, action, state, data):
    ticket = ticket_in_state(city, state)
    events_before = Event.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.perform(root, ticket, action, data)
    ticket.refresh_from_db()
    assert ticket.status == state and Event.objects.count() == events_before


def test_a_superuser_with_a_role_acts_in_that_role_and_only_in_it(city, root):
    Membership.objects.create(user=root, unit=city.centre, role="supervisor", scope="city")
    root = User.objects.get(pk=root.pk)
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    services.urge(root, ticket, message="请尽快办理")
    event = Event.objects.filter(action="urge").get()
    assert event.actor_id == root.pk and event.actor_role == "supervisor"
    with pytest.raises(PermissionDeniedError):  # a dispatcher's act: the role is not held
        services.perform(root, ticket_in_state(city, State.RECEIVED), "dispatch", {"lead_unit": "heating"})


def test_every_event_of_the_loop_names_a_role_its_actor_holds(city):
    for state in (State.CLOSED, State.ADJUDICATING, State.REJECTED):
        ticket_in_state(city, state)
    held = {(m.user_id, m.role) for m in Membership.objects.all()}
    events = Event.objects.exclude(actor=None)
    assert events.count() > 10
    assert {(e.actor_id, e.actor_role) for e in events} <= held
