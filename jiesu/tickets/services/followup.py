"""评: the follow-up call, closing, and re-handling when the citizen is not satisfied."""

from __future__ import annotations

from jiesu.core.errors import ActionNotAllowed, ValidationFailed
from jiesu.tickets import inputs as i
from jiesu.tickets.models import Assignment, SupervisionOrder, Visit
from jiesu.tickets.services.base import Act
from jiesu.tickets.services.intake import assign_units
from jiesu.tickets.states import AssignmentStatus, ClosingType, State, VisitOutcome


def visit(act: Act, data: i.VisitInput) -> None:
    reached = data.outcome == VisitOutcome.REACHED
    if reached and (not data.resolution or not data.satisfaction):
        errors = {name: ["接通时须填写此项。"] for name in ("resolution", "satisfaction") if not getattr(data, name)}
        raise ValidationFailed(field_errors=errors)
    Visit.objects.create(ticket=act.ticket, outcome=data.outcome, resolution=data.resolution or "",
                         satisfaction=data.satisfaction or "", note=data.note, created_by=act.actor,
                         created_at=act.now)
    if reached:
        act.ticket.status = State.VISITED
        if act.ticket.visit_due_at and act.now > act.ticket.visit_due_at and not act.ticket.visit_overdue_at:
            act.ticket.visit_overdue_at = act.ticket.visit_due_at
    act.reason = data.note
    act.data = {"outcome": data.outcome, "resolution": data.resolution or "", "satisfaction": data.satisfaction or ""}


def finish_assignments(act: Act) -> None:
    for a in Assignment.objects.filter(ticket=act.ticket, is_current=True):
        a.status, a.is_current, a.ended_at = AssignmentStatus.DONE, False, act.now
        a.save()
    SupervisionOrder.objects.filter(ticket=act.ticket, closed_at__isnull=True).update(closed_at=act.now)


def close(act: Act, data: i.CloseInput) -> None:
    t = act.ticket
    if t.status == State.VISITING:
        if not Visit.objects.filter(ticket=t, outcome=VisitOutcome.UNREACHABLE).exists():
            raise ActionNotAllowed("待回访的工单须先回访；多次未接通后方可办结。")
        t.closing_type = ClosingType.UNREACHABLE
    else:
        t.closing_type = ClosingType.HANDLED
    finish_assignments(act)
    t.status, t.closed_at = State.CLOSED, act.now
    act.reason = data.note


def reopen(act: Act, data: i.ReopenInput) -> None:
    t = act.ticket
    if t.lead_unit is None or t.closing_type == ClosingType.ANSWERED:
        raise ActionNotAllowed("直接答复的工单不能重办。")
    finish_assignments(act)
    t.reopen_count += 1
    t.closing_type, t.closed_at = "", None
    assign_units(act, t.lead_unit.code, [], note=f"重办：{data.reason}")
    act.reason = data.reason
