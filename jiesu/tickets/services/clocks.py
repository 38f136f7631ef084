"""Starting assignments with their clocks, and keeping the ticket's `next_due_at` true."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from jiesu.catalog.models import PROACTIVE_TASK, Clock
from jiesu.catalog.queries import LimitMissing
from jiesu.org.models import Unit
from jiesu.tickets.deadlines import clock_start, due_for
from jiesu.tickets.models import Assignment, SupervisionOrder, Ticket
from jiesu.tickets.states import AssignmentStatus, State


def _limit_args(ticket: Ticket) -> dict[str, Any]:
    return {"kind": ticket.kind, "category": ticket.category, "urgency": ticket.urgency}


def start_assignment(ticket: Ticket, unit: Unit, role: str, *, now: datetime, by: Any,
                     parent: Assignment | None = None, note: str = "") -> Assignment:
    start = clock_start(now) if ticket.urgency == "normal" else now
    sign = due_for(Clock.SIGN, start, **_limit_args(ticket))
    return Assignment.objects.create(
        ticket=ticket, unit=unit, role=role, status=AssignmentStatus.PENDING_SIGN, parent=parent,
        dispatched_by=by, dispatched_at=now, note=note, sign_due_at=sign.due_at, sign_warn_at=sign.warn_at,
        contact_due_at=_contact_due(ticket, start),
    )


def _contact_due(ticket: Ticket, start: datetime) -> datetime | None:
    """By when the unit should have contacted the requester (响应); None where the city sets no such limit."""
    try:
        return due_for(Clock.RESPONSE, start, **_limit_args(ticket)).due_at
    except LimitMissing:
        return None


def start_handling_clock(assignment: Assignment, now: datetime) -> None:
    if assignment.ticket.kind == PROACTIVE_TASK:
        _task_clock(assignment, now)
        return
    handle = due_for(Clock.HANDLE, now, **_limit_args(assignment.ticket))
    assignment.reply_due_at = handle.due_at
    assignment.reply_warn_at = handle.warn_at


def _task_clock(assignment: Assignment, now: datetime) -> None:
    """A task is due when the centre said; its warning comes when three quarters of the time are gone."""
    from jiesu.tickets.models import ProactiveTask

    due = ProactiveTask.objects.get(ticket_id=assignment.ticket_id).due_at
    assignment.reply_due_at = due
    assignment.reply_warn_at = now + (due - now) * 0.75 if due > now else due


def start_dispatch_clock(ticket: Ticket) -> None:
    dispatch = due_for(Clock.DISPATCH, ticket.clock_started_at, **_limit_args(ticket))
    ticket.dispatch_due_at, ticket.dispatch_warn_at = dispatch.due_at, dispatch.warn_at


def start_visit_clock(ticket: Ticket, now: datetime) -> None:
    visit = due_for(Clock.VISIT, now, **_limit_args(ticket))
    ticket.visit_due_at, ticket.visit_warn_at = visit.due_at, visit.warn_at


def review_due(clock: Clock, ticket: Ticket, now: datetime) -> datetime:
    return due_for(clock, now, **_limit_args(ticket)).due_at


_ASSIGNMENT_DUE: dict[str, str] = {
    AssignmentStatus.PENDING_SIGN: "sign_due_at",
    AssignmentStatus.SIGNED: "reply_due_at",
    AssignmentStatus.RETURN_REQUESTED: "return_review_due_at",
}


def open_dues(ticket: Ticket, assignments: Iterable[Assignment] | None = None) -> list[datetime]:
    """Every deadline that is still running for this ticket (``assignments``: all of its assignments, read
    when not given)."""
    dues: list[datetime] = []
    if ticket.status in (State.RECEIVED, State.DISPATCHING) and ticket.dispatch_due_at:
        dues.append(ticket.dispatch_due_at)
    if ticket.status == State.VISITING and ticket.visit_due_at:
        dues.append(ticket.visit_due_at)
    if ticket.pk is None:
        return dues
    if assignments is None:
        assignments = Assignment.objects.filter(ticket=ticket, is_current=True)
    for a in assignments:
        if not a.is_current:
            continue
        field = _ASSIGNMENT_DUE.get(a.status)
        if field and getattr(a, field):
            dues.append(getattr(a, field))
        if a.extension_requested_days and a.extension_review_due_at:
            dues.append(a.extension_review_due_at)
    orders = SupervisionOrder.objects.filter(ticket=ticket, closed_at__isnull=True)
    dues.extend(orders.values_list("due_at", flat=True))
    return dues


def refresh_next_due(ticket: Ticket, now: datetime, assignments: Iterable[Assignment] | None = None) -> None:
    if ticket.status in (State.CLOSED, State.MERGED, State.REJECTED, State.ADJUDICATING, State.VISITED):
        ticket.next_due_at = None
        return
    dues = open_dues(ticket, assignments)
    ticket.next_due_at = min(dues) if dues else None
