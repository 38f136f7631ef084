"""Delivering outbox messages: claim one row, send it through its gateway, record the attempt, retry with
back-off or give up after ``NOTIFY_MAX_ATTEMPTS``.

Sending twice is prevented by the claim: a conditional UPDATE from 待发送 to 发送中 that only one worker wins,
whatever the database. A worker killed after the claim leaves the row 发送中; `deliver_due` returns it to
待发送 after `SENDING_LEASE` and it is sent again (the one case of a possible duplicate: the provider may have
accepted it before the crash; the retry carries the same reference — Aliyun's OutId, the e-mail's Message-ID).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import F, Q
from django_tasks import default_task_backend

from jiesu.core import clock
from jiesu.notify.gateways import GatewayError, OutgoingSms, SendResult, sms_gateway
from jiesu.notify.gateways.email import NAME as EMAIL_GATEWAY
from jiesu.notify.gateways.email import send_email
from jiesu.notify.models import Channel, DeliveryAttempt, OutboxMessage, Status
from jiesu.notify.policy import SENDING_LEASE, backoff, quiet_until

log = logging.getLogger(__name__)

SENT, RETRY, FAILED, DEFERRED, SKIPPED = "sent", "retry", "failed", "deferred", "skipped"
_HELD: ContextVar[bool] = ContextVar("notify_delivery_held", default=False)


@contextmanager
def held() -> Iterator[None]:
    """Messages written meanwhile stay 待发送 (not scheduled); `deliver_due` or the demo decides later."""
    token = _HELD.set(True)
    try:
        yield
    finally:
        _HELD.reset(token)


def schedule(pk: int, at: datetime | None = None) -> None:
    """Hands a message to delivery: at once in-process ("inline"), else as a task (deferred when the backend can
    defer; otherwise `deliver_due` sends it when its time comes)."""
    if _HELD.get():
        return
    due_later = at is not None and at > clock.now()
    if settings.NOTIFY_DELIVERY == "inline":
        if not due_later:
            deliver(pk)
        return
    from jiesu.notify.tasks import deliver_message

    try:
        if not due_later:
            deliver_message.enqueue(pk)
        elif default_task_backend.supports_defer:
            deliver_message.using(run_after=at).enqueue(pk)
    except Exception:  # the queue being down must not fail the request: deliver_due will find the row
        log.exception("could not enqueue outbox message %s; deliver_due will send it", pk)


def _quiet_until(message: OutboxMessage, now: datetime) -> datetime | None:
    if message.channel != Channel.SMS or message.audience != "requester" or message.bypass_quiet_hours:
        return None
    return quiet_until(now)


def deliver(pk: int) -> str:
    """Sends one message if it is due and nobody else is sending it. Returns what happened."""
    now = clock.now()
    message = OutboxMessage.objects.filter(pk=pk, status=Status.PENDING).first()
    if message is None or (message.next_attempt_at and message.next_attempt_at > now):
        return SKIPPED
    if message.expires_at and message.expires_at < now:
        _close(message, Status.CANCELLED, cancel_reason="已过期，未发送")
        return SKIPPED
    if (later := _quiet_until(message, now)) is not None:
        OutboxMessage.objects.filter(pk=pk, status=Status.PENDING).update(next_attempt_at=later)
        schedule(pk, later)
        return DEFERRED
    if not OutboxMessage.objects.filter(pk=pk, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1):
        return SKIPPED  # another worker claimed it
    message.refresh_from_db()
    attempt = DeliveryAttempt.objects.create(message=message, started_at=now, gateway=_gateway_name(message))
    try:
        result = _send(message)
    except GatewayError as exc:
        return _failed(message, attempt, str(exc), permanent=exc.permanent)
    except Exception as exc:  # a fault in an adapter is retried like a provider's, and logged with its trace
        log.exception("outbox message %s: unexpected error while sending", pk)
        return _failed(message, attempt, f"{type(exc).__name__}: {exc}", permanent=False)
    _sent(message, attempt, result)
    return SENT


def _gateway_name(message: OutboxMessage) -> str:
    return EMAIL_GATEWAY if message.channel == Channel.EMAIL else str(settings.NOTIFY_SMS_BACKEND)


def _send(message: OutboxMessage) -> SendResult:
    reference = str(message.pk)
    if message.channel == Channel.EMAIL:
        return send_email(to=message.recipient, subject=message.subject, body=message.body, reference=reference)
    params = {k: v for k, v in message.params.items() if not k.startswith("_")}
    return sms_gateway().send(OutgoingSms(to=message.recipient, text=message.body, reference=reference,
                                          template_code=str(message.params.get("_template_code", "")),
                                          params=params))


def _finish_attempt(attempt: DeliveryAttempt, *, ok: bool, provider_id: str = "", error: str = "") -> None:
    attempt.finished_at, attempt.ok, attempt.provider_id, attempt.error = clock.now(), ok, provider_id, error
    attempt.save()


def _close(message: OutboxMessage, status: str, **fields: object) -> None:
    """Ends a message; a body holding a secret (a code) is replaced by its preview once it is no use."""
    if message.has_secret:
        fields = {**fields, "body": message.preview, "params": {}}
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, next_attempt_at=None, **fields)


def _sent(message: OutboxMessage, attempt: DeliveryAttempt, result: SendResult) -> None:
    _finish_attempt(attempt, ok=True, provider_id=result.provider_id)
    _close(message, Status.SENT, sent_at=clock.now(), provider_id=result.provider_id, last_error="")


def _failed(message: OutboxMessage, attempt: DeliveryAttempt, error: str, *, permanent: bool) -> str:
    _finish_attempt(attempt, ok=False, error=error)
    if permanent or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _close(message, Status.FAILED, last_error=error)
        return FAILED
    later = clock.now() + backoff(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.PENDING, next_attempt_at=later,
                                                       last_error=error)
    schedule(message.pk, later)
    return RETRY


@dataclass
class DueResult:
    reclaimed: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0


def deliver_due(limit: int = 500) -> DueResult:
    """The safety net (and the way deferred messages go when the task backend cannot defer): returns rows left
    发送中 by a crashed worker to 待发送, then sends every message that is due, oldest first."""
    now = clock.now()
    result = DueResult()
    result.reclaimed = OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_LEASE).update(
        status=Status.PENDING, next_attempt_at=now)
    due = (OutboxMessage.objects.filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
                                        status=Status.PENDING)
           .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    for pk in list(due):
        outcome = deliver(pk)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
