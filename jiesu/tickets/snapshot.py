"""What an event records: the ticket's state before and after, as flat keys; and the replay of events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from jiesu.tickets.models import Assignment, Ticket

CLOCK_SLACK = timedelta(days=1)  # nothing of a ticket happens earlier than its acceptance by more than this
TICKET_FIELDS = (
    "status", "version", "kind", "category_id", "region_id", "urgency", "lead_unit_id", "merged_into_id",
    "closing_type", "reject_reason", "answer_article_id", "reopen_count", "closed_at", "dispatched_at",
    "dispatch_due_at", "dispatch_warned_at", "dispatch_overdue_at", "visit_due_at", "visit_warned_at",
    "visit_overdue_at", "next_due_at",
)
ASSIGNMENT_FIELDS = (
    "unit_id", "role", "status", "is_current", "parent_id", "sign_due_at", "sign_warned_at", "sign_overdue_at",
    "signed_at", "contacted_at", "contact_due_at", "reply_due_at", "reply_warned_at", "reply_overdue_at", "replied_at",
    "return_review_due_at", "extension_count", "extension_requested_days", "extension_review_due_at",
    "urge_count", "ended_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def snapshot(ticket: Ticket, assignments: Iterable[Assignment] | None = None) -> dict[str, Any]:
    """The flat state of the ticket and of ``assignments`` (all of its assignments; read when not given)."""
    state = {name: _plain(getattr(ticket, name)) for name in TICKET_FIELDS}
    if assignments is None:
        assignments = ticket_assignments(ticket)
    for assignment in sorted(assignments, key=lambda a: a.pk):
        state[f"assignment.{assignment.pk}"] = {name: _plain(getattr(assignment, name)) for name in ASSIGNMENT_FIELDS}
    return state


def ticket_assignments(ticket: Ticket) -> list[Assignment]:
    """Every assignment of the ticket, current or not (what a snapshot records)."""
    return list(assignments_of(ticket)) if ticket.pk is not None else []


def assignments_of(ticket: Ticket) -> QuerySet[Assignment]:
    """The ticket's assignments; none is dispatched before its acceptance, which lets PostgreSQL skip the
    older months of the partitioned table."""
    return Assignment.objects.filter(ticket=ticket, dispatched_at__gte=ticket.created_at - CLOCK_SLACK)


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [key for key in after if before.get(key) != after[key] or key not in before]
    return {k: before.get(k) for k in changed if k in before}, {k: after[k] for k in changed}


def replay(events: list[Any]) -> dict[str, Any]:
    """Fold the events' `after` parts: the result equals `snapshot(ticket)` if the log is complete."""
    state: dict[str, Any] = {}
    for event in events:
        state.update(event.after)
    return state
