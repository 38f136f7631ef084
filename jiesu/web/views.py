"""The login page and the role-aware home page. Views only gather what queries return."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.insights import queries as hot_queries
from jiesu.org.models import Membership, User
from jiesu.org.queries import memberships_of, units_reached
from jiesu.web.forms import LoginForm
from jiesu.web.navigation import landing_url
from jiesu.web.role_cards import ROLE_CARDS, queue_counts

FAVICON = Path(__file__).parent / "static" / "jiesu" / "favicon.ico"


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user) or super().get_default_redirect_url()

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", "locked"):
            response.status_code = 429
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = _demo_accounts()
        context["demo_password"] = settings.DEMO_PASSWORD
        return context


def _demo_accounts() -> list[dict[str, str]]:
    from jiesu.org.demo import demo_accounts

    return demo_accounts()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    memberships = memberships_of(user)
    context = {
        "memberships": [{"m": m, "reach": units_reached(m)} for m in memberships],
        "cards": role_cards(user, memberships),
        "calendar_problem": calendar_problem() if has_perm(user, Perm.CALENDAR_MANAGE) else None,
        "calendar_admin_url": _first_url("admin:worktime_calendaryear_changelist", "admin:index"),
        "hot_warnings": list(hot_queries.recent_warnings(user)) if has_perm(user, Perm.STATS_VIEW) else [],
    }
    return render(request, "web/home.html", context)


def role_cards(user: User, memberships: list[Membership]) -> list[dict[str, Any]]:
    cards = []
    for role, card in ROLE_CARDS.items():
        held = [m for m in memberships if m.role == role]
        if held:
            cards.append({"card": card, "title": held[0].get_role_display(), "memberships": held,
                          "queues": queue_counts(card, user)})
    return cards


def _first_url(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"


def calendar_problem() -> tuple[str, str] | None:
    """("error" | "warning", message) from the working calendar, if that package can tell."""
    try:
        from jiesu.worktime import queries as worktime
    except ImportError:
        return None
    today = timezone.localdate()
    try:
        if hasattr(worktime, "missing_year_problem"):
            return worktime.missing_year_problem(today)
        message = worktime.missing_years_warning(today) if hasattr(worktime, "missing_years_warning") else None
    except DatabaseError:
        return None
    return ("warning", message) if message else None


@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """Browsers ask for /favicon.ico on every page, whatever the page links."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
