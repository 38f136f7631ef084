"""The ticket page, the audited reveal of the requester, and every lifecycle action posted from the page.

Actions go to `services.perform`; a domain error comes back as the same form with the message next to its
field and nothing changed. With htmx the page parts are swapped in place; without it the page reloads.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST

from jiesu.core.errors import DomainError, NotFound, ValidationFailed
from jiesu.tickets import queries, services
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.lifecycle import BY_ACTION
from jiesu.tickets.models import Ticket
from jiesu.tickets.photos import device_place
from jiesu.tickets.states import Action
from jiesu.web.action_forms import ActionForm, data_from_post, form_for
from jiesu.web.sessions import passive
from jiesu.web.ticket_page import assignments_of, page_context


def _ticket(user: Any, number: str) -> Ticket:
    try:
        return queries.get_ticket(user, number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def ticket_page(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request.user, number)
    return render(request, "web/tickets/ticket.html", page_context(request.user, ticket))


@passive
@login_required
def ticket_clocks(request: HttpRequest, number: str) -> HttpResponse:
    """The assignments and their deadlines alone, polled by the page so the working time left keeps counting."""
    ticket = _ticket(request.user, number)
    context = {"ticket": ticket, "assignments": assignments_of(ticket)}
    return render(request, "web/tickets/_assignments.html", context)


@login_required
@require_POST
def attach(request: HttpRequest, number: str) -> HttpResponse:
    """Adds one file through `tickets.attachments.add_attachment` (which checks type, size and count)."""
    ticket = _ticket(request.user, number)
    errors: list[str] = []
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(field_errors={"file": [gettext("请先选择文件。")]})
        add_attachment(request.user, ticket, upload, phase=request.POST.get("phase", ""),
                       device=device_place(request.POST.get("latitude"), request.POST.get("longitude")))
    except DomainError as exc:
        errors = [str(m) for key in ("file", "phase") for m in exc.field_errors.get(key, [])] or [str(exc.message)]
    if not request.headers.get("HX-Request"):
        if not errors:
            return redirect("web:ticket", number=ticket.number)
        context = page_context(request.user, ticket)
        return render(request, "web/tickets/ticket.html", {**context, "attachment_errors": errors}, status=400)
    context = {"ticket": ticket, "attachments": list(ticket.attachments.order_by("id")), "attachment_errors": errors}
    return render(request, "web/tickets/_attachments.html", context)


@login_required
@require_POST
def reveal_requester(request: HttpRequest, number: str) -> HttpResponse:
    """Shows the requester in full to a user who may see it; `requester_view` writes the reveal log, or refuses
    (nothing logged) and the panel says why."""
    ticket = _ticket(request.user, number)
    status = 200
    try:
        requester = queries.requester_view(request.user, ticket, reveal=True)
    except DomainError as exc:
        requester = {**queries.requester_view(request.user, ticket), "refused": str(exc.message)}
        status = exc.status
    if request.headers.get("HX-Request"):  # htmx swaps only a 2xx answer: the refusal is shown in the panel
        return render(request, "web/tickets/_requester.html", {"ticket": ticket, "requester": requester})
    context = page_context(request.user, ticket, requester=requester)
    return render(request, "web/tickets/ticket.html", context, status=status)


def _field_errors(exc: ValidationFailed, form_fields: set[str]) -> tuple[dict[str, list[str]], str]:
    """Errors per form field; messages about anything else go above the form."""
    by_field: dict[str, list[str]] = {}
    other: list[str] = []
    for name, texts in exc.field_errors.items():
        key = name.split(".")[0]
        if key in form_fields:
            by_field.setdefault(key, []).extend(str(m) for m in texts)
        else:
            other.extend(str(m) for m in texts)
    return by_field, pgettext("between error messages", "；").join(other) or str(exc.message)


def _failed_form(action: str, post: Any, exc: DomainError) -> ActionForm:
    values = data_from_post(action, post)
    names = {f.name for f in form_for(action).fields}
    if isinstance(exc, ValidationFailed):
        errors, message = _field_errors(exc, names)
        return form_for(action, values=values, errors=errors, message=message)
    return form_for(action, values=values, message=str(exc.message))


def _version(post: Any) -> int | None:
    raw = post.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in BY_ACTION:
        raise Http404(gettext("没有这个操作。"))
    ticket = _ticket(request.user, number)
    try:
        data = data_from_post(action, request.POST)
        done = services.perform(request.user, ticket, action, data, version=_version(request.POST))
    except DomainError as exc:
        return _show_failure(request, ticket, action, exc)
    return _show_success(request, done, action)


def _show_failure(request: HttpRequest, ticket: Ticket, action: str, exc: DomainError) -> HttpResponse:
    failed = _failed_form(action, request.POST, exc)
    failed.primary = True
    if request.headers.get("HX-Request"):
        response = render(request, "web/tickets/_action_form.html", {"form": failed, "ticket": ticket})
        response["HX-Retarget"] = f"#action-{action}"
        response["HX-Reswap"] = "outerHTML"
        return response
    context = page_context(request.user, ticket, failed=failed)
    return render(request, "web/tickets/ticket.html", context, status=400)


def _show_success(request: HttpRequest, ticket: Ticket, action: str) -> HttpResponse:
    done = gettext("已%(action)s。") % {"action": Action(action).label}
    try:
        fresh = queries.get_ticket(request.user, ticket.number)
    except NotFound:
        return _leave(request, done)
    if request.headers.get("HX-Request"):
        return render(request, "web/tickets/_ticket_body.html", page_context(request.user, fresh, done=done))
    return redirect("web:ticket", number=fresh.number)


def _leave(request: HttpRequest, message: str) -> HttpResponse:
    """After an action that takes the ticket out of this user's sight (e.g. passed down to a sub-unit)."""
    messages.success(request, message)
    url = reverse("web:home")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
