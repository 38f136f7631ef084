"""Backfilling the merge-candidate index (``jiesu index rebuild``): every ticket, or those since a day.

Incremental upkeep happens on accept (duplicates.index_new_ticket, in the accepting transaction); this
rebuilds after an import, a change of the signature scheme, or a restore. On PostgreSQL the rows are streamed with COPY (a million tickets in a
few minutes on 2 cores); elsewhere they are bulk-inserted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import connection, transaction

from jiesu.intelligence.duplicates import signature_rows
from jiesu.intelligence.signature_models import DuplicateKey, TicketSignature

BATCH = 5000
Progress = Callable[[int, int], None]


def rebuild(*, since: datetime | None = None, batch: int = BATCH, progress: Progress | None = None) -> int:
    """Rewrites the signatures of every ticket (created at or after ``since``); returns how many."""
    from jiesu.tickets.models import Ticket

    tickets = Ticket.objects.order_by("pk")
    if since is not None:
        tickets = tickets.filter(created_at__gte=since)
    total = tickets.count()
    _clear(since)
    done, last_pk = 0, 0
    while True:
        rows = list(tickets.filter(pk__gt=last_pk).values_list("pk", "title", "content", "region_id",
                                                               "created_at")[:batch])
        if not rows:
            break
        _write([signature_rows(*row) for row in rows])
        done, last_pk = done + len(rows), rows[-1][0]
        if progress:
            progress(done, total)
    return done


def _clear(since: datetime | None) -> None:
    with transaction.atomic():
        if since is None and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {DuplicateKey._meta.db_table}, {TicketSignature._meta.db_table}")
            return
        keys, signatures = DuplicateKey.objects.all(), TicketSignature.objects.all()
        if since is not None:
            keys, signatures = keys.filter(created_at__gte=since), signatures.filter(created_at__gte=since)
        keys.delete()
        signatures.delete()


def _write(built: list[tuple[TicketSignature, list[DuplicateKey]]]) -> None:
    ids = [row.ticket_id for row, _ in built]
    with transaction.atomic():
        # a ticket accepted while the rebuild runs may already have been indexed on accept
        DuplicateKey.objects.filter(ticket_id__in=ids).delete()
        TicketSignature.objects.filter(ticket_id__in=ids).delete()
        if connection.vendor == "postgresql":
            _copy(built)
        else:
            TicketSignature.objects.bulk_create([row for row, _ in built])
            DuplicateKey.objects.bulk_create([key for _, keys in built for key in keys], batch_size=2000)


def _copy(built: list[tuple[TicketSignature, list[DuplicateKey]]]) -> None:
    sig_table, key_table = TicketSignature._meta.db_table, DuplicateKey._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {sig_table} (ticket_id, created_at, region_id, length, minhash) FROM STDIN") as copy:
            for row, _ in built:
                copy.write_row((row.ticket_id, row.created_at, row.region_id, row.length, row.minhash))
        with raw.copy(f"COPY {key_table} (key, ticket_id, created_at) FROM STDIN") as copy:
            for _, keys in built:
                for key in keys:
                    copy.write_row((key.key, key.ticket_id, key.created_at))
