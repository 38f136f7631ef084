"""Reading call records: every list and export of calls starts at `visible_calls`; `listed` gives them as shown,
the caller's number masked (a list of calls is for checking figures, it never reveals who called)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from jiesu.calls.models import Call
from jiesu.core.masking import mask_phone
from jiesu.core.permissions import Perm
from jiesu.core.scope import restrict


def visible_calls(user: Any) -> QuerySet[Call]:
    """The calls this user may see: every call for city-wide 统计查看 (the centre's statisticians and
    supervisors), none for a unit's staff (calls belong to no unit, `Call.scope_q`)."""
    return restrict(Call.objects.all(), user, Perm.STATS_VIEW)


@dataclass(frozen=True)
class ListedCall:
    call_id: str
    line: str
    caller: str  # masked
    offered_at: datetime
    answered_at: datetime | None
    wait_seconds: float
    seat: str
    queue: str
    survey: str  # the label, "" when not answered
    ticket: str  # the number of the ticket it created, when the user may see that ticket

    def as_dict(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "line": self.line, "caller": self.caller,
                "offered_at": self.offered_at.isoformat(),
                "answered_at": self.answered_at.isoformat() if self.answered_at else None,
                "wait_seconds": self.wait_seconds, "seat": self.seat, "queue": self.queue, "survey": self.survey,
                "ticket": self.ticket or None}


def listed(user: Any, calls: Iterable[Call]) -> list[ListedCall]:
    """One page of calls (fetched with their line) as a list shows them; the linked ticket's number only if the
    user may see that ticket."""
    from jiesu.tickets.queries import visible_tickets

    rows = list(calls)
    ticket_ids = {c.ticket_id for c in rows if c.ticket_id}
    numbers = dict(visible_tickets(user).filter(pk__in=ticket_ids).values_list("pk", "number")) if ticket_ids else {}
    return [ListedCall(c.call_id, c.line.name, mask_phone(c.caller), c.offered_at, c.answered_at,
                       c.wait_ms / 1000, c.seat, c.queue, c.get_survey_display() if c.survey else "",
                       numbers.get(c.ticket_id or 0, ""))
            for c in rows]
