"""领导留言板 pages: the public list (search, board, since), a message with its official reply, each board's
rates; and the moderators' page. Server-rendered with stable URLs, so search engines can read them."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jiesu.channels import board
from jiesu.channels.models import BoardMessage
from jiesu.channels.tracking import published_reply
from jiesu.core import clock
from jiesu.core.errors import DomainError
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm

PERIODS = {"30": 30, "90": 90, "365": 365}


@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    code, q = (request.GET.get("board") or "")[:32], (request.GET.get("q") or "").strip()[:50]
    days = PERIODS.get(request.GET.get("days") or "")
    since = clock.now() - timedelta(days=days) if days else None
    page = Paginator(board.published(code, q, since), 20).get_page(request.GET.get("page"))
    boards = board.active_boards()
    return render(request, "channels/board_list.html", {
        "page": page, "boards": boards, "rates": board.all_rates(boards), "board": code, "q": q,
        "days": request.GET.get("days") or ""})


@require_GET
def board_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = board.published().filter(pk=pk).first()
    if message is None:
        raise Http404(_("没有这条公开留言。"))
    reply, reply_at = published_reply(message.ticket) if message.is_closed else ("", None)
    return render(request, "channels/board_message.html", {"m": message, "reply": reply, "reply_at": reply_at})


def _moderators_only(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.BOARD_MODERATE):
        raise PermissionDenied(_("您没有审核留言的权限。"))


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _moderators_only(request)
    return render(request, "channels/board_moderation.html", {"pending": list(board.pending()[:100])})


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _moderators_only(request)
    fields = {k: request.POST.get(k, "") for k in ("decision", "reason", "title", "content")}
    try:
        message = board.moderate(request.user, pk, fields)
    except DomainError as exc:
        errors = [str(m) for ms in exc.field_errors.values() for m in ms] or [str(exc.message)]
        return render(request, "channels/board_moderation.html",
                      {"pending": list(board.pending()[:100]), "errors": errors}, status=exc.status)
    done = BoardMessage.State(message.state).label
    return render(request, "channels/board_moderation.html",
                  {"pending": list(board.pending()[:100]), "done": f"{message.ticket.number}：{done}"})
