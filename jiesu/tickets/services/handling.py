"""办: what a unit does with an assignment — sign, pass down, contact, reply, ask for a return or more time."""

from __future__ import annotations

from jiesu.catalog.models import PROACTIVE_TASK, Clock
from jiesu.core.errors import ActionNotAllowed, ValidationFailed
from jiesu.tickets import inputs as i
from jiesu.tickets.models import Reply
from jiesu.tickets.privacy import unit_refusal
from jiesu.tickets.services.base import Act
from jiesu.tickets.services.clocks import review_due, start_handling_clock
from jiesu.tickets.services.intake import assign_units
from jiesu.tickets.states import AssignmentRole, AssignmentStatus, State

S = AssignmentStatus


def sign(act: Act, data: i.SignInput) -> None:
    a = act.pick_assignment(statuses={S.PENDING_SIGN}, wanted_id=data.assignment_id)
    a.status, a.signed_at, a.signed_by = S.SIGNED, act.now, act.actor
    if a.sign_due_at and act.now > a.sign_due_at and not a.sign_overdue_at:
        a.sign_overdue_at = a.sign_due_at
    start_handling_clock(a, act.now)
    a.save()
    if a.role == AssignmentRole.LEAD and act.ticket.status == State.ASSIGNED:
        act.ticket.status = State.IN_PROGRESS
    act.data = {"assignment": a.pk, "unit": a.unit.code}


def redispatch(act: Act, data: i.RedispatchInput) -> None:
    a = act.pick_assignment(statuses={S.PENDING_SIGN, S.SIGNED})
    codes = [data.lead_unit, *data.assist_units]
    from jiesu.tickets.services.lookups import units_by_codes

    for unit in units_by_codes(codes, "lead_unit"):
        if unit.pk == a.unit_id or not unit.path.startswith(a.unit.path):
            raise ValidationFailed(field_errors={"lead_unit": [f"“{unit.name}”不是本单位的下级单位。"]})
    a.status = S.REDISPATCHED
    a.signed_at = a.signed_at or act.now
    a.save()
    assign_units(act, data.lead_unit, data.assist_units, note=data.note, parent=a)
    act.data["from_assignment"] = a.pk


def contact(act: Act, data: i.ContactInput) -> None:
    a = act.pick_assignment(statuses={S.SIGNED}, wanted_id=data.assignment_id)
    refusal = unit_refusal(act.ticket, [a])  # a unit contacts only a requester it may see
    if refusal is not None:
        raise refusal
    if a.contacted_at is None:
        a.contacted_at = act.now
        a.save()
    act.reason = data.note
    act.data = {"assignment": a.pk, "method": data.method}


def reply(act: Act, data: i.ReplyInput) -> None:
    a = act.pick_assignment(statuses={S.SIGNED}, wanted_id=data.assignment_id)
    if a.extension_requested_days:
        raise ActionNotAllowed("延期申请待审批，审批后再答复。")
    Reply.objects.create(assignment=a, result=data.result, basis=data.basis, created_by=act.actor,
                         created_at=act.now)
    a.status, a.replied_at = S.REPLIED, act.now
    if a.reply_due_at and act.now > a.reply_due_at and not a.reply_overdue_at:
        a.reply_overdue_at = a.reply_due_at
    a.save()
    if a.role == AssignmentRole.LEAD:
        act.ticket.status = State.REPLIED
    act.reason = data.result
    act.data = {"assignment": a.pk, "role": a.role}
    if a.role == AssignmentRole.LEAD and act.ticket.kind == PROACTIVE_TASK:
        from jiesu.tickets.services.proactive import answer_members

        answer_members(act, data)


def request_return(act: Act, data: i.RequestReturnInput) -> None:
    a = act.pick_assignment(statuses={S.PENDING_SIGN, S.SIGNED}, wanted_id=data.assignment_id)
    a.status, a.return_reason = S.RETURN_REQUESTED, data.reason
    a.return_review_due_at = review_due(Clock.RETURN_REVIEW, act.ticket, act.now)
    a.save()
    act.ticket.status = State.RETURN_REVIEW
    act.reason = data.reason
    act.data = {"assignment": a.pk}


def request_extension(act: Act, data: i.RequestExtensionInput) -> None:
    a = act.pick_assignment(statuses={S.SIGNED}, wanted_id=data.assignment_id)
    if a.extension_count or a.extension_requested_days:
        raise ActionNotAllowed("每条派单只可申请一次延期。")
    original_days = _original_working_days(act)
    if original_days is not None and data.working_days > original_days:
        raise ValidationFailed(field_errors={"working_days": [f"延期不得超过原办理时限（{original_days} 个工作日）。"]})
    a.extension_requested_days, a.extension_reason = data.working_days, data.reason
    a.extension_review_due_at = review_due(Clock.EXTENSION_REVIEW, act.ticket, act.now)
    a.save()
    act.reason = data.reason
    act.data = {"assignment": a.pk, "working_days": data.working_days}


def _original_working_days(act: Act) -> int | None:
    from jiesu.catalog.models import LimitUnit
    from jiesu.catalog.queries import limit_for

    t = act.ticket
    if t.kind == PROACTIVE_TASK:
        return None  # the centre set the task's deadline, not the catalogue
    spec = limit_for(Clock.HANDLE, kind=t.kind, category=t.category, urgency=t.urgency, at=act.now)
    return spec.amount if spec.unit == LimitUnit.WORKING_DAYS else None
