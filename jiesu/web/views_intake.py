"""受理: the operator's intake screen. Registers a call through ``services.accept`` and, in the same
transaction, the action the operator chose (hand over, dispatch, answer, merge, reject); a failure of
either leaves nothing saved. The side panel shows what the suggestion services propose for the draft."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from jiesu.core.errors import DomainError, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.tickets import services
from jiesu.tickets.inputs import AcceptInput, max_lengths
from jiesu.tickets.models import Ticket
from jiesu.web import intake_forms as forms
from jiesu.web.action_forms import unit_choices
from jiesu.web.intake_panel import build_dense_panel, build_panel, draft_of, requester_history


class _Failed(Exception):
    def __init__(self, message: Any, errors: dict[str, list[str]]) -> None:
        super().__init__(str(message))
        self.message, self.errors = message, errors


def _operator(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not has_perm(user, Perm.TICKET_CREATE):
        raise PermissionDenied("您没有受理工单的权限。")
    return user


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    user = _operator(request)
    if request.method == "POST":
        return _register(request, user)
    done = _done_ticket(user, request.GET.get("done", ""))
    return _page(request, user, values={"disposition": forms.dispositions_for(user)[0][0]}, done=done)


def _register(request: HttpRequest, user: Any) -> HttpResponse:
    post = request.POST
    action = post.get("disposition", "")
    if action not in forms.DISPOSITIONS:
        action = ""
    try:
        with transaction.atomic():
            ticket = _accept_and_act(user, post, action)
    except _Failed as failed:
        # htmx swaps only 2xx answers; a plain form post gets 400
        status = 200 if request.headers.get("HX-Request") else 400
        return _page(request, user, values=post, errors=failed.errors, message=failed.message, status=status)
    return redirect(f"{reverse('web:intake')}?done={ticket.number}")


def _accept_and_act(user: Any, post: Any, action: str) -> Ticket:
    """Runs inside one transaction: raising _Failed rolls back the accepted ticket too."""
    try:
        ticket, created = services.accept_once(user, forms.accept_data(post),
                                               idempotency_key=post.get("idempotency_key") or None)
    except DomainError as exc:  # field errors, or e.g. a missing time limit or working calendar
        raise _Failed(exc.message, {k: [str(m) for m in v] for k, v in exc.field_errors.items()}) from exc
    if not created or not action:
        return ticket
    try:
        return _act(user, ticket, action, post)
    except DomainError as exc:
        raise _Failed(exc.message, forms.page_errors(action, exc.field_errors)) from exc


def _act(user: Any, ticket: Ticket, action: str, post: Any) -> Ticket:
    article_id = post.get("answer-article_id", "").strip()
    if action == "answer" and article_id:
        from jiesu.knowledge.answering import answer_with_article

        article = _chosen_article(article_id)
        if article is None:
            raise ValidationFailed(field_errors={"answer": ["所选知识不存在。"]})
        return answer_with_article(user, ticket, article)
    return services.perform(user, ticket, action, forms.action_data(action, post))


def _done_ticket(user: Any, number: str) -> Ticket | None:
    from jiesu.tickets.queries import visible_tickets

    if not number:
        return None
    return visible_tickets(user).select_related("region", "lead_unit", "merged_into").filter(number=number).first()


def ticket_url(number: str) -> str:
    for name in ("web:ticket", "web:ticket_detail"):
        try:
            return reverse(name, args=[number])
        except NoReverseMatch:
            continue
    return ""


def _page(request: HttpRequest, user: Any, *, values: Any, errors: dict[str, list[str]] | None = None,
          message: Any = "", done: Ticket | None = None, status: int = 200) -> HttpResponse:
    draft = draft_of(values)
    panel = build_panel(user, draft) if any(draft[k] for k in ("title", "content", "address")) else None
    article = _chosen_article(values.get("answer-article_id", ""))
    context = {
        **forms.choices(), "values": _page_values(values), "message": message,
        "errors": {k.replace("-", "_"): v for k, v in (errors or {}).items()},
        "dispositions": forms.dispositions_for(user), "units": unit_choices(),
        "region_picker": forms.picker("region", values.get("region", ""),
                                      manual=values.get("region_manual") == "1"),
        "category_picker": forms.picker("category", values.get("category", "")),
        "category_paths": forms.category_paths(),
        "panel": panel, "done": done, "done_url": ticket_url(done.number) if done else "",
        "done_article": _chosen_article(str(done.answer_article_id or "")) if done else None,
        "idempotency_key": values.get("idempotency_key") or uuid.uuid4().hex, "chosen_article": article,
        "lead_unit": values.get("dispatch-lead_unit") or _first_unit(panel),
        "limits": max_lengths(AcceptInput),
    }
    return render(request, "web/intake.html", context, status=status)


def _page_values(values: Any) -> dict[str, Any]:
    """The submitted values under template-friendly names (``reject-route`` → ``reject_route``)."""
    out = {key.replace("-", "_"): values.get(key) for key in values}
    if hasattr(values, "getlist"):
        out["dispatch_assist_units"] = values.getlist("dispatch-assist_units")
    return out


def _first_unit(panel: Any) -> str:
    return panel.units[0].unit_code if panel is not None and panel.units else ""


def _chosen_article(article_id: str) -> Any:
    if not article_id.isdigit():
        return None
    from jiesu.knowledge.models import Article

    return Article.objects.select_related("current").filter(pk=int(article_id)).first()


# ---- the htmx partials ----------------------------------------------------------------------------------------

@login_required
@require_POST
def suggest(request: HttpRequest) -> HttpResponse:
    """The side panel for the draft; also re-resolves the place picker unless the operator corrected it.
    A POST (CSRF token in the X-CSRFToken header): the draft holds the caller's words and address, which must
    not land in access logs or proxies as a query string."""
    user = _operator(request)
    draft = draft_of(request.POST)
    panel = build_panel(user, draft)
    place_code = _place_code(panel)
    manual = request.POST.get("region_manual") == "1"
    refresh_place = not manual and place_code != draft["region"] and bool(draft["address"] or place_code)
    context = {"panel": panel, "draft": draft, "place": panel.place,
               "oob_region_picker": forms.picker("region", place_code) if refresh_place else None}
    return render(request, "web/intake_panel.html", context)


def _place_code(panel: Any) -> str:
    return panel.place.code if panel.place is not None else ""


@login_required
@require_POST
def suggest_dense(request: HttpRequest) -> HttpResponse:
    """The encoder-backed part of the side panel (learned suggestions, answers, similar cases), asked for by
    the first answer; without an encoder it answers 204 and the lexical part stays."""
    user = _operator(request)
    draft = draft_of(request.POST)
    if not (draft["title"] or draft["content"]):
        return HttpResponse(status=204)
    panel = build_dense_panel(user, draft)
    if panel is None:
        return HttpResponse(status=204)
    return render(request, "web/intake_panel_encoder.html", {"panel": panel, "draft": draft})


@login_required
@require_POST
def history(request: HttpRequest) -> HttpResponse:
    """The caller's earlier tickets, by phone number: a POST, so the number never appears in a URL."""
    user = _operator(request)
    phone = request.POST.get("requester_phone", "").strip()
    return render(request, "web/intake_history.html",
                  {"phone": phone, "history": requester_history(user, phone) if phone else []})


@login_required
@require_GET
def picker(request: HttpRequest, tree: str) -> HttpResponse:
    _operator(request)
    if tree not in forms.TREES:
        raise Http404
    changed = request.headers.get("HX-Trigger-Name", "")
    if changed == "category_search":
        return _category_found(request, request.GET.get("category_search", ""))
    code = request.GET.get("code") or forms.picked_code(tree, request.GET, changed)
    manual = tree == "region" and (bool(changed) or request.GET.get("manual") == "1")
    response = render(request, "web/intake_picker.html", {"picker": forms.picker(tree, code, manual=manual)})
    if request.GET.get("code"):  # set from a suggestion, not by the operator's select: refresh the panel too
        response["HX-Trigger"] = "intake-changed"
    return response


def _category_found(request: HttpRequest, text: str) -> HttpResponse:
    code, others = forms.find_category(text)
    chosen = forms.picker("category", code or request.GET.get("category", ""))
    chosen.search, chosen.search_others, chosen.search_missed = text.strip(), others, not code
    response = render(request, "web/intake_picker.html", {"picker": chosen})
    response["HX-Trigger"] = "intake-changed"
    return response
