"""Sign-in throttling and its audit: failed logins counted per account and per network address, from the rows of
`SignInAudit` (in the database, so every server process and both SQLite and PostgreSQL share them; no cache).

- An account is locked once it has `LOGIN_MAX_FAILURES` failures within `LOCKOUT_MINUTES` and after its last
  success; the lock ends when the oldest of those failures is older than the window. A success resets it.
- An address is locked once `LOGIN_MAX_FAILURES_PER_IP` failures (any accounts) came from it in the window, so
  trying one password on many accounts is stopped too. API token failures count per address alike.
- Attempts during a lock-out are refused without checking the password and are recorded as `locked`.
The web login form, the admin's and the API's bearer token all go through here (docs/deployment.md).
Rows older than `JIESU_SIGNIN_AUDIT_RETENTION_DAYS` are deleted by `prune` (the sweep runs it)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core.context import request_id_var
from jiesu.org.models import SignInAudit

Outcome = SignInAudit.Outcome
FAILURES = (Outcome.FAILURE,)


@dataclass(frozen=True)
class Lockout:
    message: str
    until: Any


def _limits() -> tuple[int, int, timedelta]:
    return (settings.JIESU_LOGIN_MAX_FAILURES, settings.JIESU_LOGIN_MAX_FAILURES_PER_IP,
            timedelta(minutes=settings.JIESU_LOGIN_LOCKOUT_MINUTES))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy (JIESU_FORWARDED_ALLOW_IPS: addresses or
    networks as gunicorn reads them, loopback by default) the last address of X-Forwarded-For that is not itself a
    trusted proxy. A chain with a malformed entry counts as the proxy's own address, never as no address (which
    would escape the per-address lock)."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if remote is not None and _trusted(remote):
        for address in reversed(forwarded):
            if (valid := _valid(address)) is None:
                return remote
            if not _trusted(valid):
                return valid
    return remote


def _trusted(address: str) -> bool:
    allowed = settings.JIESU_FORWARDED_ALLOW_IPS
    if "*" in allowed:
        return True
    ip = ipaddress.ip_address(address)
    for entry in allowed:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def _lock_until(rows: Any, limit: int, window: timedelta) -> Any | None:
    """When the lock formed by these failures ends, or None when they are fewer than the limit."""
    times = list(rows.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + window


def lockout(username: str, ip: str | None, *, token: bool = False) -> Lockout | None:
    """The lock-out this attempt falls under, or None when it may go ahead."""
    per_account, per_ip, window = _limits()
    since = timezone.now() - window
    recent = SignInAudit.objects.filter(at__gte=since)
    if token:
        rows = recent.filter(ip=ip, outcome=Outcome.TOKEN_FAILURE)
        until = _lock_until(rows, settings.JIESU_TOKEN_MAX_FAILURES_PER_IP, window) if ip else None
        return Lockout(_("该网络地址的无效令牌过多，请 %(m)d 分钟后再试。") % {"m": _minutes(until)}, until) \
            if until else None
    if username:
        last_success = (SignInAudit.objects.filter(username=username, outcome=Outcome.SUCCESS)
                        .aggregate(last=Max("at"))["last"])
        rows = recent.filter(username=username, outcome__in=FAILURES)
        if last_success:
            rows = rows.filter(at__gt=last_success)
        if until := _lock_until(rows, per_account, window):
            return Lockout(_("登录失败次数过多，该账号已暂时锁定，请 %(m)d 分钟后再试，或联系系统管理员。")
                           % {"m": _minutes(until)}, until)
    if ip and (until := _lock_until(recent.filter(ip=ip, outcome__in=FAILURES), per_ip, window)):
        return Lockout(_("该网络地址登录失败次数过多，请 %(m)d 分钟后再试。") % {"m": _minutes(until)}, until)
    return None


@contextmanager
def serialised(username: str) -> Iterator[None]:
    """One attempt on an account at a time on PostgreSQL (a transaction-scoped advisory lock on its name), so a
    burst of parallel guesses cannot all pass the check before the first failures are written. SQLite needs no
    lock of ours for the count to hold across processes, but parallel attempts there are not serialised."""
    if connection.vendor != "postgresql" or not username:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"jiesu-signin:{username}"])
        yield


def _minutes(until: Any) -> int:
    return max(1, -int(-(until - timezone.now()).total_seconds() // 60))


def record(request: HttpRequest | None, outcome: str, channel: str, *, username: str = "",
           user: Any = None) -> SignInAudit:
    """One audit row. `username` is what was typed (cut to the field), never a password or a token's secret."""
    meta = request.META if request is not None else {}
    return SignInAudit.objects.create(
        at=timezone.now(), outcome=outcome, channel=channel, username=(username or "")[:150],
        user=user if user is not None and getattr(user, "pk", None) else None,
        ip=client_ip(request) if request is not None else None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:200], request_id=request_id_var.get())


def retention() -> timedelta:
    """How long audit rows are kept: the setting, but never less than the lock-out window (a shorter one would
    delete the failures a lock is counted from and so end it early)."""
    return max(timedelta(days=settings.JIESU_SIGNIN_AUDIT_RETENTION_DAYS), _limits()[2])


def prune(now: datetime | None = None) -> int:
    """Deletes the audit rows older than the retention; returns how many. Safe to run as often as wanted."""
    cutoff = (now or timezone.now()) - retention()
    deleted, _per_model = SignInAudit.objects.filter(at__lt=cutoff).delete()
    return deleted
