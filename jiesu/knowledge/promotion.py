"""A good ticket reply becomes an FAQ draft in one action, with the caller's personal data removed."""

from __future__ import annotations

import html
from typing import Any

from django.db import transaction

from jiesu.core.errors import ActionNotAllowed
from jiesu.core.masking import mask_address
from jiesu.core.permissions import Perm
from jiesu.core.scope import scope_of
from jiesu.intelligence.pii import mask_personal_data
from jiesu.knowledge import services
from jiesu.knowledge.content import without_personal_numbers
from jiesu.knowledge.models import Article, ArticleKind, ArticleVersion
from jiesu.tickets.queries import require_visible


def depersonalize(text: str, ticket: Any) -> str:
    """``text`` without the requester's name, mobile and ID numbers, plates and house numbers.

    Mobiles, IDs and plates are removed outright (an FAQ is public); landlines are masked by
    ``mask_personal_data`` since the ones left in a reply are usually a service number the editor checks.
    """
    text = text or ""
    name = (ticket.requester_name or "").strip()
    if len(name) >= 2:
        text = text.replace(name, "市民")
    if ticket.address and ticket.address in text:
        text = text.replace(ticket.address, mask_address(ticket.address))
    return mask_personal_data(without_personal_numbers(text))


def _reply_of(ticket: Any) -> tuple[str, str]:
    """The answer given to the caller: the direct answer, or the lead unit's latest reply and its basis."""
    if ticket.answer_text:
        return ticket.answer_text, ""
    from jiesu.tickets.models import Reply

    reply = (Reply.objects.filter(assignment__ticket=ticket, assignment__role="lead")
             .order_by("-created_at", "-id").first())
    if reply is None:
        raise ActionNotAllowed("该工单还没有答复，不能转为常见问答。")
    return reply.result, reply.basis


def _owner_unit(actor: Any, ticket: Any) -> Any:
    lead = ticket.lead_unit
    for perm in (Perm.KNOWLEDGE_EDIT, Perm.KNOWLEDGE_PUBLISH):
        if lead is not None and scope_of(actor, perm).covers(lead.pk):
            return lead
    return actor.primary_unit()


def promote_reply_to_faq(actor: Any, ticket: Any) -> ArticleVersion:
    """An FAQ draft (问：the request, 答：the reply) owned by the replying unit; the draft still needs review.
    Only from a ticket in the actor's scope: the draft would show another unit's request and reply."""
    require_visible(actor, ticket.number)
    answer, basis = _reply_of(ticket)
    question = depersonalize(ticket.title, ticket)
    body = (f"<p>问：{html.escape(depersonalize(ticket.content, ticket))}</p>"
            f"<p>答：{html.escape(depersonalize(answer, ticket))}</p>")
    unit = _owner_unit(actor, ticket)
    with transaction.atomic():
        version = services.create_draft(
            actor, unit=unit, kind=ArticleKind.FAQ, category=ticket.category,
            regions=[ticket.region] if ticket.region_id else [], title=question[:200], body_html=body,
            legal_basis=depersonalize(basis, ticket),
            source_document=f"工单 {ticket.number} 的答复（已去除个人信息）", questions=[question],
        )
        Article.objects.filter(pk=version.article_id).update(source_ticket_id=ticket.pk)
    version.article.source_ticket_id = ticket.pk
    return version
