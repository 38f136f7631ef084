"""The 403 and 404 pages: citizens get the public page shell, staff the workbench's.

The 500 page is Django's own handler with the plain ``500.html`` (no database, no context processors).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

PUBLIC_URL_NAMES = ("knowledge_public:ask", "channels_public:track", "channels_request:form", "board:list")  # the public pages live under these URLs


def public_prefixes() -> tuple[str, ...]:
    prefixes = []
    for name in PUBLIC_URL_NAMES:
        try:
            prefixes.append(reverse(name))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


def is_public_request(request: HttpRequest) -> bool:
    """A citizen's request: a public page (/ask/…), or anyone not signed in."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return request.path.startswith(public_prefixes()) or not signed_in


def error_template(request: HttpRequest, status: int) -> str:
    """``web/errors/public_404.html`` for citizens, ``404.html`` (the workbench layout) for staff."""
    return f"web/errors/public_{status}.html" if is_public_request(request) else f"{status}.html"


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, error_template(request, 403), status=403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    context = {} if is_public_request(request) else staff_context(request.user)
    return render(request, error_template(request, 404), context, status=404)


def staff_context(user: Any) -> dict[str, Any]:
    """What the staff 404 says: the unit rule only to a unit's staff, and the desks this user can open."""
    from jiesu.core.permissions import Perm
    from jiesu.core.scope import scope_of
    from jiesu.web.desks import desks_for

    return {"unit_staff": not scope_of(user, Perm.TICKET_VIEW).city_wide, "desks": desks_for(user)}
