"""Turning tickets and events into the API's response shapes, showing each user only what they may see."""

from __future__ import annotations

from typing import Any

from jiesu.catalog.models import Kind, Urgency
from jiesu.core import clock
from jiesu.core.errors import CalendarMissing
from jiesu.core.permissions import Perm, Role
from jiesu.core.scope import scope_of
from jiesu.tickets import queries
from jiesu.tickets.deadlines import working_minutes_left
from jiesu.tickets.models import Assignment, Ticket
from jiesu.tickets.states import Action, AssignmentRole, AssignmentStatus, State


def _label(choices: Any, value: str) -> dict[str, str]:
    try:
        return {"value": value, "label": str(choices(value).label)}
    except ValueError:
        return {"value": value, "label": value}


def _coded(obj: Any, name_attr: str = "name") -> dict[str, str] | None:
    return None if obj is None else {"code": obj.code, "name": getattr(obj, name_attr)}


def _minutes_left(ticket: Ticket) -> int | None:
    if ticket.next_due_at is None:
        return None
    try:
        return working_minutes_left(clock.now(), ticket.next_due_at)
    except CalendarMissing:
        return None


def summary(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number, "status": _label(State, ticket.status), "kind": _label(Kind, ticket.kind),
        "urgency": _label(Urgency, ticket.urgency), "category": _coded(ticket.category, "full_name"),
        "region": _coded(ticket.region), "lead_unit": _coded(ticket.lead_unit), "title": ticket.title,
        "created_at": ticket.created_at, "next_due_at": ticket.next_due_at,
        "working_minutes_left": _minutes_left(ticket), "version": ticket.version,
    }


def assignment(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk, "unit": _coded(a.unit), "role": _label(AssignmentRole, a.role),
        "status": _label(AssignmentStatus, a.status), "dispatched_at": a.dispatched_at,
        "sign_due_at": a.sign_due_at, "signed_at": a.signed_at, "contacted_at": a.contacted_at,
        "reply_due_at": a.reply_due_at, "replied_at": a.replied_at, "extension_count": a.extension_count,
        "extension_requested_days": a.extension_requested_days, "urge_count": a.urge_count,
    }


def detail(user: Any, ticket: Ticket, *, reveal: bool = False) -> dict[str, Any]:
    centre_intake = scope_of(user, Perm.TICKET_CREATE).city_wide
    return {
        **summary(ticket), "content": ticket.content, "address": ticket.address,
        "channel": _coded(ticket.channel), "query_code": ticket.query_code if centre_intake else None,
        "merged_into": ticket.merged_into.number if ticket.merged_into_id and ticket.merged_into else None,
        "reopen_count": ticket.reopen_count, "closed_at": ticket.closed_at,
        "dispatch_due_at": ticket.dispatch_due_at, "visit_due_at": ticket.visit_due_at,
        "assignments": [assignment(a) for a in queries.current_assignments(ticket)],
        "requester": queries.requester_view(user, ticket, reveal=reveal),
        "allowed_actions": [{"action": row.action.value, "label": str(row.action.label)}
                            for row in queries.allowed_actions(user, ticket)],
    }


def event(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk, "occurred_at": e.occurred_at, "action": e.action,
        "action_label": _label(Action, e.action)["label"], "actor": str(e.actor) if e.actor_id else "",
        "actor_unit": e.actor_unit_name, "role": e.actor_role,
        "role_label": _label(Role, e.actor_role)["label"] if e.actor_role else "",
        "before": e.before, "after": e.after, "reason": e.reason, "data": e.data,
    }
