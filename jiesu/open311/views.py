"""The Open311 GeoReport v2 endpoint (`/open311/v2/`): discovery, services, requests and tokens, in XML and
JSON. Only POST needs an ``api_key``. Errors are Open311's: 404 what does not exist, 403 a bad key, 400 the
rest, each with a list of descriptions. The rules are in `open311.services` and `open311.queries`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from jiesu.open311 import queries, services
from jiesu.open311.keys import user_for_key
from jiesu.open311.render import FORMATS, errors, respond
from jiesu.open311.services import Open311Error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+08:00"


def open311_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Checks the format and the jurisdiction, and turns Open311Error into Open311's error document."""
    @wraps(view)
    def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return errors("xml", 404, [f"format {fmt} is not served: use xml or json"])
        jurisdiction = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
        if jurisdiction and jurisdiction != settings.JIESU_OPEN311_JURISDICTION:
            return errors(fmt, 404, [f"jurisdiction_id {jurisdiction} is not served here"])
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return errors(fmt, exc.status, exc.descriptions)
    return wrapped


@require_GET
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:root"))
    return respond(fmt, "discovery", {
        "changeset": CHANGESET, "contact": settings.JIESU_OPEN311_CONTACT, "key_service": settings.JIESU_OPEN311_KEYS,
        "endpoints": [{"specification": SPECIFICATION, "url": url, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}]})


@require_GET
@open311_view
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", services.service_list())


@require_GET
@open311_view
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    return respond(fmt, "service_definition", services.definition(code))


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = user_for_key(request.POST.get("api_key", ""))
    if actor is None:
        return errors(fmt, 403, ["api_key is missing or not valid"])
    ticket = services.file_request(actor, request.POST)
    notice = f"已受理，工单编号 {ticket.number}；可在热线查询页凭查询码查看进度。"
    return respond(fmt, "service_requests", [{"service_request_id": ticket.number, "service_notice": notice,
                                              "account_id": request.POST.get("account_id", "")}], status=201)


@csrf_exempt  # a machine interface authenticated by api_key, not by a browser session
@require_http_methods(["GET", "POST"])
@open311_view
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    return respond(fmt, "service_requests", [queries.as_open311(r) for r in queries.find_requests(request.GET)])


def _one(request_id: str, name: str) -> Any:
    found = queries.find_requests({"service_request_id": request_id})
    if not found:
        raise Open311Error(404, [f"{name} {request_id} not found"])
    return found[0]


@require_GET
@open311_view
def request_one(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    return respond(fmt, "service_requests", [queries.as_open311(_one(request_id, "service_request_id"))])


@require_GET
@open311_view
def token(request: HttpRequest, fmt: str, token_id: str) -> HttpResponse:
    """Requests are created at once, so a request's token is its id (kept for clients that ask)."""
    row = _one(token_id, "token")
    return respond(fmt, "service_requests", [{"service_request_id": row.ticket.number, "token": token_id}])


def root(request: HttpRequest) -> HttpResponse:
    return respond("json", "", {"discovery": request.build_absolute_uri(reverse("open311:discovery",
                                                                                args=["json"]))})
