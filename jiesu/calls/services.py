"""Importing call records: one transaction and one event per batch; call ids already imported are skipped;
each answered call is linked to the ticket it created (docs/dev/figures.md, "Call records")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction

from jiesu.calls.models import DEFAULT_SOURCE, Call
from jiesu.calls.records import CallRecord
from jiesu.core import clock
from jiesu.core.errors import Conflict, PermissionDeniedError, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.tickets.models import Ticket

LINK_AFTER_END = timedelta(minutes=30)  # a ticket registered up to this long after the call ended is its ticket
PENDING_SLACK = timedelta(minutes=10)  # windows closed this long ago are looked at again by the next import
BATCH = 1000
Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    source: str
    imported: int = 0
    already: list[str] = field(default_factory=list)  # call ids that were there before
    linked: int = 0
    relinked: int = 0  # calls imported earlier, linked now to a ticket registered since
    event_id: int | None = None


def require_import(actor: Any) -> None:
    """``None`` is the system (the command line run by the operator of the server)."""
    if actor is not None and not has_perm(actor, Perm.CALLS_IMPORT):
        raise PermissionDeniedError()


def import_calls(actor: Any, rows: Sequence[CallRecord], source: str = DEFAULT_SOURCE, *,
                 progress: Progress | None = None, note: str = "") -> ImportResult:
    """Stores the records not yet imported from ``source`` and links the recent calls still without a ticket, in
    one transaction with one event (none when nothing changed). Records are checked already (`records.Checker`)."""
    require_import(actor)
    source = (source or "").strip()
    if not source or len(source) > 40:
        raise ValidationFailed("来源名称应为 1–40 个字符。", field_errors={"source": ["1–40 个字符"]})
    result = ImportResult(source)
    try:
        with transaction.atomic():
            _store(actor, rows, result, progress, note)
    except IntegrityError as exc:  # another import of the same calls committed in the meantime
        raise Conflict("这些话单正被另一次导入写入，请稍后重试（重试不会重复导入）。") from exc
    return result


def _store(actor: Any, rows: Sequence[CallRecord], result: ImportResult, progress: Progress | None,
           note: str) -> None:
    calls = _create(_new_records(rows, result.source, result), result.source, progress)
    result.imported = len(calls)
    result.linked = link_tickets(calls)
    result.relinked = link_tickets(list(_pending(result.source, calls[0].pk if calls else None)))
    if not calls and not result.relinked:
        return  # nothing changed: nothing to record
    data = {"imported": len(calls), "already": len(result.already), "linked": result.linked,
            "relinked": result.relinked, **({"first": calls[0].pk, "last": calls[-1].pk} if calls else {}),
            **({"note": note[:200]} if note else {})}
    event = record_event(subject_type="call_import", subject_id=result.source, action="import", actor=actor,
                         data=data)
    result.event_id = event.pk


def _pending(source: str, first_new: int | None) -> Any:
    """Answered calls imported earlier without a ticket whose window may have held a ticket registered since
    (a feed posts a call when it ends; the ticket may be registered up to 30 minutes later)."""
    since = clock.now() - LINK_AFTER_END - PENDING_SLACK
    earlier = Call.objects.filter(pk__lt=first_new) if first_new is not None else Call.objects.all()
    return earlier.filter(source=source, ticket__isnull=True, answered_at__isnull=False, ended_at__gte=since
                          ).exclude(caller="")


def _new_records(rows: Sequence[CallRecord], source: str, result: ImportResult) -> list[CallRecord]:
    ids = [r.call_id for r in rows]
    existing: set[str] = set()
    for start in range(0, len(ids), BATCH):
        existing |= set(Call.objects.filter(source=source, call_id__in=ids[start:start + BATCH])
                        .values_list("call_id", flat=True))
    result.already = [i for i in ids if i in existing]
    seen: set[str] = set()
    new = []
    for r in rows:
        if r.call_id not in existing and r.call_id not in seen:
            seen.add(r.call_id)
            new.append(r)
    return new


def _create(records: list[CallRecord], source: str, progress: Progress | None) -> list[Call]:
    now = clock.now()
    calls: list[Call] = []
    for start in range(0, len(records), BATCH):
        chunk = [Call(source=source, call_id=r.call_id, line_id=r.line_id, caller=r.caller,
                      offered_at=r.offered_at, answered_at=r.answered_at, ended_at=r.ended_at, wait_ms=r.wait_ms,
                      seat=r.seat, queue=r.queue, survey=r.survey, imported_at=now)
                 for r in records[start:start + BATCH]]
        calls += Call.objects.bulk_create(chunk)
        if progress:
            progress(len(calls), len(records))
    if calls and calls[0].pk is None:  # backends that do not return ids from a bulk insert
        by_id = dict(Call.objects.filter(source=source, call_id__in=[c.call_id for c in calls])
                     .values_list("call_id", "pk"))
        for c in calls:
            c.pk = by_id[c.call_id]
    calls.sort(key=lambda c: c.pk)
    return calls


def link_tickets(calls: Sequence[Call]) -> int:
    """Links each answered call without a ticket to the first ticket with the caller's number as requester phone
    registered between the answer and 30 minutes after the end, that no other call holds; returns how many."""
    answered = sorted((c for c in calls if c.answered_at and c.caller and c.ticket_id is None),
                      key=lambda c: (c.answered_at, c.pk))
    linked = 0
    for start in range(0, len(answered), BATCH):
        chunk = answered[start:start + BATCH]
        candidates = _candidates(chunk)
        taken = set(Call.objects.filter(ticket_id__in=[t[0] for ts in candidates.values() for t in ts])
                    .values_list("ticket_id", flat=True))
        changed = []
        for call in chunk:
            assert call.answered_at is not None
            until = call.ended_at + LINK_AFTER_END
            for ticket_id, created_at in candidates.get(call.caller, []):
                if ticket_id not in taken and call.answered_at <= created_at <= until:
                    call.ticket_id = ticket_id
                    taken.add(ticket_id)
                    changed.append(call)
                    break
        Call.objects.bulk_update(changed, ["ticket"])
        linked += len(changed)
    return linked


def _candidates(calls: list[Call]) -> dict[str, list[tuple[int, Any]]]:
    since = min(c.answered_at for c in calls if c.answered_at)
    until = max(c.ended_at for c in calls) + LINK_AFTER_END
    rows = (Ticket.objects.filter(requester_phone__in={c.caller for c in calls}, created_at__gte=since,
                                  created_at__lte=until)
            .order_by("created_at", "id").values_list("requester_phone", "pk", "created_at"))
    found: dict[str, list[tuple[int, Any]]] = {}
    for phone, pk, created_at in rows:
        found.setdefault(phone, []).append((pk, created_at))
    return found
