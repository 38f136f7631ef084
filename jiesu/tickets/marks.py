"""Supervision marks shown where the work happens: 督办 (an open supervision order with its deadline), 催办 (urged,
how often) and 预警 (a running deadline inside its warning time), for many tickets at once.

Packages above `tickets` add their own ticket-level steps (issue 11's ladder: 提示, 约谈, 问责 …) with
`register_source`, without this module knowing them. Reading only; the marks come from the records the services
and the sweep keep (orders, urge counts, warning moments).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import pgettext_lazy

from jiesu.core import clock
from jiesu.tickets.models import Assignment, SupervisionOrder, Ticket
from jiesu.tickets.states import AssignmentStatus, State

SUPERVISE, URGE, WARNING = "supervise", "urge", "warning"
WARN_STEP, PROMPT_STEP = "warn", "prompt"  # the ladder's 预警 and 提示 steps (SupervisionOrder levels)
# The order marks are shown in, most pressing first; a registered source's kinds go after these.
ORDER = {SUPERVISE: 0, WARN_STEP: 1, URGE: 2, PROMPT_STEP: 3, WARNING: 4}
LABELS = {SUPERVISE: pgettext_lazy("mark", "督办"), URGE: pgettext_lazy("mark", "催办"),
          WARNING: pgettext_lazy("mark", "预警"), WARN_STEP: pgettext_lazy("ladder mark", "预警"),
          PROMPT_STEP: pgettext_lazy("ladder mark", "提示")}
_LEVEL_KIND: dict[str, str] = {SupervisionOrder.Level.ORDER: SUPERVISE, SupervisionOrder.Level.WARNING: WARN_STEP,
               SupervisionOrder.Level.PROMPT: PROMPT_STEP}


@dataclass(frozen=True)
class Mark:
    kind: str
    label: Any
    due_at: datetime | None = None
    count: int = 0
    text: str = ""
    late: bool = False  # its own deadline has passed (an order not answered in time)


Source = Callable[[list[int], datetime], dict[int, list[Mark]]]
_SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    """Adds marks from another package: ``source(ticket_ids, now) -> {ticket_id: [Mark]}``."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def _orders(ids: list[int], now: datetime) -> dict[int, list[Mark]]:
    found: dict[int, list[Mark]] = {}
    for o in SupervisionOrder.objects.filter(ticket_id__in=ids, closed_at__isnull=True).order_by("due_at", "id"):
        kind = _LEVEL_KIND.get(o.level, SUPERVISE)
        found.setdefault(o.ticket_id, []).append(Mark(kind, LABELS[kind], o.due_at, text=o.text, late=o.due_at < now))
    return found


def _current(ids: list[int]) -> QuerySet[Assignment]:
    return Assignment.objects.filter(ticket_id__in=ids, is_current=True)


def _urged(ids: list[int], now: datetime) -> dict[int, list[Mark]]:
    found: dict[int, list[Mark]] = {}
    for a in _current(ids).filter(urge_count__gt=0).order_by("id"):
        due = a.sign_due_at if a.status == AssignmentStatus.PENDING_SIGN else a.reply_due_at
        found.setdefault(a.ticket_id, []).append(Mark(URGE, LABELS[URGE], due, count=a.urge_count))
    return found


def warning_q(now: datetime) -> Q:
    """Current assignments whose running sign-by or reply-by is inside its warning time (not yet past)."""
    return (Q(status=AssignmentStatus.PENDING_SIGN, sign_warn_at__lte=now, sign_due_at__gte=now)
            | Q(status=AssignmentStatus.SIGNED, reply_warn_at__lte=now, reply_due_at__gte=now))


def _warned(ids: list[int], now: datetime) -> dict[int, list[Mark]]:
    found: dict[int, list[Mark]] = {}
    for a in _current(ids).filter(warning_q(now)).order_by("id"):
        due = a.sign_due_at if a.status == AssignmentStatus.PENDING_SIGN else a.reply_due_at
        if not any(m.kind == WARNING for m in found.get(a.ticket_id, [])):
            found.setdefault(a.ticket_id, []).append(Mark(WARNING, LABELS[WARNING], due))
    for t in Ticket.objects.filter(pk__in=ids).filter(
            Q(dispatch_warn_at__lte=now, dispatch_due_at__gte=now, dispatched_at__isnull=True, status__in=[
                State.RECEIVED, State.DISPATCHING]) | Q(visit_warn_at__lte=now, visit_due_at__gte=now, status=State.VISITING)):
        if not found.get(t.pk):
            due = t.visit_due_at if t.status == State.VISITING else t.dispatch_due_at
            found.setdefault(t.pk, []).append(Mark(WARNING, LABELS[WARNING], due))
    return found


def marks_for(tickets: Iterable[Ticket | int], now: datetime | None = None) -> dict[int, list[Mark]]:
    """{ticket id: [Mark, …]} for these tickets, most pressing first; a ticket without marks is left out.
    A fixed number of queries, however many tickets."""
    ids = [t if isinstance(t, int) else t.pk for t in tickets]
    if not ids:
        return {}
    now = now or clock.now()
    merged: dict[int, list[Mark]] = {}
    for source in (_orders, _urged, _warned, *_SOURCES):
        for pk, marks in source(ids, now).items():
            merged.setdefault(pk, []).extend(marks)
    return {pk: sorted(m, key=lambda mark: ORDER.get(mark.kind, len(ORDER))) for pk, m in merged.items()}


def supervised_first(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The rows annotated for putting the supervised (an open order), then the urged, before the rest."""
    orders = SupervisionOrder.objects.filter(ticket=OuterRef("pk"), closed_at__isnull=True)
    urged = Assignment.objects.filter(ticket=OuterRef("pk"), is_current=True, urge_count__gt=0)
    return qs.annotate(is_supervised=Exists(orders), is_urged=Exists(urged))


SUPERVISED_FIRST = ["-is_supervised", "-is_urged"]
