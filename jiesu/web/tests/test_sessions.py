"""Staff sessions end after SESSION_IDLE_SECONDS without the user's own requests; a desk's polls do not keep
them alive. Every response carries the security headers."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from jiesu.org.tests.factories import UserFactory
from jiesu.web.sessions import LAST_ACTIVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    user = UserFactory(role=["operator", "dispatcher"], scope="city")
    client.force_login(user)
    return client


def _idle_for(client, seconds: int) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    session[LAST_ACTIVE] = int(time.time()) - seconds
    session.save()


def test_a_request_after_the_idle_limit_leads_to_the_login_page(signed_in, settings):
    _idle_for(signed_in, settings.SESSION_IDLE_SECONDS + 5)
    response = signed_in.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    assert signed_in.get(reverse("web:home")).status_code == 302  # signed out for good


def test_activity_inside_the_limit_keeps_the_session(signed_in, settings):
    _idle_for(signed_in, settings.SESSION_IDLE_SECONDS - 120)
    assert signed_in.get(reverse("web:home")).status_code == 200
    assert int(time.time()) - signed_in.session[LAST_ACTIVE] < 60


def test_polls_of_an_open_desk_do_not_count_as_activity(signed_in, settings):
    _idle_for(signed_in, settings.SESSION_IDLE_SECONDS - 120)
    before = signed_in.session[LAST_ACTIVE]
    response = signed_in.get(reverse("web:desk_counts", args=["dispatch"]), HTTP_HX_REQUEST="true")
    assert response.status_code in {200, 204}
    assert signed_in.session[LAST_ACTIVE] == before
    _idle_for(signed_in, settings.SESSION_IDLE_SECONDS + 5)
    expired = signed_in.get(reverse("web:desk_counts", args=["dispatch"]), HTTP_HX_REQUEST="true")
    assert expired["HX-Redirect"].startswith(reverse("web:login"))


def test_the_api_answers_401_once_the_session_is_idle(signed_in, settings):
    _idle_for(signed_in, settings.SESSION_IDLE_SECONDS + 5)
    assert signed_in.get("/api/v1/tickets").status_code == 401


def test_security_headers_on_every_page(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("web:login"), secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sessions_last_a_shift_at_most(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
