"""The login forms of the workbench and of the admin, throttled and audited through jiesu.org.signin."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from jiesu.org import signin
from jiesu.org.models import SignInAudit

Outcome = SignInAudit.Outcome


class ThrottledLoginMixin:
    """Refuses during a lock-out (without checking the password) and records every attempt's outcome."""

    channel: str = SignInAudit.Channel.WEB
    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        with signin.serialised(str(self.cleaned_data.get("username") or "")):
            try:
                return self._checked_clean()
            except ValidationError as error:
                refusal = error  # raised after the block: the failure's audit row must commit, not roll back
        raise refusal

    def _checked_clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        if username and self.cleaned_data.get("password"):
            lock = signin.lockout(username, signin.client_ip(self.request) if self.request else None)
            if lock is not None:
                signin.record(self.request, Outcome.LOCKED, self.channel, username=username)
                raise ValidationError(lock.message, code="locked")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError:
            signin.record(self.request, Outcome.FAILURE, self.channel, username=username)
            raise
        user = self.get_user()  # type: ignore[attr-defined]
        if user is not None:
            signin.record(self.request, Outcome.SUCCESS, self.channel, username=username, user=user)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    channel = SignInAudit.Channel.ADMIN
