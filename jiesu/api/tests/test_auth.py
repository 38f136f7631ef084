"""Who may call the API: a valid bearer token of an active user, or a logged-in browser session with CSRF."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from jiesu.api.models import ApiToken
from jiesu.api.tests.conftest import expect
from jiesu.api.tokens import create_token, hash_secret, revoke_token

pytestmark = pytest.mark.django_db


def _get(token: str | None, path: str = "/api/v1/tickets") -> object:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return Client().get(path, headers=headers)


def test_missing_invalid_revoked_or_inactive_tokens_are_401(city):
    _, raw = create_token(city.operator)
    assert expect(_get(raw), 200)["count"] == 0
    assert expect(_get(None), 401)["code"] == "unauthenticated"
    assert expect(_get(raw[:-2] + "xx"), 401)["code"] == "unauthenticated"
    assert expect(_get("not-a-jiesu-token"), 401)["code"] == "unauthenticated"
    token = ApiToken.objects.get()
    revoke_token(token.prefix)
    assert expect(_get(raw), 401)["code"] == "unauthenticated"
    _, other = create_token(city.dispatcher)
    city.dispatcher.is_active = False
    city.dispatcher.save()
    assert expect(_get(other), 401)["code"] == "unauthenticated"


def test_only_a_hash_of_the_secret_is_stored_and_use_is_recorded(city):
    token, raw = create_token(city.operator, name="市长信箱")
    assert raw.startswith(f"jiesu_{token.prefix}_") and len(token.prefix) == 8
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_secret(raw) and raw not in str(stored.__dict__.values())
    assert stored.last_used_at is None
    expect(_get(raw), 200)
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_the_token_command_creates_lists_and_revokes(city):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "--user", city.operator.username, "--name", "对接系统", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert expect(_get(raw), 200)["count"] == 0 and "请立即保存" in err.getvalue()
    prefix = ApiToken.objects.get().prefix
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert prefix in listing.getvalue() and "对接系统" in listing.getvalue() and raw not in listing.getvalue()
    call_command("token", "revoke", prefix, stdout=io.StringIO())
    assert expect(_get(raw), 401)["code"] == "unauthenticated"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("token", "create", "--user", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("token", "revoke", prefix, stdout=io.StringIO())


def test_a_browser_session_works_and_unsafe_methods_need_the_csrf_token(city):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.operator)
    assert expect(browser.get("/api/v1/tickets"), 200)["count"] == 0
    refused = browser.post("/api/v1/tickets", city.ticket_data(), content_type="application/json")
    assert refused.status_code == 403
    browser.get("/api/v1/tickets")  # any page; the cookie is set by get_token below
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    created = browser.post("/api/v1/tickets", city.ticket_data(), content_type="application/json",
                           headers={"X-CSRFToken": secret})
    assert expect(created, 201)["status"]["value"] == "received"


def test_the_openapi_document_describes_every_action(city):
    doc = expect(Client().get("/api/v1/openapi.json"), 200)
    from jiesu.tickets.lifecycle import TABLE

    for row in TABLE:
        operation = doc["paths"][f"/api/v1/tickets/{{number}}/actions/{row.action.value}"]["post"]
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert "version" in schema["required"] and "$ref" not in str(schema)
    assert {"BearerToken", "SessionAuth"} <= set(doc["components"]["securitySchemes"])


def test_the_catalog_endpoints_accept_the_same_tokens(city):
    _, raw = create_token(city.dispatcher)
    categories = expect(_get(raw, "/api/v1/categories"), 200)
    assert "T1" in {c["code"] for c in categories}
    assert expect(_get(None, "/api/v1/categories"), 401)["code"] == "unauthenticated"


def test_the_admin_lists_tokens_without_secrets_and_revokes_them(city):
    from jiesu.org.tests.factories import UserFactory

    token, raw = create_token(city.operator, name="对接")
    staff = UserFactory(username="root", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(staff)
    page = browser.get("/admin/api/apitoken/")
    assert page.status_code == 200 and token.prefix in page.content.decode()
    assert token.key_hash not in page.content.decode()
    browser.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and expect(_get(raw), 401)["code"] == "unauthenticated"
