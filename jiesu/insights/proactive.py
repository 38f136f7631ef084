"""A proactive task (未诉先办) from a hot issue: the issue's description, tickets, category and usual unit as the
task's defaults, the task itself made by ``tickets.services.proactive.create_task`` (docs/dev/proactive-tasks.md).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from jiesu.core.errors import NotFound, PermissionDeniedError
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.insights.models import HotIssue
from jiesu.tickets.inputs import CreateTaskInput
from jiesu.tickets.models import TaskMember, Ticket
from jiesu.tickets.services.proactive import create_task
from jiesu.tickets.states import OPEN_STATES, State

MAX_MEMBERS = int(CreateTaskInput.model_fields["members"].metadata[0].max_length)


def issue_or_404(issue_id: int) -> HotIssue:
    issue = HotIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        raise NotFound("找不到该热点问题。")
    return issue


def member_tickets(issue: HotIssue) -> list[Ticket]:
    """The issue's tickets a task may take: not merged or rejected, in no other open task; open ones first,
    then the latest, at most ``MAX_MEMBERS``."""
    taken = TaskMember.objects.filter(answers=True, task__ticket__status__in=OPEN_STATES).values("ticket_id")
    tickets = (Ticket.objects.filter(hot_issue_member__issue=issue).exclude(status__in=[State.MERGED, State.REJECTED])
               .exclude(pk__in=taken).select_related("lead_unit", "category"))
    return sorted(tickets, key=lambda t: (t.status not in OPEN_STATES, -t.created_at.timestamp()))[:MAX_MEMBERS]


def draft(issue: HotIssue) -> dict[str, Any]:
    """The task's defaults: what the centre confirms or changes before creating it."""
    members = member_tickets(issue)
    units = Counter(t.lead_unit.code for t in members if t.lead_unit is not None)
    categories = Counter(t.category.code for t in members if t.category is not None)
    title = f"主动治理：{issue.description or issue.place}"[:200]
    content = (f"热点问题“{issue.description}”：{issue.requesters} 位诉求人、{issue.tickets} 件工单"
               f"（{issue.first_at:%Y-%m-%d} 至 {issue.last_at:%Y-%m-%d}）。请排查根源，统一整改并答复。")
    return {"title": title, "content": content, "lead_unit": units.most_common(1)[0][0] if units else "",
            "category": categories.most_common(1)[0][0] if categories else None,
            "members": [t.number for t in members]}


def create_task_from_issue(actor: Any, issue_id: int, raw: dict[str, Any]) -> Ticket:
    """The task for the issue: the draft, overridden by what the centre entered (``raw``)."""
    if not has_perm(actor, Perm.TASK_CREATE):
        raise PermissionDeniedError()
    issue = issue_or_404(issue_id)
    data = {**draft(issue), **{k: v for k, v in raw.items() if v not in (None, "")}}
    data.update(hot_issue=issue.pk, hot_issue_description=issue.description[:300])
    return create_task(actor, data)
