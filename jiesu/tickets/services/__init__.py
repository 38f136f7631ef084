"""The ticket's service layer: `accept` creates a ticket; `perform` runs any action of the lifecycle table.

Each action is one function `f(act, data)` in intake/handling/centre/followup; `perform` wraps it in the
one transition mechanism (lock, table check, one event). Named shortcuts (`services.sign(actor, ticket, ...)`)
are generated for every action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiesu.tickets.lifecycle import transition_for
from jiesu.tickets.models import Ticket
from jiesu.tickets.services import centre, followup, handling, intake
from jiesu.tickets.services.base import transition
from jiesu.tickets.services.intake import accept, accept_once, existing_for_key
from jiesu.tickets.states import Action

HANDLERS: dict[Action, Callable[..., None]] = {
    Action.ANSWER: intake.answer,
    Action.REJECT: intake.reject,
    Action.HANDOVER: intake.handover,
    Action.DISPATCH: intake.dispatch,
    Action.MERGE: intake.merge,
    Action.REDISPATCH: handling.redispatch,
    Action.SIGN: handling.sign,
    Action.REQUEST_RETURN: handling.request_return,
    Action.REQUEST_EXTENSION: handling.request_extension,
    Action.CONTACT: handling.contact,
    Action.REPLY: handling.reply,
    Action.REVIEW_RETURN: centre.review_return,
    Action.ADJUDICATE: centre.adjudicate,
    Action.REVIEW_EXTENSION: centre.review_extension,
    Action.REVIEW_REPLY: centre.review_reply,
    Action.URGE: centre.urge,
    Action.SUPERVISE: centre.supervise,
    Action.PROMPT: centre.prompt,
    Action.WARN: centre.warn,
    Action.VISIT: followup.visit,
    Action.CLOSE: followup.close,
    Action.REOPEN: followup.reopen,
}


def perform(actor: Any, ticket: Ticket | str, action: str, data: dict[str, Any] | None = None,
            *, version: int | None = None) -> Ticket:
    """Runs `action` on `ticket` for `actor`: checks the table, validates `data`, writes exactly one event."""
    from jiesu.tickets.inputs import parse_input

    row = transition_for(action)
    parsed = parse_input(row.inputs, data)
    with transition(actor, ticket, action, version=version) as act:
        HANDLERS[row.action](act, parsed)
    return act.ticket


def _shortcut(action: Action) -> Callable[..., Ticket]:
    def run(actor: Any, ticket: Ticket | str, *, version: int | None = None, **data: Any) -> Ticket:
        return perform(actor, ticket, action, data, version=version)

    run.__name__ = action.value
    run.__doc__ = f"{action.label}: see lifecycle.TABLE."
    return run


answer = _shortcut(Action.ANSWER)
reject = _shortcut(Action.REJECT)
handover = _shortcut(Action.HANDOVER)
dispatch = _shortcut(Action.DISPATCH)
merge = _shortcut(Action.MERGE)
redispatch = _shortcut(Action.REDISPATCH)
sign = _shortcut(Action.SIGN)
request_return = _shortcut(Action.REQUEST_RETURN)
request_extension = _shortcut(Action.REQUEST_EXTENSION)
contact = _shortcut(Action.CONTACT)
reply = _shortcut(Action.REPLY)
review_return = _shortcut(Action.REVIEW_RETURN)
adjudicate = _shortcut(Action.ADJUDICATE)
review_extension = _shortcut(Action.REVIEW_EXTENSION)
review_reply = _shortcut(Action.REVIEW_REPLY)
urge = _shortcut(Action.URGE)
supervise = _shortcut(Action.SUPERVISE)
prompt = _shortcut(Action.PROMPT)
warn = _shortcut(Action.WARN)
visit = _shortcut(Action.VISIT)
close = _shortcut(Action.CLOSE)
reopen = _shortcut(Action.REOPEN)

__all__ = ["accept", "accept_once", "existing_for_key", "perform", "HANDLERS", *[a.value for a in HANDLERS]]
