"""The public leader message board (领导留言板): posting, moderation, what is published, and each board's rates.

A message is a ticket on the channel ``board`` like any request, plus a `BoardMessage` holding what may be shown.
Its public text starts as the citizen's with personal data masked (`intelligence.pii`); a moderator publishes
it (editing the text if needed), holds it with a reason (abusive or unlawful content), or keeps it private.
Reports (举报), whistle-blowers and messages whose writer asked for privacy are private from the start and can
never be published. The official reply is shown once the ticket is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from pydantic import Field

from jiesu.catalog.models import Kind
from jiesu.channels.models import Board, BoardMessage
from jiesu.channels.tracking import approved_replies
from jiesu.core import clock
from jiesu.core.errors import ActionNotAllowed, NotFound, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm
from jiesu.core.scope import require_perm
from jiesu.intelligence.pii import mask_personal_data
from jiesu.tickets.inputs import ActionInput, parse_input
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import OPEN_STATES

S = BoardMessage.State
SUBJECT = "board_message"
DECISIONS = {"publish": S.PUBLISHED, "hold": S.HELD, "private": S.PRIVATE}


class ModerationInput(ActionInput):
    decision: str = Field(pattern="^(publish|hold|private)$")
    reason: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=60)
    content: str = Field(default="", max_length=2000)


def active_boards() -> list[Board]:
    return list(Board.objects.filter(is_active=True))


def board_by_code(code: str) -> Board:
    board = Board.objects.filter(code=code, is_active=True).first()
    if board is None:
        raise ValidationFailed(field_errors={"board": [_("请选择留言板。")]})
    return board


def must_stay_private(ticket: Ticket, wants_private: bool) -> bool:
    return wants_private or ticket.is_whistleblower or ticket.is_anonymous or ticket.kind == Kind.REPORT


def post(ticket: Ticket, board: Board, *, wants_private: bool) -> BoardMessage:
    """The board's record of a new ticket (called in the ticket's transaction)."""
    private = must_stay_private(ticket, wants_private)
    return BoardMessage.objects.create(
        ticket=ticket, board=board, state=S.PRIVATE if private else S.PENDING, wants_private=wants_private,
        public_title=mask_personal_data(ticket.title)[:60], public_content=mask_personal_data(ticket.content),
        posted_at=ticket.created_at)


def moderate(actor: Any, message_id: int, raw: dict[str, Any]) -> BoardMessage:
    """Publishes, holds or keeps private one message. One event."""
    require_perm(actor, Perm.BOARD_MODERATE)
    data = parse_input(ModerationInput, raw)
    assert isinstance(data, ModerationInput)
    if data.decision == "hold" and not data.reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("不予公开须写明理由。")]})
    with transaction.atomic():
        message = BoardMessage.objects.select_for_update().select_related("ticket").filter(pk=message_id).first()
        if message is None:
            raise NotFound()
        if data.decision == "publish" and must_stay_private(message.ticket, message.wants_private):
            raise ActionNotAllowed(_("举报、匿名或要求保密的留言不能公开。"))
        before = message.state
        _apply(actor, message, data)
        record_event(subject_type=SUBJECT, subject_id=message.pk, action="moderate", actor=actor,
                     before={"state": before}, after={"state": message.state}, reason=data.reason,
                     data={"ticket": message.ticket.number, "board": message.board.code})
    return message


def _apply(actor: Any, message: BoardMessage, data: ModerationInput) -> None:
    now = clock.now()
    message.state, message.reason = DECISIONS[data.decision], data.reason.strip()
    message.moderated_by, message.moderated_at = actor, now
    if data.title.strip():
        message.public_title = mask_personal_data(data.title.strip())
    if data.content.strip():
        message.public_content = mask_personal_data(data.content.strip())
    if message.state == S.PUBLISHED and message.published_at is None:
        message.published_at = now
    message.save()


def published(board: str = "", q: str = "", since: datetime | None = None) -> QuerySet[BoardMessage]:
    qs = BoardMessage.objects.filter(state=S.PUBLISHED, board__is_active=True).select_related("board", "ticket")
    if board:
        qs = qs.filter(board__code=board)
    if q:
        qs = qs.filter(Q(public_title__icontains=q) | Q(public_content__icontains=q))
    if since:
        qs = qs.filter(posted_at__gte=since)
    return qs.order_by("-posted_at", "-id")


def pending() -> QuerySet[BoardMessage]:
    return BoardMessage.objects.filter(state=S.PENDING).select_related("board", "ticket").order_by("posted_at")


@dataclass(frozen=True)
class BoardRates:
    board: Board
    published: int
    replied: int
    closed: int
    mean_days_to_reply: float | None

    @property
    def reply_rate(self) -> float | None:
        return self.replied / self.published if self.published else None

    @property
    def closing_rate(self) -> float | None:
        return self.closed / self.published if self.published else None


def _reply_moment(row: dict[str, Any]) -> datetime | None:
    """When the citizen was first answered: the direct answer (closing) or the first approved reply."""
    return row["ticket__closed_at"] if row["ticket__answer_text"] else row["first_reply_at"]


def all_rates(boards: list[Board]) -> list[BoardRates]:
    """Each board's rates over its published messages, from one query: how many have a published reply, how
    many are closed, and the mean days from posting to the first reply."""
    first = approved_replies().filter(assignment__ticket_id=OuterRef("ticket_id")).order_by("created_at", "id")
    rows = (published().filter(board__in=boards).annotate(first_reply_at=Subquery(first.values("created_at")[:1]))
            .values("board_id", "posted_at", "first_reply_at", "ticket__answer_text", "ticket__closed_at",
                    "ticket__status"))
    by_board: dict[int, list[dict[str, Any]]] = {b.pk: [] for b in boards}
    for row in rows:
        by_board[row["board_id"]].append(dict(row))
    return [_rates(b, by_board[b.pk]) for b in boards]


def _rates(board: Board, rows: list[dict[str, Any]]) -> BoardRates:
    days = [(at - r["posted_at"]).total_seconds() / 86400 for r in rows if (at := _reply_moment(r)) is not None]
    closed = sum(1 for r in rows if r["ticket__status"] not in OPEN_STATES)
    return BoardRates(board, len(rows), len(days), closed, round(sum(days) / len(days), 1) if days else None)


def rates(board: Board) -> BoardRates:
    return all_rates([board])[0]
