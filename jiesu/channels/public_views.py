"""查询: the citizens' page to follow a request by its number and query code, and to rate the reply once.

The code is posted, never put in the URL (access logs, browser history); the printed QR code and the text
messages link here with the number only. Look-ups are throttled (`channels.throttle`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiesu.channels import board, places, rating, throttle, tracking, web_request
from jiesu.core.errors import DomainError
from jiesu.org.signin import client_ip
from jiesu.tickets.states import Resolution, Satisfaction

TEMPLATE = "channels/track.html"
WRONG = _("工单编号或查询码不正确。查询码在受理短信和受理回执上；找不到时请拨打 12345。")


def _choices() -> dict[str, Any]:
    return {"satisfactions": Satisfaction.choices, "resolutions": Resolution.choices}


def _look_up(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    """The posted number and code checked under the throttle: (context, ticket or None)."""
    number = (request.POST.get("number") or "").strip().upper()[:40]
    code = (request.POST.get("code") or "").strip()[:12]
    context: dict[str, Any] = {"number": number}
    if refused := throttle.refusal(request, number):
        return {**context, "error": refused}, None
    ticket = tracking.find(number, code)
    throttle.remember(request, number, ticket is not None)
    if ticket is None:
        return {**context, "error": str(WRONG)}, None
    return {**context, "code": code, "tracked": tracking.track(ticket)}, ticket


@require_http_methods(["GET", "POST"])
def track_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        number = (request.GET.get("number") or "").strip().upper()[:40]
        return render(request, TEMPLATE, {"number": number, **_choices()})
    context, ticket = _look_up(request)
    return render(request, TEMPLATE, {**context, **_choices()}, status=200 if ticket else 400)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    context, ticket = _look_up(request)
    if ticket is None:
        return render(request, TEMPLATE, {**context, **_choices()}, status=400)
    values = {k: request.POST.get(k, "") for k in ("satisfaction", "resolution", "comment")}
    try:
        ticket, reopened = rating.rate(ticket, values)
    except DomainError as exc:
        errors = [str(m) for ms in exc.field_errors.values() for m in ms] or [str(exc.message)]
        return render(request, TEMPLATE, {**context, **_choices(), "rate_errors": errors, "values": values},
                      status=exc.status)
    return render(request, TEMPLATE, {**context, **_choices(), "tracked": tracking.track(ticket), "rated": True,
                                            "reopened": reopened})


REQUEST_TEMPLATE = "channels/request.html"
FORM_FIELDS = ("kind", "title", "content", "region", "address", "name", "mobile", "code", "board", "private")


def _request_context(values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"values": values, "kinds": [(k.value, k.label) for k in web_request.KINDS],
            "districts": places.districts(), "boards": board.active_boards(), **extra}


def _posted(request: HttpRequest) -> dict[str, str]:
    """The form's values; the place is the most precise of the three pickers chosen (all are named region)."""
    values = {k: (request.POST.get(k) or "").strip() for k in FORM_FIELDS}
    values["region"] = next((c.strip() for c in reversed(request.POST.getlist("region")) if c.strip()), "")
    values["private"] = "true" if request.POST.get("private") else "false"
    return values


def _errors(exc: DomainError) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in exc.field_errors.items()} or {"": [str(exc.message)]}


@require_http_methods(["GET", "POST"])
def request_page(request: HttpRequest) -> HttpResponse:
    """The public request form; the posted form becomes a ticket once its mobile's code matches."""
    if request.method == "GET":
        return render(request, REQUEST_TEMPLATE, _request_context({"board": request.GET.get("board", "")[:32]}))
    values = _posted(request)
    try:
        ticket = web_request.submit(values)
    except DomainError as exc:
        return render(request, REQUEST_TEMPLATE, _request_context(values, errors=_errors(exc)), status=exc.status)
    return render(request, "channels/request_done.html", {"ticket": ticket})


@require_POST
def request_code(request: HttpRequest) -> HttpResponse:
    """Sends the one-time code; htmx swaps the answer in beside the button, a plain post re-shows the form."""
    values = _posted(request)
    try:
        web_request.send_code(values["mobile"], client_ip(request))
        message, status, ok = str(_("验证码已发送，10 分钟内有效。")), 200, True
    except DomainError as exc:
        message, status, ok = "；".join(m for ms in _errors(exc).values() for m in ms), exc.status, False
    if request.headers.get("HX-Request"):
        return render(request, "channels/_code_sent.html", {"message": message, "ok": ok})
    return render(request, REQUEST_TEMPLATE, _request_context(values, code_message=message, code_ok=ok),
                  status=status)


@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """The streets of a district or the communities of a street, as <option>s for the next picker."""
    return render(request, "channels/_region_options.html",
                  {"regions": places.children(next((c.strip()[:12] for c in reversed(request.GET.getlist("region"))
                                                    if c.strip()), ""))})
