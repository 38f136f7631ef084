"""Reading the outbox: a ticket's messages as staff see them (masked), and the lists of `jiesu outbox`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from jiesu.notify import templates
from jiesu.notify.models import Audience, OutboxMessage, Status


@dataclass(frozen=True)
class MessageRow:
    id: int
    created_at: datetime
    template: str
    label: str
    audience: str
    channel: str
    recipient: str  # masked
    preview: str  # secrets replaced
    status: str
    status_label: str
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    note: str  # why not sent, or the last error


def _label(key: str) -> str:
    template = templates.TEMPLATES.get(key)
    return str(template.label) if template else key


def row(m: OutboxMessage, *, show_requester: bool = True) -> MessageRow:
    recipient = m.recipient_masked if show_requester or m.audience != Audience.REQUESTER else str(_("诉求人"))
    return MessageRow(
        id=m.pk, created_at=m.created_at, template=m.template, label=_label(m.template),
        audience=m.get_audience_display(), channel=m.get_channel_display(), recipient=recipient,
        preview=m.preview, status=m.status, status_label=m.get_status_display(), attempts=m.attempts,
        next_attempt_at=m.next_attempt_at, sent_at=m.sent_at, note=m.cancel_reason or m.last_error,
    )


def ticket_messages(ticket: Any, *, show_requester: bool) -> list[MessageRow]:
    """The messages of a ticket, newest first, for a user who sees the ticket. ``show_requester``: whether the
    requester's masked number may be shown (not to a unit for a whistle-blower or anonymous requester)."""
    qs = OutboxMessage.objects.filter(ticket_id=ticket.pk).order_by("-id")[:50]
    return [row(m, show_requester=show_requester) for m in qs]


def messages(status: str | None = None, ticket_id: int | None = None, limit: int = 50) -> QuerySet[OutboxMessage]:
    qs = OutboxMessage.objects.all().order_by("-id")
    if status:
        qs = qs.filter(status=status)
    if ticket_id is not None:
        qs = qs.filter(ticket_id=ticket_id)
    return qs[:limit]


def failures(limit: int = 50) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(status=Status.FAILED).order_by("-id")[:limit]


def counts() -> dict[str, int]:
    found = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: found.get(status, 0) for status in Status.values}
