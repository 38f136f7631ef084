"""The one mechanism every action goes through: lock, check the lifecycle table, act, write one event."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from jiesu.core import clock
from jiesu.core.errors import ActionNotAllowed, NotFound, PermissionDeniedError, StaleVersion
from jiesu.core.events import record_event
from jiesu.org.models import Unit
from jiesu.tickets.lifecycle import Actor, Transition, transition_for
from jiesu.tickets.models import Assignment, Ticket
from jiesu.tickets.numbering import created_on
from jiesu.tickets.services.lookups import remember_assignments, with_related
from jiesu.tickets.snapshot import assignments_of, diff, snapshot, ticket_assignments
from jiesu.tickets.states import ACTIVE_ASSIGNMENT_STATUSES, AssignmentRole

TICKET_SUBJECT = "ticket"


@dataclass
class Act:
    """An action under way: who acts, in which role and unit, on which ticket and assignment."""

    actor: Any
    ticket: Ticket
    transition: Transition
    role: str
    now: datetime
    unit: Unit | None = None
    candidates: list[Assignment] = field(default_factory=list)
    assignment: Assignment | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)  # all of the ticket's, once the action is done

    def pick_assignment(self, *, statuses: set[str], wanted_id: int | None = None) -> Assignment:
        """The assignment the actor acts for: the one named, else the deepest unit's in the right status."""
        matching = [a for a in self.candidates if a.status in statuses]
        if wanted_id is not None:
            matching = [a for a in matching if a.pk == wanted_id]
        if not matching:
            raise ActionNotAllowed()
        chosen = max(matching, key=lambda a: (len(a.unit.path), a.pk))
        self.assignment = chosen
        self.unit = chosen.unit
        return chosen


def _roles_for_centre_act(actor: Any, transition: Transition) -> str | None:
    """The role held city-wide in which the actor does a centre's act. A superuser has no role by being one:
    superuser status is for configuration (docs/dev/decisions/superuser-acts-through-roles.md)."""
    for role in sorted(transition.roles):
        if actor.scope_for_role(role).city_wide:
            return role
    return None


def acting_unit_ids(actor: Any, roles: Iterable[str]) -> set[int]:
    """The units a person acts for in these roles: the units they hold the role in. A wider scope (本单位及下级单位)
    lets them see their sub-units' tickets, not act in a sub-unit's name: once a ticket is passed down (下派), the
    sub-unit holding it signs, contacts, replies, asks for a return or an extension, or passes it further down."""
    wanted = set(roles)
    memberships = actor.active_memberships() if hasattr(actor, "active_memberships") else []
    return {m.unit_id for m in memberships if m.role in wanted}


def _unit_candidates(actor: Any, ticket: Ticket, transition: Transition) -> list[Assignment]:
    current = assignments_of(ticket).filter(is_current=True, status__in=ACTIVE_ASSIGNMENT_STATUSES,
                                            unit_id__in=acting_unit_ids(actor, transition.roles))
    if transition.actor == Actor.LEAD_UNIT:
        current = current.filter(role=AssignmentRole.LEAD)
    return list(current.select_related("unit"))


def authorise(actor: Any, ticket: Ticket, transition: Transition) -> tuple[str, list[Assignment]]:
    """Which role the actor acts in, and (for a unit's act) the assignments they may act for."""
    if transition.actor == Actor.CENTRE:
        role = _roles_for_centre_act(actor, transition)
        if role is None:
            raise PermissionDeniedError()
        return role, []
    if not (actor.roles() & set(transition.roles)):
        raise PermissionDeniedError()
    candidates = _unit_candidates(actor, ticket, transition)
    if not candidates:
        raise PermissionDeniedError()
    return sorted(transition.roles)[0], candidates


def lock_ticket(ticket_or_number: Ticket | str) -> Ticket:
    number = ticket_or_number.number if isinstance(ticket_or_number, Ticket) else ticket_or_number
    try:
        return with_related(Ticket.objects.select_for_update().get(number=number, **created_on(number)))
    except Ticket.DoesNotExist as exc:
        raise NotFound() from exc


@contextmanager
def transition(actor: Any, ticket_or_number: Ticket | str, action: str, *, version: int | None = None) -> Iterator[Act]:
    """Runs the body as one transaction that changes the ticket and writes exactly one event."""
    table_row = transition_for(action)
    with transaction.atomic():
        ticket = lock_ticket(ticket_or_number)
        if not (actor.roles() & set(table_row.roles)):
            raise PermissionDeniedError()
        if version is not None and version != ticket.version:
            raise StaleVersion(current_version=ticket.version)
        if ticket.status not in table_row.from_states:
            raise ActionNotAllowed(state=ticket.status, action=action)
        role, candidates = authorise(actor, ticket, table_row)
        before = snapshot(ticket, ticket_assignments(ticket))
        act = Act(actor=actor, ticket=ticket, transition=table_row, role=role, now=clock.now(),
                  candidates=candidates, unit=actor.primary_unit(role) if candidates == [] else None)
        yield act
        finish(act, before)
    remember_assignments(act.ticket, act.assignments)


def finish(act: Act, before: dict[str, Any]) -> None:
    ticket = act.ticket
    if not act.transition.leads_to(before["status"], ticket.status):
        raise AssertionError(f"{act.transition.action} may not lead from {before['status']} to {ticket.status}")
    from jiesu.tickets.services.clocks import refresh_next_due

    act.assignments = assignments = ticket_assignments(ticket)  # as the action left them: for the next
    # deadline, the event and the response
    refresh_next_due(ticket, act.now, assignments)
    ticket.version += 1
    ticket.save()
    changed_before, changed_after = diff(before, snapshot(ticket, assignments))
    record_event(
        subject_type=TICKET_SUBJECT, subject_id=ticket.pk, action=act.transition.action,
        actor=act.actor, actor_unit=act.unit, actor_role=act.role,
        before=changed_before, after=changed_after, reason=act.reason, data=act.data,
    )
