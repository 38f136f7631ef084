"""The ladder's steps on units (五步工作机制: 约谈 interview, 问责 accountability): issue and close.

Each is one service call with an explicit actor, in one transaction, writing one `core.Event` on the subject
``unit_step``. A step names the tickets that caused it; each must be one the unit handles or handled, so the
document a unit receives speaks only of its own work.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pydantic import Field

from jiesu.core import clock
from jiesu.core.errors import ActionNotAllowed, NotFound, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm, Role
from jiesu.core.scope import require_perm, restrict
from jiesu.evaluation.models import UnitStep
from jiesu.org.models import Unit
from jiesu.tickets.inputs import ActionInput, parse_input
from jiesu.tickets.models import Assignment, Ticket

SUBJECT = "unit_step"
ISSUE, CLOSE = "issue_unit_step", "close_unit_step"
MAX_TICKETS = 200


class UnitStepInput(ActionInput):
    unit: str = Field(min_length=1, max_length=32, description="承办单位代码")
    level: UnitStep.Level
    reason: str = Field(min_length=1, max_length=2000, description="事由")
    document: str = Field(min_length=1, max_length=8000, description="约谈通知与记录，或问责建议")
    tickets: list[str] = Field(default_factory=list, max_length=MAX_TICKETS, description="相关工单编号")
    working_days: int = Field(default=10, ge=1, le=60, description="整改期限（工作日）")


class CloseUnitStepInput(ActionInput):
    outcome: str = Field(min_length=1, max_length=4000, description="整改情况")


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationFailed(field_errors={"unit": [str(_("没有这个承办单位。"))]})
    return unit


def _tickets_of_unit(unit: Unit, numbers: list[str]) -> list[Ticket]:
    wanted = sorted(set(numbers))
    found = {t.number: t for t in Ticket.objects.filter(number__in=wanted)}
    handled = set(Assignment.objects.filter(ticket__in=list(found.values()), unit=unit)
                  .values_list("ticket_id", flat=True))
    wrong = [n for n in wanted if n not in found or found[n].pk not in handled]
    if wrong:
        raise ValidationFailed(field_errors={"tickets": [_("这些工单不存在或不由该单位承办：") + "、".join(wrong)]})
    return [found[n] for n in wanted]


def _event(actor: Any, step: UnitStep, action: str, data: dict[str, Any], reason: str) -> None:
    record_event(subject_type=SUBJECT, subject_id=step.pk, action=action, actor=actor,
                 actor_unit=actor.primary_unit(Role.SUPERVISOR), actor_role=Role.SUPERVISOR, reason=reason,
                 data={"unit": step.unit.code, "level": step.level, **data})


def issue(actor: Any, raw: dict[str, Any]) -> UnitStep:
    """Issues a 约谈 or 问责 to a unit, due in working days on the city's calendar."""
    from jiesu.worktime.calendar import get_calendar

    require_perm(actor, Perm.SUPERVISION_ISSUE)
    data = parse_input(UnitStepInput, raw)
    assert isinstance(data, UnitStepInput)
    unit = _unit(data.unit)
    now = clock.now()
    with transaction.atomic():
        tickets = _tickets_of_unit(unit, data.tickets)
        step = UnitStep.objects.create(unit=unit, level=data.level, reason=data.reason, document=data.document,
                                       due_at=get_calendar().add_working_days(now, data.working_days),
                                       issued_by=actor, issued_at=now)
        step.tickets.set(tickets)
        _event(actor, step, ISSUE, {"tickets": [t.number for t in tickets], "due_at": step.due_at.isoformat()},
               data.reason)
    return step


def close(actor: Any, step_id: int, raw: dict[str, Any]) -> UnitStep:
    """Records the unit's rectification and closes the step; a closed step stays closed."""
    require_perm(actor, Perm.SUPERVISION_ISSUE)
    data = parse_input(CloseUnitStepInput, raw)
    assert isinstance(data, CloseUnitStepInput)
    with transaction.atomic():
        step = UnitStep.objects.select_for_update().filter(pk=step_id).first()
        if step is None:
            raise NotFound()
        if step.closed_at is not None:
            raise ActionNotAllowed(_("该约谈/问责已办结。"))
        step.closed_at, step.closed_by, step.outcome = clock.now(), actor, data.outcome
        step.save(update_fields=["closed_at", "closed_by", "outcome"])
        _event(actor, step, CLOSE, {"late": step.closed_at > step.due_at}, data.outcome)
    return step


def visible_steps(user: Any) -> Any:
    """The unit steps a user may see: the supervisors' all; a unit's staff those of their units."""
    return restrict(UnitStep.objects.select_related("unit", "issued_by").prefetch_related("tickets"), user,
                    Perm.UNIT_VIEW)


def open_steps(user: Any, now: Any) -> list[UnitStep]:
    """The open steps the user may see, soonest deadline first, each marked ``late`` when it has passed."""
    steps = list(visible_steps(user).filter(closed_at__isnull=True).order_by("due_at"))
    for step in steps:
        step.late = step.due_at < now  # type: ignore[attr-defined]
    return steps
