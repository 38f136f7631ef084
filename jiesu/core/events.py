"""The one writer of the event log."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiesu.core.context import request_id_var
from jiesu.core.models import Event, RevealLog


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
    return Event.objects.create(
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
