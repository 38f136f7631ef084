"""未诉先办: the centre's proactive tasks (docs/dev/proactive-tasks.md).

A task is a ticket of kind ``task`` on the channel 主动治理, registered by the centre and dispatched at once to
one unit with the centre's deadline; from then on it goes through the lifecycle table like any ticket (sign,
reply, review, urge, supervise). Its members are citizens' tickets: those waiting for dispatch are dispatched to
the task's unit when attached. The task's reply answers every member the unit holds, each through the reply
action (sign first where still unsigned), and the review of the task's reply reviews theirs: one event per
member, in the task's transaction, all or nothing. Each member then waits for its own follow-up call.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Any

from django.db import transaction

from jiesu.catalog.models import PROACTIVE_TASK, Category
from jiesu.core import clock
from jiesu.core.errors import PermissionDeniedError, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm
from jiesu.core.scope import require_perm
from jiesu.org.models import Unit
from jiesu.tickets import inputs as i
from jiesu.tickets.deadlines import clock_start
from jiesu.tickets.models import Assignment, ProactiveTask, TaskMember, Ticket
from jiesu.tickets.numbering import created_on, give_number, new_query_code, provisional_number
from jiesu.tickets.services import lookups
from jiesu.tickets.services.base import TICKET_SUBJECT, Act
from jiesu.tickets.services.clocks import refresh_next_due, start_dispatch_clock
from jiesu.tickets.snapshot import snapshot
from jiesu.tickets.states import OPEN_STATES, AssignmentRole, AssignmentStatus, State

TASK_CHANNEL = "task"
WAITING_FOR_DISPATCH = frozenset({State.RECEIVED, State.DISPATCHING})
S = AssignmentStatus


def create_task(actor: Any, raw: dict[str, Any]) -> Ticket:
    """Registers a task, dispatches it to its unit, attaches its members (dispatching those still waiting):
    one transaction; the task's accept and dispatch events, and a dispatch event per member dispatched."""
    if not require_perm(actor, Perm.TASK_CREATE).city_wide:
        raise PermissionDeniedError()
    data = i.parse_input(i.CreateTaskInput, raw)
    assert isinstance(data, i.CreateTaskInput)
    unit = lookups.unit_by_code(data.lead_unit)
    members = _members(data.members)
    category = lookups.category_by_code(data.category) if data.category else _common_category(members)
    if category is None:
        raise ValidationFailed(field_errors={"category": ["关联工单都没有分类，请选择任务的诉求分类。"]})
    due_at = _due_at(data.due_on)
    from jiesu.tickets.services import perform

    with transaction.atomic():
        ticket = _register(actor, data, category, [m.number for m in members])
        task = ProactiveTask.objects.create(ticket=ticket, due_at=due_at, hot_issue_id=data.hot_issue,
                                            hot_issue_description=data.hot_issue_description)
        perform(actor, ticket, "dispatch", {"lead_unit": unit.code, "note": data.content[:200]})
        for member in members:
            _attach(actor, task, member, unit, category)
    return Ticket.objects.get(pk=ticket.pk, **created_on(ticket.number))


def _members(numbers: list[str]) -> list[Ticket]:
    found, errors = [], []
    for number in dict.fromkeys(n.strip() for n in numbers if n.strip()):
        ticket = Ticket.objects.filter(number=number, **created_on(number)).first()
        if ticket is None:
            errors.append(f"工单“{number}”不存在。")
        elif ticket.kind == PROACTIVE_TASK:
            errors.append(f"“{number}”本身是主动治理任务。")
        elif ticket.status in (State.MERGED, State.REJECTED):
            errors.append(f"工单“{number}”已并单或不予受理。")
        elif TaskMember.objects.filter(ticket=ticket, answers=True, task__ticket__status__in=OPEN_STATES).exists():
            errors.append(f"工单“{number}”已在另一项在办任务中。")
        else:
            found.append(ticket)
    if errors:
        raise ValidationFailed(field_errors={"members": errors})
    return found


def _common_category(members: list[Ticket]) -> Category | None:
    counts = Counter(m.category_id for m in members if m.category_id)
    return Category.objects.get(pk=counts.most_common(1)[0][0]) if counts else None


def _due_at(day: date) -> datetime:
    """The end of the last working period of ``day`` (a task is due by the close of business)."""
    from jiesu.worktime.calendar import SHANGHAI, get_calendar

    end: time = get_calendar().periods[-1][1]
    due = datetime.combine(day, end, SHANGHAI)
    if due <= clock.now():
        raise ValidationFailed(field_errors={"due_on": ["任务期限须晚于现在。"]})
    return due


def _register(actor: Any, data: i.CreateTaskInput, category: Category, members: list[str]) -> Ticket:
    now = clock.now()
    ticket = Ticket(query_code=new_query_code(), status=State.RECEIVED, is_anonymous=True, kind=PROACTIVE_TASK,
                    category=category, region=lookups.region_by_code(data.region) if data.region else None,
                    channel=lookups.channel_by_code(TASK_CHANNEL), title=data.title, content=data.content,
                    created_by=actor, created_at=now, clock_started_at=clock_start(now))
    start_dispatch_clock(ticket)
    refresh_next_due(ticket, now)
    ticket.number = provisional_number()
    ticket.save(force_insert=True)
    give_number(ticket)
    record_event(subject_type=TICKET_SUBJECT, subject_id=ticket.pk, action="accept", actor=actor,
                 actor_unit=actor.primary_unit("dispatcher"), actor_role="dispatcher",
                 after=snapshot(ticket, assignments=()),
                 data={"channel": TASK_CHANNEL, "number": ticket.number, "members": members,
                       "hot_issue": data.hot_issue})
    return ticket


def _attach(actor: Any, task: ProactiveTask, member: Ticket, unit: Unit, category: Category) -> None:
    """A member waiting for dispatch goes to the task's unit; one the unit holds as lead is answered by the
    task too; any other (another unit's, or past its reply) is attached for reference."""
    from jiesu.tickets.services import perform

    answers = member.status in WAITING_FOR_DISPATCH
    if answers:
        perform(actor, member, "dispatch", {"lead_unit": unit.code, "note": f"主动治理任务 {task.ticket.number}",
                                            "category": None if member.category_id else category.code})
    else:
        answers = member.status in (State.ASSIGNED, State.IN_PROGRESS) and member.lead_unit_id == unit.pk
    TaskMember.objects.create(task=task, ticket=member, answers=answers)


def _held(member: TaskMember, unit_id: int, statuses: set[str]) -> Assignment | None:
    return Assignment.objects.filter(ticket_id=member.ticket_id, unit_id=unit_id, role=AssignmentRole.LEAD,
                                     is_current=True, status__in=statuses).first()


def answer_members(act: Act, data: i.ReplyInput) -> None:
    """The task's reply, given to each member its unit still holds as lead (signed for first if need be), by
    the reply action; a member that has left the unit or waits for an extension's review keeps its own way."""
    from jiesu.tickets.services import perform

    assert act.unit is not None
    answered, left = [], []
    for member in TaskMember.objects.filter(task__ticket=act.ticket, answers=True).select_related("ticket"):
        number = member.ticket.number
        pending = _held(member, act.unit.pk, {S.PENDING_SIGN})
        if pending is not None:
            perform(act.actor, number, "sign", {"assignment_id": pending.pk})
        signed = _held(member, act.unit.pk, {S.SIGNED})
        if signed is None or signed.extension_requested_days:
            left.append(number)
            continue
        perform(act.actor, number, "reply", {"assignment_id": signed.pk, "result": data.result, "basis": data.basis})
        member.answered_at = act.now
        member.save(update_fields=["answered_at"])
        answered.append(number)
    act.data = {**act.data, "members_answered": answered, "members_left": left}


def review_members(act: Act, data: i.ReviewReplyInput) -> None:
    """The review of the task's reply, given to the members that reply answered and still wait for review."""
    from jiesu.tickets.services import perform

    assert act.assignment is not None
    reviewed = []
    for member in TaskMember.objects.filter(task__ticket=act.ticket, answers=True, answered_at__isnull=False,
                                            ticket__status=State.REPLIED).select_related("ticket"):
        if _held(member, act.assignment.unit_id, {S.REPLIED}) is not None:
            perform(act.actor, member.ticket.number, "review_reply",
                    {"decision": data.decision, "opinion": data.opinion})
            reviewed.append(member.ticket.number)
    act.data = {**act.data, "members_reviewed": reviewed}


def is_task(ticket: Ticket) -> bool:
    return ticket.kind == PROACTIVE_TASK
