"""Staff sessions end after a time without the user's own requests (SESSION_IDLE_SECONDS): a desk left open on an
unattended PC must not stay signed in. Polls that the page sends by itself (live counts, clocks) are marked
``passive`` and do not count as activity."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

LAST_ACTIVE = "jiesu_last_active"
RESOLUTION_SECONDS = 60  # the session is written at most once a minute for activity
View = TypeVar("View", bound=Callable[..., Any])


def passive(view: View) -> View:
    """Marks a view that pages call by themselves (polling): it neither counts as activity nor prolongs it."""
    view.jiesu_passive = True  # type: ignore[attr-defined]
    return view


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = int(time.time())
        last = request.session.get(LAST_ACTIVE)
        if isinstance(last, int) and now - last > settings.SESSION_IDLE_SECONDS:
            logout(request)
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=200)
                response["HX-Redirect"] = redirect_to_login(request.get_full_path()).url
                return response
            return None  # the view now sees an anonymous user: the login page, or 401 for the API
        if not getattr(view_func, "jiesu_passive", False) and (not isinstance(last, int)
                                                               or now - last >= RESOLUTION_SECONDS):
            request.session[LAST_ACTIVE] = now
        return None
