"""Reading tickets: the one scoped list, queues, what a user may do now, and what they may see of the requester."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jiesu.catalog.models import Kind
from jiesu.core import clock
from jiesu.core.errors import DomainError, NotFound
from jiesu.core.events import events_of, log_reveal
from jiesu.core.masking import mask_name, mask_phone
from jiesu.core.permissions import Perm, Role
from jiesu.core.scope import restrict, scope_of
from jiesu.org.models import Unit
from jiesu.org.queries import visible_units
from jiesu.tickets.lifecycle import TABLE, Transition
from jiesu.tickets.models import Assignment, SupervisionOrder, Ticket
from jiesu.tickets.numbering import created_on
from jiesu.tickets.privacy import PROTECTED, RevealNotAllowed, is_protected, unit_refusal
from jiesu.tickets.services.base import TICKET_SUBJECT, acting_unit_ids, authorise
from jiesu.tickets.services.lookups import prefetched_assignments, with_related
from jiesu.tickets.snapshot import CLOCK_SLACK, assignments_of
from jiesu.tickets.states import (
    OPEN_STATES,
    Action,
    AssignmentRole,
    AssignmentStatus,
    ClosingType,
    State,
    VisitOutcome,
)


def visible_tickets(user: Any) -> QuerySet[Ticket]:
    """Every list and export of tickets starts here: the rows this user may see."""
    return restrict(Ticket.objects.all(), user, Perm.TICKET_VIEW)


def get_ticket(user: Any, number: str) -> Ticket:
    """One ticket the user may see (its category, channel, region and lead unit from the process's copies)."""
    try:
        return with_related(visible_tickets(user).get(number=number, **created_on(number)))
    except Ticket.DoesNotExist as exc:
        raise NotFound() from exc


def require_visible(user: Any, number: str) -> None:
    """NotFound unless the user may see this ticket. No query for city-wide staff: the lock taken by the
    action itself answers NotFound for a number that does not exist."""
    if scope_of(user, Perm.TICKET_VIEW).city_wide:
        return
    if not visible_tickets(user).filter(number=number, **created_on(number)).exists():
        raise NotFound()


@dataclass(frozen=True)
class TicketFilter:
    status: list[str] | None = None
    unit: str | None = None
    kind: str | None = None
    category: str | None = None
    overdue: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None


def overdue_q(now: datetime) -> Q:
    """Tickets with a running deadline already passed, or with an overdue mark kept from earlier."""
    marks = Q(dispatch_overdue_at__isnull=False) | Q(visit_overdue_at__isnull=False)
    marked_assignments = Assignment.objects.filter(
        Q(sign_overdue_at__isnull=False) | Q(reply_overdue_at__isnull=False)
    ).values("ticket_id")
    return Q(next_due_at__lt=now) | marks | Q(pk__in=marked_assignments)


def filter_units(user: Any) -> list[tuple[str, str]]:
    """The units a list of this user's tickets may be filtered by: those in the user's scope (a unit's staff see
    their own unit and its sub-units, not the whole city), without the centre."""
    units = visible_units(user, Perm.TICKET_VIEW).exclude(kind=Unit.Kind.CENTRE)
    return [(u.code, u.name) for u in units]


def filter_tickets(user: Any, f: TicketFilter) -> QuerySet[Ticket]:
    qs = visible_tickets(user)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.unit:
        qs = qs.filter(pk__in=Assignment.objects.filter(unit__code=f.unit).values("ticket_id"))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category)
                       | Q(category__parent__parent__code=f.category))
    if f.overdue is not None:
        cond = overdue_q(clock.now())
        qs = qs.filter(cond) if f.overdue else qs.exclude(cond)
    if f.created_from:
        qs = qs.filter(created_at__gte=f.created_from)
    if f.created_to:
        qs = qs.filter(created_at__lt=f.created_to)
    if f.q and created_on(f.q.upper()):  # a whole ticket number: one indexed row in one month
        qs = qs.filter(number=f.q.upper(), **created_on(f.q.upper()))
    elif f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(title__icontains=f.q) | Q(content__icontains=f.q))
    return qs


def _allowed(user: Any, ticket: Ticket, row: Transition) -> bool:
    if ticket.status not in row.from_states:
        return False
    try:
        authorise(user, ticket, row)
    except DomainError:
        return False
    return True


def allowed_actions(user: Any, ticket: Ticket) -> list[Transition]:
    """The actions of the table this user may take on this ticket now (before checking action-specific inputs)."""
    return [row for row in TABLE if _allowed(user, ticket, row)]


def _signed(a: Assignment) -> bool:
    return a.status == AssignmentStatus.SIGNED


# Conditions an action's service checks beyond the table (its `requires`), for offering only what will work.
_READY: dict[str, Callable[[Ticket, list[Assignment]], bool]] = {
    Action.ANSWER: lambda t, mine: t.kind == Kind.CONSULTATION,
    Action.SIGN: lambda t, mine: any(a.status == AssignmentStatus.PENDING_SIGN for a in mine),
    Action.CONTACT: lambda t, mine: unit_refusal(t, mine) is None,  # the unit may see the requester
    Action.REPLY: lambda t, mine: any(_signed(a) and not a.extension_requested_days for a in mine),
    Action.REQUEST_EXTENSION: lambda t, mine: any(
        _signed(a) and not a.extension_count and not a.extension_requested_days for a in mine),
    Action.REVIEW_EXTENSION: lambda t, mine: t.assignments.filter(
        is_current=True, status=AssignmentStatus.SIGNED, extension_requested_days__isnull=False).exists(),
    Action.CLOSE: lambda t, mine: t.status != State.VISITING or t.visits.filter(
        outcome=VisitOutcome.UNREACHABLE).exists(),
    Action.REOPEN: lambda t, mine: t.lead_unit_id is not None and t.closing_type != ClosingType.ANSWERED,
    Action.REDISPATCH: lambda t, mine: any(a.unit.children.filter(is_active=True).exists() for a in mine),
}


def ready_actions(user: Any, ticket: Ticket) -> list[Transition]:
    """`allowed_actions` without those whose further condition does not hold now (e.g. sign when already
    signed): what a page offers as forms."""
    ready = []
    for row in allowed_actions(user, ticket):
        check = _READY.get(row.action)
        mine = authorise(user, ticket, row)[1] if check else []
        if check is None or check(ticket, mine):
            ready.append(row)
    return ready


def ticket_events(ticket: Ticket) -> QuerySet[Any]:
    """The ticket's events; none precedes its acceptance, which lets PostgreSQL skip the older months."""
    return events_of(TICKET_SUBJECT, ticket.pk).filter(occurred_at__gte=ticket.created_at - CLOCK_SLACK
                                                       ).select_related("actor")


def current_assignments(ticket: Ticket) -> list[Assignment]:
    """The ticket's current assignments, lead first; from what the last action left when it is known."""
    known = prefetched_assignments(ticket)
    if known is not None:
        return sorted((a for a in known if a.is_current), key=lambda a: (a.role, a.pk))
    return list(assignments_of(ticket).filter(is_current=True).select_related("unit").order_by("role", "id"))


def _is_centre_staff(user: Any) -> bool:
    return scope_of(user, Perm.PERSONAL_DATA_REVEAL).city_wide


def reveal_refusal(user: Any, ticket: Ticket) -> RevealNotAllowed | None:
    """Why this user may not see the requester's name and phone in full now; None when they may. The one rule
    for the full view, its button and the contact action: the centre's staff may; a unit only as
    `privacy.unit_refusal` says (signed for and handling it; never an anonymous requester or a whistle-blower).
    A unit's own assignments are those of the units the user holds the handler role in (`acting_unit_ids`)."""
    if _is_centre_staff(user):
        return None
    units = acting_unit_ids(user, {Role.HANDLER})
    if not units:
        return RevealNotAllowed(PROTECTED) if is_protected(ticket) else RevealNotAllowed()
    return unit_refusal(ticket, ticket.assignments.filter(is_current=True, unit_id__in=units))


def requester_view(user: Any, ticket: Ticket, *, reveal: bool = False) -> dict[str, Any]:
    """What this user sees of the requester: masked, or with `reveal=True` in full — logged, and refused with
    `RevealNotAllowed` (nothing logged) where `reveal_refusal` gives a reason."""
    refusal = reveal_refusal(user, ticket)
    if reveal and refusal is not None:
        raise refusal
    view = {"name": "", "phone": "", "masked": True, "may_reveal": refusal is None, "anonymous": ticket.is_anonymous,
            "whistleblower": ticket.is_whistleblower, "reveal_note": str(refusal.message) if refusal else ""}
    if refusal is not None and is_protected(ticket):
        return view
    if not reveal:
        return {**view, "name": mask_name(ticket.requester_name), "phone": mask_phone(ticket.requester_phone)}
    log_reveal(user=user, subject_type=TICKET_SUBJECT, subject_id=ticket.pk, fields=["name", "phone"],
               purpose="处理工单")
    return {**view, "name": ticket.requester_name, "phone": ticket.requester_phone, "masked": False}


QUEUES: dict[str, tuple[str, Q]] = {
    "open": ("在办", Q(status__in=OPEN_STATES)),
    "dispatching": ("待派单", Q(status__in=[State.RECEIVED, State.DISPATCHING])),
    "to_sign": ("待签收", Q(status=State.ASSIGNED)),
    "in_progress": ("办理中", Q(status=State.IN_PROGRESS)),
    "return_review": ("退单待审", Q(status=State.RETURN_REVIEW)),
    "extension_review": ("延期待批", Q(pk__in=Assignment.objects.filter(
        is_current=True, extension_requested_days__isnull=False).values("ticket_id"))),
    "adjudicating": ("研判中", Q(status=State.ADJUDICATING)),
    "reply_review": ("待审核", Q(status=State.REPLIED)),
    "visiting": ("待回访", Q(status=State.VISITING)),
    "reopened": ("重办", Q(reopen_count__gt=0) & ~Q(status__in=[State.CLOSED, State.VISITED, State.VISITING])),
    "supervised": ("督办中", Q(pk__in=SupervisionOrder.objects.filter(
        closed_at__isnull=True, level=SupervisionOrder.Level.ORDER).values("ticket_id"))),
}
TIMED_QUEUES: dict[str, str] = {"warning": "即将超期", "overdue": "已超期"}


def queue_label(name: str) -> str:
    """The Chinese name of a queue; KeyError for a name that is not a queue."""
    return TIMED_QUEUES[name] if name in TIMED_QUEUES else QUEUES[name][0]


def queue(user: Any, name: str) -> QuerySet[Ticket]:
    if name in TIMED_QUEUES:
        scope = scope_of(user, Perm.TICKET_VIEW)
        if not scope.city_wide:  # a unit: its own sign-by and reply-by, not the centre's dispatch or visit clocks
            return visible_tickets(user).filter(pk__in=_unit_clock_ids(scope.unit_ids, overdue=name == "overdue"))
    if name == "warning":
        return visible_tickets(user).filter(next_due_at__gte=clock.now(), pk__in=_warned_ids())
    if name == "overdue":
        return visible_tickets(user).filter(next_due_at__lt=clock.now())
    return visible_tickets(user).filter(QUEUES[name][1])


def _unit_clock_ids(unit_ids: frozenset[int], *, overdue: bool) -> QuerySet[Any]:
    """Tickets whose current assignment of one of these units is past (or, when not ``overdue``, warned and
    not yet past) its sign-by or reply-by."""
    now = clock.now()
    if overdue:
        late = (Q(status=AssignmentStatus.PENDING_SIGN, sign_due_at__lt=now)
                | Q(status=AssignmentStatus.SIGNED, reply_due_at__lt=now))
    else:
        late = (Q(status=AssignmentStatus.PENDING_SIGN, sign_warn_at__lte=now, sign_due_at__gte=now)
                | Q(status=AssignmentStatus.SIGNED, reply_warn_at__lte=now, reply_due_at__gte=now))
    return Assignment.objects.filter(late, is_current=True, unit_id__in=unit_ids).values("ticket_id")


def _warned_ids() -> QuerySet[Any]:
    now = clock.now()
    return Assignment.objects.filter(
        Q(status=AssignmentStatus.PENDING_SIGN, sign_warn_at__lte=now)
        | Q(status=AssignmentStatus.SIGNED, reply_warn_at__lte=now), is_current=True,
    ).values("ticket_id")


def tickets_of_day(user: Any, day: date) -> QuerySet[Ticket]:
    """A day's tickets to print: for a unit's staff those dispatched to their units that day, for the centre the
    tickets accepted that day; oldest first."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    scope = scope_of(user, Perm.TICKET_VIEW)
    rows = visible_tickets(user)
    if scope.city_wide:
        rows = rows.filter(created_at__gte=start, created_at__lt=end)
    else:
        rows = rows.filter(pk__in=Assignment.objects.filter(
            unit_id__in=scope.unit_ids, dispatched_at__gte=start, dispatched_at__lt=end).values("ticket_id"))
    return rows.select_related("category", "region", "channel", "lead_unit").order_by("created_at", "id")


def desk_stamp(user: Any) -> str:
    """A short value that changes whenever an open ticket this user sees changes (a transition saves the ticket),
    opens or leaves the open states, and every few minutes (warnings begin as time passes): a desk polls it and
    re-reads its queues only when it differs. One indexed aggregate query."""
    found = visible_tickets(user).filter(status__in=OPEN_STATES).aggregate(n=Count("id"), last=Max("updated_at"))
    last = found["last"].timestamp() if found["last"] else 0
    return f"{found['n']}-{int(last * 1000)}-{int(clock.now().timestamp() // STAMP_PERIOD)}"


STAMP_PERIOD = 300  # seconds


def lead_assignment(ticket: Ticket) -> Assignment | None:
    return ticket.assignments.filter(is_current=True, role=AssignmentRole.LEAD).order_by("-id").first()


def task_view(user: Any, number: str) -> dict[str, Any]:
    """A proactive task the user may see, with those of its member tickets the user may see."""
    from jiesu.tickets.models import ProactiveTask, TaskMember

    ticket = get_ticket(user, number)
    task = ProactiveTask.objects.filter(ticket=ticket).first()
    if task is None:
        raise NotFound("该工单不是主动治理任务。")
    visible = visible_tickets(user).filter(task_memberships__task=task).values("pk")
    members = TaskMember.objects.filter(task=task, ticket_id__in=visible).select_related("ticket")
    return {"ticket": ticket, "task": task, "members": list(members)}
