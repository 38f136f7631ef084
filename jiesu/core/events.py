"""The one writer of the event log, and the subscribers it calls inside the same transaction.

Subscribers are registered explicitly (`subscribe`, usually from a package's ``AppConfig.ready``) and run
inside the transaction of the event: whatever they write (e.g. the notification outbox) commits or rolls back
with the change the event records. A subscriber must only write rows; anything slow or outside the database
(sending a message) belongs after commit. If a subscriber raises, the change is refused as a whole.
Packages below a subscriber never import it: they only record events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from jiesu.core.context import request_id_var
from jiesu.core.models import Event, RevealLog

Subscriber = Callable[[Event], None]
_SUBSCRIBERS: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> Subscriber:
    """Calls ``subscriber(event)`` for every event recorded from now on (once, however often registered)."""
    if subscriber not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(subscriber)
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber in _SUBSCRIBERS:
        _SUBSCRIBERS.remove(subscriber)


def subscribers() -> tuple[Subscriber, ...]:
    return tuple(_SUBSCRIBERS)


def record_event(
    *,
    subject_type: str,
    subject_id: Any,
    action: str,
    actor: Any = None,
    actor_unit: Any = None,
    actor_role: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event. Call it inside the transaction that makes the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    event = Event.objects.create(
        subject_type=subject_type,
        subject_id=str(subject_id),
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_unit_id=getattr(actor_unit, "pk", None),
        actor_unit_name=getattr(actor_unit, "name", "") or "",
        actor_role=actor_role,
        before=before or {},
        after=after or {},
        reason=reason or "",
        data=data or {},
        request_id=request_id_var.get(),
    )
    for subscriber in tuple(_SUBSCRIBERS):
        subscriber(event)
    return event


def events_of(subject_type: str, subject_id: Any):  # type: ignore[no-untyped-def]
    return Event.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by("id")


def log_reveal(*, user: Any, subject_type: str, subject_id: Any, fields: list[str], purpose: str = "") -> RevealLog:
    return RevealLog.objects.create(
        user=user,
        subject_type=subject_type,
        subject_id=str(subject_id),
        fields=list(fields),
        purpose=purpose,
        request_id=request_id_var.get(),
    )
