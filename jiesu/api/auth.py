"""How API callers prove who they are: a bearer token (other systems) or the browser's session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from jiesu.api.tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]


def actor_of(request: HttpRequest) -> Any:
    """The authenticated user, whichever way they proved it."""
    return request.auth  # type: ignore[attr-defined]
