"""派、督: what the centre decides about a unit's work — returns, adjudication, extensions, replies, urging."""

from __future__ import annotations

from jiesu.catalog.models import PROACTIVE_TASK
from jiesu.core.errors import ActionNotAllowed, ValidationFailed
from jiesu.tickets import inputs as i
from jiesu.tickets.deadlines import extend_by_working_days, shift_by_pause
from jiesu.tickets.models import Adjudication, Assignment, Pause, Reply, SupervisionOrder
from jiesu.tickets.services import lookups
from jiesu.tickets.services.base import Act
from jiesu.tickets.services.clocks import start_dispatch_clock, start_visit_clock
from jiesu.tickets.services.followup import finish_assignments
from jiesu.tickets.services.intake import assign_units
from jiesu.tickets.states import (
    AssignmentRole,
    AssignmentStatus,
    ClosingType,
    ReplyReviewDecision,
    ReturnDecision,
    State,
)

S = AssignmentStatus


def _current(act: Act, **filters) -> list[Assignment]:  # type: ignore[no-untyped-def]
    return list(Assignment.objects.filter(ticket=act.ticket, is_current=True, **filters).select_related("unit"))


def _the_one(act: Act, status: str) -> Assignment:
    found = _current(act, status=status, role=AssignmentRole.LEAD)
    if not found:
        raise ActionNotAllowed()
    act.assignment = found[0]
    return found[0]


def end_current_assignments(act: Act, *, returned: Assignment | None = None) -> None:
    for a in _current(act):
        a.status = S.RETURNED if returned and a.pk == returned.pk else S.SUPERSEDED
        a.is_current, a.ended_at = False, act.now
        a.save()


def _resume(a: Assignment, act: Act) -> None:
    a.status = S.SIGNED if a.signed_at else S.PENDING_SIGN
    a.return_review_due_at = None
    a.save()
    act.ticket.status = State.IN_PROGRESS if a.signed_at else State.ASSIGNED


def review_return(act: Act, data: i.ReviewReturnInput) -> None:
    a = _the_one(act, S.RETURN_REQUESTED)
    act.reason = data.opinion
    act.data = {"assignment": a.pk, "decision": data.decision}
    if data.decision == ReturnDecision.REFUSE:
        _resume(a, act)
    elif data.decision == ReturnDecision.ADJUDICATE:
        Adjudication.objects.create(ticket=act.ticket, assignment=a, requested_by=act.actor, requested_at=act.now,
                                    unit_reason=a.return_reason, centre_opinion=data.opinion)
        Pause.objects.create(assignment=a, reason="adjudication", started_at=act.now)
        a.status = S.ADJUDICATING
        a.save()
        act.ticket.status = State.ADJUDICATING
    else:
        end_current_assignments(act, returned=a)
        if data.lead_unit:
            assign_units(act, data.lead_unit, data.assist_units, note=data.opinion)
        else:
            act.ticket.status, act.ticket.lead_unit = State.DISPATCHING, None
            act.ticket.clock_started_at = act.now
            start_dispatch_clock(act.ticket)


def _end_pause(a: Assignment, act: Act) -> None:
    for pause in Pause.objects.filter(assignment=a, ended_at__isnull=True):
        pause.ended_at = act.now
        pause.save()
        if a.reply_due_at:
            a.reply_due_at = shift_by_pause(a.reply_due_at, pause.started_at, act.now)
        if a.reply_warn_at:
            a.reply_warn_at = shift_by_pause(a.reply_warn_at, pause.started_at, act.now)


def adjudicate(act: Act, data: i.AdjudicateInput) -> None:
    a = _the_one(act, S.ADJUDICATING)
    case = Adjudication.objects.filter(assignment=a, decided_at__isnull=True).order_by("-id").first()
    if case is None:
        raise ActionNotAllowed()
    unit = lookups.unit_by_code(data.responsible_unit, "responsible_unit")
    refusing = lookups.units_by_codes(data.refusing_units, "refusing_units")
    case.decided_unit, case.legal_basis, case.decided_by, case.decided_at = unit, data.legal_basis, act.actor, act.now
    if data.add_to_catalog:
        case.added_rule_id = _add_rule(act, unit, data.legal_basis).pk
    case.save()
    case.refusing_units.set(refusing)
    _end_pause(a, act)
    act.reason = data.legal_basis
    act.data = {"adjudication": case.pk, "responsible_unit": unit.code, "refusing_units": [u.code for u in refusing],
                "rule": case.added_rule_id}
    if unit.pk == a.unit_id:
        _resume(a, act)
    else:
        end_current_assignments(act, returned=a)
        assign_units(act, unit.code, [], note=f"研判定性：{data.legal_basis}")
        act.data["assignments"] = act.data.get("assignments", [])


def _add_rule(act: Act, unit, legal_basis: str):  # type: ignore[no-untyped-def]
    from jiesu.catalog.services import add_rule_from_adjudication

    if act.ticket.category is None:
        raise ValidationFailed(field_errors={"add_to_catalog": ["工单没有诉求分类，无法写入派单目录。"]})
    return add_rule_from_adjudication(act.actor, category=act.ticket.category, region=act.ticket.region,
                                      lead_unit=unit, legal_basis=legal_basis,
                                      source=f"研判定性 {act.ticket.number}")


def review_extension(act: Act, data: i.ReviewExtensionInput) -> None:
    pending = [a for a in _current(act, status=S.SIGNED) if a.extension_requested_days]
    if not pending:
        raise ActionNotAllowed("没有待审批的延期申请。")
    a = act.assignment = pending[0]
    days = a.extension_requested_days or 0
    if data.decision == "approve" and a.reply_due_at:
        a.reply_due_at = extend_by_working_days(a.reply_due_at, days)
        a.reply_warn_at = extend_by_working_days(a.reply_warn_at or a.reply_due_at, days)
        a.reply_warned_at = None
    a.extension_requested_days, a.extension_review_due_at = None, None
    a.extension_count += 1
    a.save()
    act.reason = data.opinion
    act.data = {"assignment": a.pk, "decision": data.decision, "working_days": days}


def review_reply(act: Act, data: i.ReviewReplyInput) -> None:
    a = _the_one(act, S.REPLIED)
    reply = Reply.objects.filter(assignment=a).order_by("-id").first()
    if reply is not None:
        reply.review_decision, reply.review_note = data.decision, data.opinion
        reply.save()
    task = act.ticket.kind == PROACTIVE_TASK
    if data.decision == ReplyReviewDecision.APPROVE and task:
        finish_assignments(act)  # no requester to call back: each member ticket has its own follow-up
        act.ticket.status, act.ticket.closing_type, act.ticket.closed_at = State.CLOSED, ClosingType.HANDLED, act.now
    elif data.decision == ReplyReviewDecision.APPROVE:
        act.ticket.status = State.VISITING
        start_visit_clock(act.ticket, act.now)
    else:
        a.status = S.SIGNED
        a.save()
        act.ticket.status = State.IN_PROGRESS
    act.reason = data.opinion
    act.data = {"assignment": a.pk, "decision": data.decision}
    if task:
        from jiesu.tickets.services.proactive import review_members

        review_members(act, data)


def urge(act: Act, data: i.UrgeInput) -> None:
    leads = _current(act, role=AssignmentRole.LEAD)
    for a in leads:
        a.urge_count += 1
        a.save()
    act.reason = data.message
    act.data = {"units": [a.unit.code for a in leads]}


def _issue_step(act: Act, text: str, working_days: int, level: str) -> None:
    """A supervision step (提示, 预警, 督办) for the lead unit, due in working days."""
    from jiesu.worktime.calendar import get_calendar

    lead = _current(act, role=AssignmentRole.LEAD)
    if not lead:
        raise ActionNotAllowed()
    due = get_calendar().add_working_days(act.now, working_days)
    order = SupervisionOrder.objects.create(ticket=act.ticket, unit=lead[-1].unit, text=text, due_at=due,
                                            issued_by=act.actor, issued_at=act.now, level=level)
    act.reason = text
    act.data = {"order": order.pk, "unit": lead[-1].unit.code, "due_at": due.isoformat(), "level": level}


def supervise(act: Act, data: i.SuperviseInput) -> None:
    _issue_step(act, data.text, data.working_days, SupervisionOrder.Level.ORDER)


def prompt(act: Act, data: i.LadderStepInput) -> None:
    _issue_step(act, data.text, data.working_days, SupervisionOrder.Level.PROMPT)


def warn(act: Act, data: i.LadderStepInput) -> None:
    _issue_step(act, data.text, data.working_days, SupervisionOrder.Level.WARNING)
