"""What the ticket page shows, gathered from `jiesu.tickets.queries` and the ticket's own records.

Nothing here decides anything: which actions appear is `queries.ready_actions`, what the viewer sees of the
requester is `queries.requester_view`, and the forms come from `action_forms.form_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jiesu.catalog.models import PROACTIVE_TASK
from jiesu.catalog.queries import suggest_units
from jiesu.core.permissions import Perm, Role
from jiesu.core.scope import scope_of
from jiesu.notify.queries import ticket_messages
from jiesu.org.queries import region_path
from jiesu.tickets import marks, queries
from jiesu.tickets.lifecycle import Transition
from jiesu.tickets.models import Reply, Ticket
from jiesu.tickets.states import Action, State
from jiesu.web.action_forms import ActionForm, form_for

# The action most likely wanted next comes first and opens by itself; the rest stay folded.
PRIORITY = [Action.DISPATCH, Action.SIGN, Action.CONTACT, Action.REPLY, Action.REVIEW_RETURN, Action.ADJUDICATE,
            Action.REVIEW_EXTENSION, Action.REVIEW_REPLY, Action.VISIT, Action.CLOSE, Action.ANSWER,
            Action.URGE, Action.SUPERVISE, Action.REQUEST_EXTENSION, Action.REQUEST_RETURN, Action.REDISPATCH,
            Action.REOPEN, Action.HANDOVER, Action.MERGE, Action.REJECT]
# One key per action on the ticket page (shown on each form; `?` lists them). n/p/q/? stay free for moving.
ACTION_KEYS = {
    Action.DISPATCH: "d", Action.SIGN: "s", Action.CONTACT: "c", Action.REPLY: "r", Action.REVIEW_RETURN: "t",
    Action.ADJUDICATE: "y", Action.REVIEW_EXTENSION: "e", Action.REVIEW_REPLY: "a", Action.VISIT: "v",
    Action.CLOSE: "b", Action.ANSWER: "w", Action.URGE: "u", Action.SUPERVISE: "g", Action.REQUEST_EXTENSION: "l",
    Action.REQUEST_RETURN: "h", Action.REDISPATCH: "x", Action.REOPEN: "o", Action.HANDOVER: "f",
    Action.MERGE: "m", Action.REJECT: "z",
}
# Never opened by themselves: they undo or end the normal course, so the user has to choose them.
NEVER_OPEN = {Action.REOPEN, Action.REJECT, Action.MERGE, Action.REQUEST_RETURN, Action.REDISPATCH, Action.HANDOVER}
STATUS_KEY = "status"
# What a field means in this action, where the field's own label cannot say it (otherwise the table's `requires`).
HINTS = {
    Action.REVIEW_RETURN: _("同意退单时，可直接选择改派的主办单位；不选则退回待派单。"),
    Action.ADJUDICATE: _("认定的单位负责办理；勾选“写入派单目录”后，同类诉求今后按此结论派单。"),
    Action.VISIT: _("未接通时只选“未接通”；接通时须填写解决情况和满意度。"),
}


@dataclass
class TimelineEntry:
    at: Any
    label: str
    actor: str
    unit: str
    role: str
    reason: str
    before: str
    after: str


def _state_label(value: Any) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return ""


# Events that are not actions of the table: the sweep's marks (by the clock they concern) and attachments.
SWEEP_EVENTS = {"deadline_warning": _("{clock}时限预警"), "deadline_overdue": _("{clock}超期"), "attach": _("上传附件"),
                "notify_opt_out": _("诉求人退订通知")}
CLOCK_LABELS = {"dispatch": pgettext_lazy("clock", "派单"), "sign": pgettext_lazy("clock", "签收"),
                "reply": pgettext_lazy("clock", "办理"), "visit": pgettext_lazy("clock", "回访")}


def _action_label(value: str, data: dict[str, Any] | None = None) -> str:
    if value in SWEEP_EVENTS:
        return str(SWEEP_EVENTS[value]).format(clock=str(CLOCK_LABELS.get((data or {}).get("clock", ""), "")))
    try:
        return str(Action(value).label)
    except ValueError:
        return value


def _role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


def timeline(ticket: Ticket) -> list[TimelineEntry]:
    return [TimelineEntry(
        at=e.occurred_at, label=_action_label(e.action, e.data),
        actor=str(e.actor) if e.actor_id else pgettext("actor", "系统"), unit=e.actor_unit_name,
        role=_role_label(e.actor_role) if e.actor_role else "", reason=e.reason,
        before=_state_label((e.before or {}).get(STATUS_KEY)), after=_state_label((e.after or {}).get(STATUS_KEY)),
    ) for e in queries.ticket_events(ticket).order_by("occurred_at", "id")]


def _dispatch_values(ticket: Ticket) -> tuple[dict[str, Any], str]:
    """The dispatch form starts with the catalog's proposal; the dispatcher confirms or changes it."""
    found = suggest_units(category=ticket.category, region=ticket.region)
    if not found:
        return {}, gettext("派单目录中没有匹配的规则，请选择承办单位。")
    best = found[0]
    values = {"lead_unit": best.unit.code, "assist_units": [u.code for u in best.co_units]}
    return values, gettext("建议：%(reason)s") % {"reason": best.reason}


def _hint(ticket: Ticket, row: Transition) -> str:
    """The action's hint, else the table's condition as it applies in the ticket's state, in the language of this
    request (closing after a follow-up call that reached the citizen has no further condition)."""
    if row.action in HINTS:
        return str(HINTS[row.action])
    requires = row.condition_in(ticket.status)
    return gettext("条件：%(requires)s") % {"requires": str(requires)} if requires else ""


def _form(ticket: Ticket, row: Transition) -> ActionForm:
    values, hint = _dispatch_values(ticket) if row.action == Action.DISPATCH else ({}, "")
    if row.action == Action.DISPATCH and ticket.category is not None:
        values["category"] = ticket.category.code
    form = form_for(row.action, values=values)
    form.hint = hint or _hint(ticket, row)
    return form


def action_forms(user: Any, ticket: Ticket, *, failed: ActionForm | None = None) -> list[ActionForm]:
    ready = {row.action: row for row in queries.ready_actions(user, ticket)}
    forms = []
    for action in [a for a in PRIORITY if a in ready]:
        forms.append(failed if failed is not None and failed.action == action else _form(ticket, ready[action]))
    first = next((f for f in forms if f.action not in NEVER_OPEN), None)
    if first is not None:
        first.primary = True
    for f in forms:
        f.key = ACTION_KEYS.get(Action(f.action), "")
    return forms


def call_script(ticket: Ticket) -> dict[str, Any] | None:
    """A short script for the follow-up call, with the reply the citizen is asked about."""
    if ticket.status != State.VISITING:
        return None
    reply = Reply.objects.filter(assignment__ticket=ticket).order_by("-id").first()
    return {"created": ticket.created_at, "title": ticket.title, "reply": reply.result if reply else "",
            "unit": ticket.lead_unit.name if ticket.lead_unit else ""}


def assignments_of(ticket: Ticket) -> list[Any]:
    return list(ticket.assignments.select_related("unit").order_by("-is_current", "id"))


def records(ticket: Ticket) -> dict[str, Any]:
    return {
        "assignments": assignments_of(ticket),
        "replies": list(Reply.objects.filter(assignment__ticket=ticket).select_related("assignment__unit")
                        .order_by("id")),
        "visits": list(ticket.visits.order_by("id")),
        "adjudications": list(ticket.adjudications.select_related("assignment__unit", "decided_unit")
                              .prefetch_related("refusing_units").order_by("id")),
        "orders": list(ticket.supervision_orders.select_related("unit").order_by("id")),
        "attachments": list(ticket.attachments.order_by("id")),
    }


def place(ticket: Ticket) -> str:
    return " › ".join(r.name for r in region_path(ticket.region)) if ticket.region else ""


def page_context(user: Any, ticket: Ticket, *, failed: ActionForm | None = None,
                 requester: dict[str, Any] | None = None, done: str = "") -> dict[str, Any]:
    requester = requester or queries.requester_view(user, ticket)
    return {
        "ticket": ticket, **records(ticket), "timeline": timeline(ticket), "requester": requester,
        "notifications": ticket_messages(ticket, show_requester=bool(requester["phone"])),
        "forms": action_forms(user, ticket, failed=failed), "script": call_script(ticket),
        "query_code": ticket.query_code if scope_of(user, Perm.TICKET_CREATE).city_wide else None,
        "done": done, "place": place(ticket), "marks": marks.marks_for([ticket]).get(ticket.pk, []),
        "task": queries.task_view(user, ticket.number) if ticket.kind == PROACTIVE_TASK else None,
    }
