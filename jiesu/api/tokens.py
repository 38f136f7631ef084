"""Creating, checking and revoking API tokens. A token reads `jiesu_<prefix>_<secret>`; it is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiesu.api.models import ApiToken
from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.events import record_event

TOKEN_SUBJECT = "api_token"
SCHEME = "jiesu"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # fewer writes: last_used_at is only this precise


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


def create_token(user: Any, *, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the full token, which is never stored."""
    if not user.is_active:
        raise ValidationFailed(field_errors={"user": ["该用户已停用。"]})
    prefix = _new_prefix()
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:80], prefix=prefix, key_hash=hash_secret(raw))
        record_event(subject_type=TOKEN_SUBJECT, subject_id=token.pk, action="create", actor=actor,
                     data={"user": user.username, "prefix": prefix, "name": token.name})
    return token, raw


def revoke_token(prefix: str, *, actor: Any = None) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(prefix=prefix, revoked_at__isnull=True).first()
        if token is None:
            raise NotFound(f"没有前缀为 {prefix} 的有效令牌。")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(subject_type=TOKEN_SUBJECT, subject_id=token.pk, action="revoke", actor=actor,
                     data={"user": token.user.username, "prefix": prefix})
    return token


def user_for_token(raw: str) -> Any | None:
    """The active user a valid, unrevoked token belongs to; None otherwise."""
    if not raw.startswith(f"{SCHEME}_"):
        return None
    token = (ApiToken.objects.select_related("user").filter(key_hash=hash_secret(raw), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
