"""What a citizen sees of their request (查询): found by its number and query code, told in plain words.

Only what the citizen may know: the steps of the loop with the units that handle it (never a member of staff,
never an internal note, a return dispute or an adjudication), the published reply (approved by the centre) or
the direct answer, and whether they may rate it now. Other people's personal data in a reply is masked.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from jiesu.core.models import Event
from jiesu.intelligence.pii import mask_personal_data
from jiesu.org.models import Unit
from jiesu.tickets.models import Reply, Ticket
from jiesu.tickets.states import ReplyReviewDecision, State

STATUS_WORDS = {
    State.RECEIVED: _("已受理，正在分派"), State.DISPATCHING: _("已受理，正在分派"),
    State.ASSIGNED: _("已派至承办单位，待签收"), State.IN_PROGRESS: _("承办单位正在办理"),
    State.RETURN_REVIEW: _("正在确定承办单位"), State.ADJUDICATING: _("正在确定承办单位"),
    State.REPLIED: _("承办单位已办理，答复审核中"), State.VISITING: _("已答复，等待您的评价或回访"),
    State.VISITED: _("已回访"), State.CLOSED: _("已办结"), State.MERGED: _("已与相同诉求合并办理"),
    State.REJECTED: _("不予受理"),
}
# event action → the sentence shown; %(unit)s is the unit named by the event (its data's "lead_unit" or "unit")
STEP_WORDS = {
    "accept": _("诉求已受理"), "answer": _("已直接答复"), "dispatch": _("已派至 %(unit)s 办理"),
    "redispatch": _("已转由 %(unit)s 办理"), "sign": _("%(unit)s 已签收，开始办理"),
    "contact": _("承办单位已与您联系"), "reopen": _("已安排重新办理"), "visit": _("已回访"),
    "close": _("已办结"), "merge": _("已与相同诉求合并办理，结果将一并答复"), "reject": _("不予受理"),
}
APPROVED_REPLY = "review_reply"
WEB_RATING_PREFIX = "【市民网上评价】"  # the note of a follow-up that is the citizen's own rating (channels.rating)


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


@dataclass
class Tracked:
    ticket: Ticket
    status: Any
    steps: list[Step] = field(default_factory=list)
    reply: str = ""
    reply_at: datetime | None = None
    may_rate: bool = False


def find(number: str, query_code: str) -> Ticket | None:
    """The ticket with this number whose query code matches (compared in constant time), else None; a wrong
    number and a wrong code look the same to the caller."""
    number, query_code = (number or "").strip().upper(), (query_code or "").strip()
    if not number or not query_code or len(number) > 40 or len(query_code) > 12:
        return None
    ticket = Ticket.objects.filter(number=number).first()
    if ticket is None or not hmac.compare_digest(ticket.query_code.encode(), query_code.encode()):
        return None
    return ticket


def rating_allowed() -> bool:
    return bool(getattr(settings, "JIESU_CITIZEN_RATING", True))


def _unit_names(events: list[Event]) -> dict[str, str]:
    codes = {str(e.data.get("lead_unit") or e.data.get("unit") or "") for e in events}
    return {u.code: u.short_name or u.name for u in Unit.objects.filter(code__in=codes - {""})}


def _step(event: Event, names: dict[str, str]) -> str | None:
    if event.action == APPROVED_REPLY:
        return str(_("承办单位已答复")) if event.data.get("decision") == ReplyReviewDecision.APPROVE else None
    if event.action == "visit" and event.data.get("outcome") != "reached":
        return None  # an unanswered follow-up call is no news to the citizen
    if event.action == "visit" and event.reason.startswith(WEB_RATING_PREFIX):
        return str(_("您已在网上评价"))
    words = STEP_WORDS.get(event.action)
    if words is None:
        return None
    code = str(event.data.get("lead_unit") or event.data.get("unit") or "")
    return str(words) % {"unit": names.get(code, str(_("承办单位")))}


def _steps(ticket: Ticket) -> list[Step]:
    events = list(Event.objects.filter(subject_type="ticket", subject_id=str(ticket.pk)).order_by("id"))
    names = _unit_names(events)
    return [Step(e.occurred_at, text) for e in events if (text := _step(e, names))]


def approved_replies() -> QuerySet[Reply]:
    """The replies the centre approved on lead assignments, newest first: what a citizen is shown."""
    return Reply.objects.filter(assignment__role="lead", review_decision=ReplyReviewDecision.APPROVE).order_by(
        "-created_at", "-id")


def with_published_reply(queryset: QuerySet[Any], ticket_field: str) -> QuerySet[Any]:
    """``queryset`` with the latest approved reply of the ticket at ``ticket_field`` (``reply_result``,
    ``reply_created_at``), for lists: one query, not one per row. Read it with `public_reply`."""
    latest = approved_replies().filter(assignment__ticket_id=OuterRef(ticket_field))
    return queryset.annotate(reply_result=Subquery(latest.values("result")[:1]),
                             reply_created_at=Subquery(latest.values("created_at")[:1]))


def public_reply(ticket: Ticket, result: str | None, created_at: datetime | None) -> tuple[str, datetime | None]:
    """What the citizen is told: the direct answer, else the approved reply; other people's data masked."""
    if ticket.answer_text:
        return mask_personal_data(ticket.answer_text), ticket.closed_at
    return (mask_personal_data(result), created_at) if result else ("", None)


def published_reply(ticket: Ticket) -> tuple[str, datetime | None]:
    reply = approved_replies().filter(assignment__ticket=ticket).first()
    return public_reply(ticket, reply.result if reply else None, reply.created_at if reply else None)


def may_rate(ticket: Ticket) -> bool:
    """The citizen may rate now: the centre allows it and the ticket waits for its follow-up."""
    return rating_allowed() and ticket.status == State.VISITING


def track(ticket: Ticket) -> Tracked:
    reply, reply_at = published_reply(ticket)
    return Tracked(ticket=ticket, status=STATUS_WORDS.get(State(ticket.status), ticket.get_status_display()),
                   steps=_steps(ticket), reply=reply, reply_at=reply_at,
                   may_rate=may_rate(ticket) and bool(reply))
