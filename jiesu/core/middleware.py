"""Request-wide concerns: an id for every request that events record, so one click can be traced through the
log; the request's scope of the configuration token (read at most once per request, `jiesu.core.process_cache`);
and the Content-Security-Policy header that keeps every page free of inline script and style."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from jiesu.core.context import request_id_var
from jiesu.core.process_cache import request_scope

SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # a proxy's id is kept; anything else is replaced


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            with request_scope():
                response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id
        return response


def content_security_policy(*, framable: bool = False) -> str:
    """The policy as a header value. Pages that other sites may frame (the public ask widget, marked with
    ``xframe_options_exempt``) get no ``frame-ancestors``; every other page may only be framed by ourselves."""
    directives = dict(settings.JIESU_CSP)
    if framable:
        directives.pop("frame-ancestors", None)
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the strict policy (no inline script, no ``on…=`` handlers, no style attributes) to every response.

    Templates follow it (jiesu/web/tests/test_no_inline_code.py scans them): JavaScript lives in static files,
    data reaches it through ``data-*`` attributes or ``json_script`` blocks, styles live in stylesheets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            framable = bool(getattr(response, "xframe_options_exempt", False))
            response["Content-Security-Policy"] = content_security_policy(framable=framable)
        return response
