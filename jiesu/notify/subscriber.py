"""Which events send which messages (小信使): called by `core.events.record_event` inside the event's transaction.

To the requester: submitted, accepted (number and query code), dispatched (to which unit), replied (with an
excerpt and the link to rate), invited to rate when the follow-up call did not reach them, rejected (with the
route), merged, re-opened. To the units' contacts: a new assignment, deadline warnings and overdue marks, urging
and supervision orders. Every text names only the ticket, units and the requester's own codes; titles and reply
excerpts pass through the personal-data masking first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiesu.core.models import Event
from jiesu.intelligence.pii import mask_personal_data
from jiesu.notify import services
from jiesu.org.models import Unit
from jiesu.tickets.models import Assignment, Reply, Ticket

log = logging.getLogger(__name__)

TITLE_CHARS = 20
EXCERPT_CHARS = 60
CLOCK_NAMES = {"sign": "签收", "reply": "办理"}


def _short(text: str, limit: int) -> str:
    text = mask_personal_data(" ".join((text or "").split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%m月%d日 %H:%M") if value else ""


def ticket_params(ticket: Ticket) -> dict[str, Any]:
    return {"number": ticket.number, "query_code": ticket.query_code, "title": _short(ticket.title, TITLE_CHARS),
            "track_url": services.public_url("/track/")}


def _requester(template: str, **extra: Any) -> Callable[[Event, Ticket], None]:
    def send(event: Event, ticket: Ticket) -> None:
        params = {**ticket_params(ticket), **{k: f(event, ticket) for k, f in extra.items()}}
        services.notify_requester(ticket, template, params, event=event)

    return send


def _lead_name(event: Event, ticket: Ticket) -> str:
    return ticket.lead_unit.name if ticket.lead_unit else ""


def _reply_excerpt(event: Event, ticket: Ticket) -> str:
    reply = Reply.objects.filter(assignment_id=event.data.get("assignment")).order_by("-id").first()
    return _short(reply.result, EXCERPT_CHARS) if reply else ""


def _new_assignments(event: Event, ticket: Ticket) -> None:
    ids = event.data.get("assignments") or []
    for a in Assignment.objects.filter(pk__in=ids).select_related("unit"):
        params = {**ticket_params(ticket), "due": _when(a.sign_due_at)}
        services.notify_unit(a.unit, "new_assignment", params, dedupe=f"event:{event.pk}:a{a.pk}", event=event,
                             ticket_id=ticket.pk, warnings=False)


def _deadline(template: str) -> Callable[[Event, Ticket], None]:
    def send(event: Event, ticket: Ticket) -> None:
        a = Assignment.objects.filter(pk=event.data.get("assignment")).select_related("unit").first()
        if a is None:  # the centre's own clocks (dispatch, follow-up) are on the desks, not sent
            return
        due = a.sign_due_at if event.data.get("clock") == "sign" else a.reply_due_at
        params = {**ticket_params(ticket), "clock": CLOCK_NAMES.get(event.data.get("clock", ""), ""), "due": _when(due)}
        services.notify_unit(a.unit, template, params, dedupe=f"event:{event.pk}", event=event, ticket_id=ticket.pk)

    return send


def _to_units(template: str, codes: Callable[[Event], list[str]]) -> Callable[[Event, Ticket], None]:
    def send(event: Event, ticket: Ticket) -> None:
        due = event.data.get("due_at")
        params = {**ticket_params(ticket), "text": _short(event.reason, EXCERPT_CHARS),
                  "due": _when(datetime.fromisoformat(due)) if due else ""}
        for unit in Unit.objects.filter(code__in=codes(event)):
            services.notify_unit(unit, template, params, dedupe=f"event:{event.pk}", event=event, ticket_id=ticket.pk)

    return send


def _visit(event: Event, ticket: Ticket) -> None:
    if event.data.get("outcome") == "unreachable":  # once per round of handling, however many calls fail
        services.notify_requester(ticket, "follow_up_invitation", ticket_params(ticket),
                                  event=event, dedupe=f"ticket:{ticket.pk}:invite:{ticket.reopen_count}")


def _accepted(event: Event, ticket: Ticket) -> None:
    if event.data.get("submitted"):  # an online submission: it is accepted later, by the centre (admit)
        _requester("submitted")(event, ticket)
    else:
        _requester("accepted")(event, ticket)


def _approved_reply(event: Event, ticket: Ticket) -> None:
    if event.data.get("decision") == "approve":
        _requester("replied", excerpt=_reply_excerpt)(event, ticket)


RULES: dict[str, list[Callable[[Event, Ticket], None]]] = {
    "accept": [_accepted],
    "admit": [_requester("accepted")],
    "dispatch": [_requester("dispatched", unit=_lead_name)],
    "review_reply": [_approved_reply],
    "visit": [_visit],
    "reject": [_requester("rejected", route=lambda e, t: t.reject_route)],
    "merge": [_requester("merged", into=lambda e, t: e.data.get("into", ""))],
    "reopen": [_requester("reopened", unit=_lead_name)],
    "urge": [_to_units("urged", lambda e: list(e.data.get("units") or []))],
    "supervise": [_to_units("supervision", lambda e: [e.data.get("unit", "")])],
    "deadline_warning": [_deadline("deadline_warning")],
    "deadline_overdue": [_deadline("deadline_overdue")],
}


def on_event(event: Event) -> None:
    """Writes the event's messages into the outbox. A fault here is logged and rolled back to a savepoint: it
    never stops the action the event records."""
    if event.subject_type != "ticket":
        return
    rules = RULES.get(event.action, [])
    assigns = bool(event.data.get("assignments"))
    if not rules and not assigns:
        return
    try:
        with transaction.atomic():
            ticket = Ticket.objects.select_related("lead_unit").get(pk=int(event.subject_id))
            for rule in rules:
                rule(event, ticket)
            if assigns:
                _new_assignments(event, ticket)
    except Exception:
        log.exception("notify: could not write the messages of event %s (%s)", event.pk, event.action)
