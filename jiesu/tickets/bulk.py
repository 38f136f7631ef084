"""Acting on a selection of tickets at once: dispatching each to the unit its dispatch-catalog rule proposes.

Each ticket goes through `services.perform` on its own — its own transaction, its own event, its own checks — so
one ticket that fails (taken by someone else, no rule, no category) is reported and the others still go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jiesu.catalog.queries import UnitSuggestion, suggest_units
from jiesu.core.errors import DomainError
from jiesu.tickets import queries, services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import Action

MAX_SELECTION = 100  # a desk page shows 20; a selection beyond this is refused as a whole


@dataclass(frozen=True)
class Outcome:
    number: str
    ok: bool
    message: str
    unit: str = ""


def suggestion_for(ticket: Ticket) -> UnitSuggestion | None:
    """The dispatch catalog's proposal for this ticket (the first rule that matches), or None."""
    found = suggest_units(category=ticket.category, region=ticket.region)
    return found[0] if found else None


def suggestions_for(tickets: Iterable[Ticket]) -> dict[int, UnitSuggestion | None]:
    return {t.pk: suggestion_for(t) for t in tickets}


def dispatch_data(ticket: Ticket, suggestion: UnitSuggestion) -> dict[str, Any]:
    return {"lead_unit": suggestion.unit.code, "assist_units": [u.code for u in suggestion.co_units],
            "category": ticket.category.code if ticket.category else None,
            "note": _("按派单目录建议批量派单：%(reason)s") % {"reason": suggestion.reason}}


def dispatch_as_suggested(actor: Any, numbers: Iterable[str]) -> list[Outcome]:
    """Dispatches each ticket (by number, as the actor sees them) to its suggested unit; one Outcome per number,
    in the order given, duplicates once."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if len(wanted) > MAX_SELECTION:
        return [Outcome(n, False, _("一次最多派 %(n)s 件。") % {"n": MAX_SELECTION}) for n in wanted]
    return [_dispatch_one(actor, number) for number in wanted]


def _dispatch_one(actor: Any, number: str) -> Outcome:
    try:
        ticket = queries.get_ticket(actor, number)
        suggestion = suggestion_for(ticket)
        if suggestion is None:
            return Outcome(number, False, _("派单目录中没有匹配的规则，请打开工单选择承办单位。"))
        services.perform(actor, ticket, Action.DISPATCH, dispatch_data(ticket, suggestion), version=ticket.version)
    except DomainError as exc:
        return Outcome(number, False, _message_of(exc))
    return Outcome(number, True, _("已派至%(unit)s") % {"unit": suggestion.unit.name}, suggestion.unit.name)


def _message_of(exc: DomainError) -> str:
    details = [str(m) for texts in exc.field_errors.values() for m in texts]
    return "；".join([str(exc.message), *details]) if details else str(exc.message)
