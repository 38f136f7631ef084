"""How API callers prove who they are: a bearer token (other systems) or the browser's session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from jiesu.api.tokens import SCHEME, user_for_token
from jiesu.core.errors import TooManyAttempts
from jiesu.org import signin
from jiesu.org.models import SignInAudit

Outcome, Channel = SignInAudit.Outcome, SignInAudit.Channel


class BearerToken(HttpBearer):
    """A valid token's user. Invalid tokens are audited (by their public prefix only) and counted per address;
    over the limit an address's invalid tokens get 429 for the lock-out (jiesu.org.signin).

    A valid token is never refused and costs no extra query: its secret is 256 random bits (guessing is hopeless,
    the lock is against noise and for the audit), and a caller behind the same address as a guesser (a shared
    gateway) must not lose its integration to them."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
            return user
        if (lock := signin.lockout("", signin.client_ip(request), token=True)) is not None:
            signin.record(request, Outcome.TOKEN_LOCKED, Channel.API, username=token_label(token))
            raise TooManyAttempts(lock.message)
        signin.record(request, Outcome.TOKEN_FAILURE, Channel.API, username=token_label(token))
        return None


def token_label(token: str) -> str:
    """What the audit names a presented token by: its public prefix (`jiesu_<prefix>`), never its secret."""
    parts = token.strip().split("_")
    return f"{parts[0]}_{parts[1]}"[:40] if len(parts) >= 3 and parts[0] == SCHEME else "(not a jiesu token)"


AUTH = [BearerToken(), django_auth]


def actor_of(request: HttpRequest) -> Any:
    """The authenticated user, whichever way they proved it."""
    return request.auth  # type: ignore[attr-defined]
