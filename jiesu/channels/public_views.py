"""查询: the citizens' page to follow a request by its number and query code, and to rate the reply once.

The code is posted, never put in the URL (access logs, browser history); the printed QR code and the text
messages link here with the number only. Look-ups are throttled (`channels.throttle`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from jiesu.channels import rating, throttle, tracking
from jiesu.core.errors import DomainError
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
        ticket = rating.rate(ticket, values)
    except DomainError as exc:
        errors = [str(m) for ms in exc.field_errors.values() for m in ms] or [str(exc.message)]
        return render(request, TEMPLATE, {**context, **_choices(), "rate_errors": errors, "values": values},
                      status=exc.status)
    return render(request, TEMPLATE, {**context, **_choices(), "tracked": tracking.track(ticket), "rated": True})
