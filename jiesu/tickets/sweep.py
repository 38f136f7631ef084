"""The deadline sweep: marks warnings and overdue items once each, with an event per mark. Idempotent.

The periodic run (`jiesu sweep`, the `sweep_deadlines` task) also runs the jobs that packages above `tickets`
add with `register_job` (evaluation closes last month's ranking), without this module knowing them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from jiesu.core import clock as jiesu_clock
from jiesu.core.events import record_event
from jiesu.tickets.models import Assignment, SupervisionOrder, Ticket
from jiesu.tickets.services.base import TICKET_SUBJECT
from jiesu.tickets.snapshot import diff, snapshot
from jiesu.tickets.states import AssignmentStatus, State

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Clock:
    name: str
    model: Any
    due: str
    warn: str
    warned: str
    overdue: str
    running: Q


CLOCKS = (
    Clock("dispatch", Ticket, "dispatch_due_at", "dispatch_warn_at", "dispatch_warned_at", "dispatch_overdue_at",
          Q(status__in=[State.RECEIVED, State.DISPATCHING])),
    Clock("visit", Ticket, "visit_due_at", "visit_warn_at", "visit_warned_at", "visit_overdue_at",
          Q(status=State.VISITING)),
    Clock("sign", Assignment, "sign_due_at", "sign_warn_at", "sign_warned_at", "sign_overdue_at",
          Q(status=AssignmentStatus.PENDING_SIGN, is_current=True)),
    Clock("reply", Assignment, "reply_due_at", "reply_warn_at", "reply_warned_at", "reply_overdue_at",
          Q(status=AssignmentStatus.SIGNED, is_current=True)),
)


@dataclass
class SweepResult:
    warnings: int = 0
    overdue: int = 0
    orders_overdue: int = 0
    jobs: dict[str, int] = field(default_factory=dict)  # what each registered job did (the periodic run only)


def _ticket_id(obj: Any) -> int:
    return obj.pk if isinstance(obj, Ticket) else obj.ticket_id


def _mark(clock: Clock, pk: int, mark_field: str, condition: Q, value_of: Any, action: str) -> bool:
    """Sets one mark under the ticket's lock, if still due, and writes the event. False if someone was faster."""
    with transaction.atomic():
        obj = clock.model.objects.filter(pk=pk).first()
        if obj is None:
            return False
        ticket = Ticket.objects.select_for_update().get(pk=_ticket_id(obj))
        obj = clock.model.objects.filter(Q(pk=pk) & condition & clock.running).first()
        if obj is None:
            return False
        before = snapshot(ticket)
        clock.model.objects.filter(pk=pk).update(**{mark_field: value_of(obj)})
        ticket.refresh_from_db()
        changed_before, changed_after = diff(before, snapshot(ticket))
        data = {"clock": clock.name, "due_at": getattr(obj, clock.due).isoformat()}
        if clock.model is Assignment:  # whose clock it is (the unit's contacts are told)
            data["assignment"] = obj.pk
        record_event(subject_type=TICKET_SUBJECT, subject_id=ticket.pk, action=action, before=changed_before,
                     after=changed_after, data=data)
    return True


def sweep(now: datetime | None = None, batch: int = 1000) -> SweepResult:
    now = now or jiesu_clock.now()
    result = SweepResult()
    for clock in CLOCKS:
        warn_due = Q(**{f"{clock.warn}__lte": now, f"{clock.warned}__isnull": True, f"{clock.overdue}__isnull": True})
        for pk in _ids(clock, warn_due, batch):
            result.warnings += _mark(clock, pk, clock.warned, warn_due, lambda _o: now, "deadline_warning")
        overdue = Q(**{f"{clock.due}__lt": now, f"{clock.overdue}__isnull": True})
        for pk in _ids(clock, overdue, batch):
            result.overdue += _mark(clock, pk, clock.overdue, overdue,
                                    lambda o, c=clock: getattr(o, c.due), "deadline_overdue")
    late_orders = SupervisionOrder.objects.filter(closed_at__isnull=True, overdue_at__isnull=True, due_at__lt=now)
    for pk in late_orders.order_by("pk").values_list("pk", flat=True)[:batch]:
        result.orders_overdue += _mark_order(pk, now)
    return result


def _mark_order(pk: int, now: datetime) -> bool:
    """An open supervision step past its deadline gets its overdue mark, with an event (once)."""
    with transaction.atomic():
        ticket_id = SupervisionOrder.objects.filter(pk=pk).values_list("ticket_id", flat=True).first()
        if ticket_id is None:
            return False
        Ticket.objects.select_for_update().get(pk=ticket_id)
        order = SupervisionOrder.objects.filter(pk=pk, closed_at__isnull=True, overdue_at__isnull=True,
                                                due_at__lt=now).select_related("unit").first()
        if order is None:
            return False
        SupervisionOrder.objects.filter(pk=pk).update(overdue_at=now)
        record_event(subject_type=TICKET_SUBJECT, subject_id=ticket_id, action="supervision_overdue",
                     data={"order": pk, "level": order.level, "unit": order.unit.code,
                           "due_at": order.due_at.isoformat()})
    return True


def _ids(clock: Clock, condition: Q, batch: int) -> list[int]:
    return list(clock.model.objects.filter(condition & clock.running).order_by("pk").values_list("pk", flat=True)[:batch])


Job = Callable[[datetime], int]  # job(now) -> how many things it did; idempotent, as the sweep is
_JOBS: dict[str, Job] = {}


def register_job(name: str, job: Job) -> None:
    """Adds a job to the periodic run (from an app's ``ready()``); the same name again replaces it."""
    _JOBS[name] = job


def periodic(now: datetime | None = None) -> SweepResult:
    """The periodic run: the deadline sweep, then each registered job. A job that fails is logged and the others
    still run (the next run tries it again); the marks are already committed."""
    now = now or jiesu_clock.now()
    result = sweep(now)
    for name, job in _JOBS.items():
        try:
            result.jobs[name] = job(now)
        except Exception:
            log.exception("periodic job %s failed", name)
    return result
