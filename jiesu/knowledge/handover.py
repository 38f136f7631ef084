"""Handing an unanswered question to a person: the ticket, created for the caller who agrees.

Tickets are created by the API caller when it may create tickets (a voice or chat front end with the operator
role), otherwise by the system user ``kb-answer-bot`` (an operator of the hotline centre, no password).
"""

from __future__ import annotations

from typing import Any

from jiesu.core.permissions import Perm, Role
from jiesu.core.scope import has_perm
from jiesu.knowledge.models import AnswerChannel

SYSTEM_USERNAME = "kb-answer-bot"
TICKET_CHANNEL = {AnswerChannel.VOICE: "phone", AnswerChannel.CHAT: "wechat", AnswerChannel.PUBLIC: "web",
                  AnswerChannel.WIDGET: "web", AnswerChannel.INTAKE: "phone"}


def system_user() -> Any:
    """The system operator that registers tickets for hand-overs; None when there is no hotline centre."""
    from jiesu.org.services import system_account

    return system_account(SYSTEM_USERNAME, "智能问答（系统）", Role.OPERATOR)


def open_ticket(question: str, channel: str, phone: str | None, actor: Any = None) -> Any:
    """A consultation ticket with the caller's question; None if no one can register it."""
    from jiesu.tickets.services import accept

    creator = actor if has_perm(actor, Perm.TICKET_CREATE) else system_user()
    if creator is None:
        return None
    return accept(creator, {
        "title": question[:40], "content": question, "kind": "consultation",
        "channel": TICKET_CHANNEL.get(AnswerChannel(channel), "api"), "requester_phone": (phone or "")[:40],
    })
