"""The two lookups behind merge candidates, as plain SQL: they run on every keystroke pause at the intake
screen, against tens of millions of key rows, so each is one round trip with its values as one array
parameter on PostgreSQL (an ORM ``IN`` of 300 keys costs more to compile than to run)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from jiesu.intelligence.signature_models import DuplicateKey, TicketSignature

Row = tuple[int, int | None, bytes, bool]  # ticket id, region id, minhash, found by a segment key


def _any(column: str, values: list[int]) -> tuple[str, list[Any]]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


@contextmanager
def _serial_cursor():  # type: ignore[no-untyped-def]
    """A cursor whose query runs in this backend alone: these lookups take a millisecond or two, and starting
    a parallel worker (which PostgreSQL plans for a few hundred probed keys) costs ten times that."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield cursor


def _open_join(alias: str) -> tuple[str, list[Any]]:
    """Joins the ticket of signature ``alias`` when it is open and not merged (only those can be merged into)."""
    from jiesu.tickets.models import Ticket
    from jiesu.tickets.states import OPEN_STATES

    states = sorted(str(s) for s in OPEN_STATES)
    return (f"JOIN {Ticket._meta.db_table} t ON t.id = {alias}.ticket_id AND t.merged_into_id IS NULL "
            f"AND t.status IN ({', '.join(['%s'] * len(states))})", states)


def candidates(segment_probes: list[int], band_keys: list[int], region_id: int | None, since: datetime,
               until: datetime, *, keyed_limit: int, place_limit: int) -> list[Row]:
    """Both lookups in one transaction (one round of BEGIN/SET/COMMIT for the two)."""
    with _serial_cursor() as cursor:
        rows = keyed(cursor, segment_probes, band_keys, since, until, keyed_limit)
        if region_id is not None:
            rows += same_place(cursor, region_id, since, until, place_limit)
        return rows


def keyed(cursor: Any, segment_probes: list[int], band_keys: list[int], since: datetime, until: datetime,
          limit: int) -> list[Row]:
    """Open tickets created between ``since`` and ``until`` sharing a key with the draft, those sharing a
    segment key first."""
    exact_sql, exact_params = _any("k.key", segment_probes)
    all_sql, all_params = _any("k.key", segment_probes + band_keys)
    join_sql, join_params = _open_join("s")
    sql = (f"SELECT s.ticket_id, s.region_id, s.minhash, MAX(CASE WHEN {exact_sql} THEN 1 ELSE 0 END) AS exact "
           f"FROM {DuplicateKey._meta.db_table} k JOIN {TicketSignature._meta.db_table} s "
           f"ON s.ticket_id = k.ticket_id {join_sql} WHERE {all_sql} AND k.created_at >= %s AND k.created_at <= %s "
           f"GROUP BY s.ticket_id, s.region_id, s.minhash ORDER BY exact DESC, s.ticket_id DESC LIMIT %s")
    cursor.execute(sql, [*exact_params, *join_params, *all_params, since, until, limit])
    return [(pk, region, bytes(raw), bool(exact)) for pk, region, raw, exact in cursor.fetchall()]


def same_place(cursor: Any, region_id: int, since: datetime, until: datetime, limit: int) -> list[Row]:
    """The latest open tickets of a region created between ``since`` and ``until``."""
    join_sql, join_params = _open_join("s")
    sql = (f"SELECT s.ticket_id, s.region_id, s.minhash FROM {TicketSignature._meta.db_table} s {join_sql} "
           f"WHERE s.region_id = %s AND s.created_at >= %s AND s.created_at <= %s ORDER BY s.created_at DESC LIMIT %s")
    cursor.execute(sql, [*join_params, region_id, since, until, limit])
    return [(pk, region, bytes(raw), False) for pk, region, raw in cursor.fetchall()]
