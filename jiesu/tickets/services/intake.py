"""接: accepting a request, and what the centre does with it before a unit has it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiesu.catalog.models import Kind, Urgency
from jiesu.core import clock
from jiesu.core.errors import ActionNotAllowed, IdempotencyKeyReused, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm, permissions_of
from jiesu.core.scope import require_perm
from jiesu.tickets import inputs as i
from jiesu.tickets.deadlines import clock_start
from jiesu.tickets.models import Ticket
from jiesu.tickets.numbering import give_number, new_query_code, provisional_number
from jiesu.tickets.services import lookups
from jiesu.tickets.services.base import TICKET_SUBJECT, Act
from jiesu.tickets.services.clocks import refresh_next_due, start_assignment, start_dispatch_clock
from jiesu.tickets.snapshot import snapshot
from jiesu.tickets.states import OPEN_STATES, AssignmentRole, ClosingType, RejectReason, State


def _new_ticket(actor: Any, data: i.AcceptInput, idempotency_key: str | None) -> Ticket:
    """The ticket as it will be saved, without its number (taken last, see `accept_once`)."""
    now = clock.now()
    return Ticket(
        query_code=new_query_code(), status=State.RECEIVED,
        requester_name=data.requester_name, requester_phone=data.requester_phone,
        is_anonymous=data.is_anonymous, is_whistleblower=data.is_whistleblower, kind=data.kind,
        category=lookups.category_by_code(data.category) if data.category else None,
        region=lookups.region_by_code(data.region) if data.region else None, address=data.address,
        channel=lookups.channel_by_code(data.channel), urgency=data.urgency, title=data.title,
        content=data.content, created_by=actor, created_at=now,
        clock_started_at=clock_start(now) if data.urgency == Urgency.NORMAL else now,
        idempotency_key=idempotency_key,
    )


def accept(actor: Any, raw: dict[str, Any], *, idempotency_key: str | None = None) -> Ticket:
    """Registers a request as a ticket (state 已受理) with its dispatch clock. One event: accept."""
    return accept_once(actor, raw, idempotency_key=idempotency_key)[0]


def accept_once(actor: Any, raw: dict[str, Any], *, idempotency_key: str | None = None) -> tuple[Ticket, bool]:
    """As `accept`, and whether this call created the ticket (False: an earlier call with the key did).

    Everything that needs no lock (validation, deadlines, the merge keys' hashing) is done first, then the
    ticket and its merge keys are inserted under a provisional number; the day's counter row, which concurrent
    creations wait for, is taken last (the real number, the event) and released at the commit."""
    require_perm(actor, Perm.TICKET_CREATE)
    data = i.parse_input(i.AcceptInput, raw)
    assert isinstance(data, i.AcceptInput)
    key = f"{actor.pk}:{idempotency_key}" if idempotency_key else None
    ticket = _new_ticket(actor, data, key)
    start_dispatch_clock(ticket)
    refresh_next_due(ticket, ticket.created_at)
    signature = _merge_signature(ticket)
    role = _accepting_role(actor)
    if key and timezone.localtime(ticket.created_at).day == 1 and (
            earlier := Ticket.objects.filter(idempotency_key=key).first()):
        return _same_request(earlier, ticket), False  # a retry across the month's start: keys are unique per partition
    try:
        with transaction.atomic():
            ticket.number = provisional_number()
            ticket.save(force_insert=True)
            _index_for_merging(ticket, signature)
            give_number(ticket)  # creations wait for each other from here to the commit
            record_event(subject_type=TICKET_SUBJECT, subject_id=ticket.pk, action="accept", actor=actor,
                         actor_unit=actor.primary_unit(role), actor_role=role,
                         after=snapshot(ticket, assignments=()),
                         data={"channel": ticket.channel.code, "number": ticket.number})
    except IntegrityError:
        if key and (existing := Ticket.objects.filter(idempotency_key=key).first()):
            return _same_request(existing, ticket), False
        raise
    lookups.remember_assignments(ticket, [])  # a new ticket has none yet
    return ticket, True


REQUEST_FIELDS = ("requester_name", "requester_phone", "is_anonymous", "is_whistleblower", "kind", "category_id",
                  "region_id", "address", "channel_id", "urgency", "title", "content")


def _same_request(existing: Ticket, retried: Ticket) -> Ticket:
    """The earlier ticket of a retry; a key reused for a different request is refused, not silently answered."""
    differing = [f for f in REQUEST_FIELDS if getattr(existing, f) != getattr(retried, f)]
    if differing:
        raise IdempotencyKeyReused(fields=[f.removesuffix("_id") for f in differing])
    return existing


def _accepting_role(actor: Any) -> str:
    """The role the event records for registering a ticket: the first role the actor holds that may."""
    held = sorted(actor.roles()) if hasattr(actor, "roles") else []
    return next((role for role in held if Perm.TICKET_CREATE in permissions_of(role)), "")


def _merge_signature(ticket: Ticket) -> Any:
    """The merge-candidate keys of the ticket's text (intelligence sits above tickets: imported late)."""
    from jiesu.intelligence.signatures import signature_of

    return signature_of(ticket.title, ticket.content)


def _index_for_merging(ticket: Ticket, signature: Any) -> None:
    """Adds the ticket to the merge-candidate index in the accepting transaction: durable with the ticket."""
    from jiesu.intelligence.duplicates import index_new_ticket

    index_new_ticket(ticket, signature)


def existing_for_key(actor: Any, idempotency_key: str) -> Ticket | None:
    return Ticket.objects.filter(idempotency_key=f"{actor.pk}:{idempotency_key}").first()


def answer(act: Act, data: i.AnswerInput) -> None:
    if act.ticket.kind != Kind.CONSULTATION:
        raise ActionNotAllowed("只有咨询类诉求可以直接答复。")
    t = act.ticket
    t.status, t.closing_type, t.closed_at = State.CLOSED, ClosingType.ANSWERED, act.now
    t.answer_text, t.answer_article_id = data.answer, data.article_id
    act.data = {"article_id": data.article_id}


def reject(act: Act, data: i.RejectInput) -> None:
    if data.reason == RejectReason.EMERGENCY and not data.transferred_to:
        raise ValidationFailed(field_errors={"transferred_to": ["紧急警情须注明转接的 110/119/120/122。"]})
    t = act.ticket
    t.status, t.reject_reason, t.reject_route, t.closed_at = State.REJECTED, data.reason, data.route, act.now
    act.reason = data.route
    act.data = {"reason": data.reason, "transferred_to": data.transferred_to or ""}


def handover(act: Act, data: i.HandoverInput) -> None:
    act.ticket.status = State.DISPATCHING
    act.reason = data.note


def dispatch(act: Act, data: i.DispatchInput) -> None:
    t = act.ticket
    if data.category:
        t.category = lookups.category_by_code(data.category)
    if t.category is None:
        raise ValidationFailed(field_errors={"category": ["派单前须确定诉求分类。"]})
    if t.dispatch_due_at and act.now > t.dispatch_due_at and not t.dispatch_overdue_at:
        t.dispatch_overdue_at = t.dispatch_due_at  # late, even if the sweep has not marked it yet
    assign_units(act, data.lead_unit, data.assist_units, note=data.note)
    t.dispatched_at = t.dispatched_at or act.now


def assign_units(act: Act, lead_code: str, assist_codes: list[str], *, note: str = "", parent=None) -> None:  # type: ignore[no-untyped-def]
    """Creates the lead and assist assignments with their sign-for clocks; the ticket waits for signing."""
    lead = lookups.unit_by_code(lead_code)
    assists = [u for u in lookups.units_by_codes(assist_codes) if u.pk != lead.pk]
    t = act.ticket
    created = [start_assignment(t, lead, AssignmentRole.LEAD, now=act.now, by=act.actor, parent=parent, note=note)]
    created += [start_assignment(t, u, AssignmentRole.ASSIST, now=act.now, by=act.actor, parent=parent, note=note)
                for u in assists]
    t.lead_unit, t.status = lead, State.ASSIGNED
    act.reason = note
    act.data = {**act.data, "lead_unit": lead.code, "assist_units": [u.code for u in assists],
                "assignments": [a.pk for a in created]}


def merge(act: Act, data: i.MergeInput) -> None:
    target = lookups.ticket_by_number(data.into)
    if target.pk == act.ticket.pk or target.status not in OPEN_STATES or target.merged_into_id:
        raise ValidationFailed(field_errors={"into": ["只能并入另一张在办工单。"]})
    act.ticket.status, act.ticket.merged_into, act.ticket.closed_at = State.MERGED, target, act.now
    act.reason = data.note
    act.data = {"into": target.number}
