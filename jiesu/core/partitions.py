"""Monthly partitions of the big tables on PostgreSQL (tickets, assignments, events); SQLite stays unpartitioned.

Declarative range partitioning by a timestamp column (`convert` turns an existing table into a partitioned one
with its data, `revert` turns it back). Each month is a partition named ``<table>_pYYYY_MM``; a default partition
``<table>_pdefault`` catches anything outside the months created, so an insert never fails — `ensure` creates
the months ahead (a command and a task run it; rows that reached the default partition move to their month).
Old months can be detached for archiving and attached again (docs/dev/partitions.md).

What partitioning asks of the schema (docs/dev/decisions/partitioned-tables-and-foreign-keys.md):
- a primary key or unique constraint must contain the partition key, so the primary key becomes (id, key);
  ids still come from one sequence, so they stay unique;
- a unique column that is not the key (a ticket's number, its idempotency key) is unique per partition: an index
  on each month (``unique_per_partition``), which is unique overall wherever equal values fall in the same month;
- no foreign key may point at a partitioned table: those pointing at tickets and assignments are not declared in
  the database (``db_constraint=False``); the services keep them true (rows are only created for a ticket they
  hold locked, tickets and assignments are never deleted); `jiesu partitions check` counts any row pointing nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

DEFAULT_SUFFIX = "_pdefault"
MONTHS_AHEAD = 3


@dataclass(frozen=True)
class Spec:
    table: str
    key: str  # the timestamp column partitioned on
    unique_per_partition: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


_registry: dict[str, Spec] = {}


def register(table: str, key: str, unique_per_partition: tuple[tuple[str, ...], ...] = ()) -> None:
    _registry[table] = Spec(table, key, unique_per_partition)


def registered() -> list[Spec]:
    return [_registry[t] for t in sorted(_registry)]


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _bound(month: date) -> str:
    """The moment a month begins in the hotline's time zone (a ticket numbered on the 1st is in that month)."""
    return datetime.combine(month, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)).isoformat()


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y_%m}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_partitioned(table: str, using: Any = None) -> bool:
    conn = using or default_connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.relname = %s AND c.relnamespace = 'public'::regnamespace", [table])
        return cursor.fetchone() is not None


# ---- months ---------------------------------------------------------------------------------------------

def months(table: str, using: Any = None) -> list[tuple[str, date | None, date | None, int | None]]:
    """(partition, from, to, estimated rows) of a partitioned table, oldest first; the default one last."""
    conn = using or default_connection
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [table])
        rows = cursor.fetchall()
    out = []
    for name, bound, estimate in rows:
        found = [_local_day(v) for v in re.findall(r"'([^']+)'", bound or "")]
        start, end = (found[0], found[1]) if len(found) == 2 else (None, None)
        out.append((name, start, end, max(int(estimate), 0) if estimate is not None else None))
    return sorted(out, key=lambda r: (r[1] is None, r[1] or date.min))


def _local_day(value: str) -> date:
    return datetime.fromisoformat(value).astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _create_month(cursor: Any, spec: Spec, month: date) -> bool:
    """Creates one month's partition (moving its rows out of the default partition); False if it existed."""
    name, start, end = partition_name(spec.table, month), month, _next_month(month)
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is not None:
        return False
    table, default, key = _q(spec.table), _q(spec.table + DEFAULT_SUFFIX), _q(spec.key)
    bounds = f"FROM ('{_bound(start)}') TO ('{_bound(end)}')"
    cursor.execute(f"CREATE TABLE {_q(name)} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    in_range = f"{key} >= '{_bound(start)}' AND {key} < '{_bound(end)}'"
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {in_range})")
    if cursor.fetchone()[0]:
        # rows written while their month did not exist yet; the append-only triggers are set aside for the move
        # (after any deferred check of this transaction, which would otherwise block the ALTER)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {default} DISABLE TRIGGER USER")
        cursor.execute(f"WITH moved AS (DELETE FROM {default} WHERE {in_range} RETURNING *) "
                       f"INSERT INTO {_q(name)} SELECT * FROM moved")
        cursor.execute(f"ALTER TABLE {default} ENABLE TRIGGER USER")
    cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {_q(name)} FOR VALUES {bounds}")
    for columns in spec.unique_per_partition:
        cursor.execute(f"CREATE UNIQUE INDEX {_q(name + '_' + '_'.join(columns) + '_uniq')} ON {_q(name)} "
                       f"({', '.join(_q(c) for c in columns)})")
    return True


def ensure(today: date, *, months_ahead: int = MONTHS_AHEAD, since: date | None = None,
           using: Any = None) -> list[str]:
    """Creates the partitions from ``since`` (default: this month) to ``months_ahead`` months after ``today``,
    and those of any month whose rows reached the default partition, for every registered, partitioned table;
    returns the names created."""
    conn = using or default_connection
    created: list[str] = []
    for spec in registered():
        if not is_partitioned(spec.table, conn):
            continue
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            wanted = set(_months_between(since or today, today, months_ahead)) | _months_in_default(cursor, spec)
            for month in sorted(wanted):
                if _create_month(cursor, spec, month):
                    created.append(partition_name(spec.table, month))
    return created


def _months_in_default(cursor: Any, spec: Spec) -> set[date]:
    """Months of the rows that reached the default partition (their month did not exist yet)."""
    cursor.execute(f"SELECT DISTINCT date_trunc('month', {_q(spec.key)} AT TIME ZONE %s)::date "
                   f"FROM {_q(spec.table + DEFAULT_SUFFIX)} WHERE {_q(spec.key)} IS NOT NULL", [settings.TIME_ZONE])
    return {row[0] for row in cursor.fetchall()}


def detach(table: str, month: date, using: Any = None) -> str:
    """Detaches one month: it stays as a table of its own (dump it with pg_dump, then drop it to archive)."""
    conn = using or default_connection
    name = partition_name(table, _month_start(month))
    with conn.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
    return name


def attach(table: str, month: date, using: Any = None) -> str:
    """Attaches a detached (or restored) month again."""
    conn = using or default_connection
    start = _month_start(month)
    name = partition_name(table, start)
    with conn.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES FROM "
                       f"('{_bound(start)}') TO ('{_bound(_next_month(start))}')")
    return name


# ---- converting a table (migrations) ---------------------------------------------------------------------

def _definitions(cursor: Any, table: str) -> dict[str, list[Any]]:
    cursor.execute("SELECT indexrelid::regclass::text, indisprimary, indisunique, pg_get_indexdef(indexrelid), "
                   "EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) FROM pg_index "
                   "WHERE indrelid = %s::regclass", [table])
    indexes = cursor.fetchall()
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                   "AND contype = 'f'", [table])
    foreign = cursor.fetchall()
    cursor.execute("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass "
                   "AND NOT tgisinternal", [table])
    triggers = cursor.fetchall()
    return {"indexes": indexes, "foreign": foreign, "triggers": triggers}


def _drop_foreign_keys_into(cursor: Any, table: str) -> None:
    """Foreign keys of other tables pointing at ``table`` (the models declare them db_constraint=False)."""
    cursor.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE confrelid = %s::regclass "
                   "AND contype = 'f' AND conrelid <> confrelid", [table])
    for other, name in cursor.fetchall():
        cursor.execute(f"ALTER TABLE {other} DROP CONSTRAINT {_q(name)}")


def _on(definition: str, old: str, new: str) -> str:
    return re.sub(rf"\bON (ONLY )?(public\.)?{re.escape(old)}\b", f"ON {new}", definition)


def convert(schema_editor: Any, spec: Spec, *, today: date) -> None:
    """Turns ``spec.table`` into a table partitioned by month on ``spec.key``, keeping its rows, indexes,
    foreign keys to other tables, checks and triggers. PostgreSQL only (does nothing elsewhere)."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql" or is_partitioned(spec.table, conn):
        return
    table, old, key = spec.table, f"{spec.table}_unpartitioned", spec.key
    with conn.cursor() as cursor:
        _drop_foreign_keys_into(cursor, table)
        found = _definitions(cursor, table)
        cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
        for name, _primary, _unique, _definition, is_constraint in found["indexes"]:
            if is_constraint:
                cursor.execute(f"ALTER TABLE {_q(old)} DROP CONSTRAINT {_q(name)}")
            else:
                cursor.execute(f"DROP INDEX {_q(name)}")
        cursor.execute(f"ALTER TABLE {_q(old)} ALTER id DROP IDENTITY IF EXISTS")
        cursor.execute(f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
                       f"PARTITION BY RANGE ({_q(key)})")
        sequence = f"{table}_id_seq"
        cursor.execute(f"CREATE SEQUENCE {_q(sequence)} OWNED BY {_q(table)}.id")
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER id SET DEFAULT nextval('{sequence}')")
        cursor.execute(f"ALTER TABLE {_q(table)} ADD PRIMARY KEY (id, {_q(key)})")
        unique_columns = {tuple(c) for c in spec.unique_per_partition}
        for name, primary, unique, definition, _ in found["indexes"]:
            if primary:
                continue
            if unique:
                columns = tuple(c.strip().strip('"') for c in definition.split("(", 1)[1].rstrip(")").split(","))
                if columns not in unique_columns and key not in columns:
                    raise RuntimeError(f"{table}: unique index {name} ({columns}) needs a rule for partitions")
                if key not in columns:
                    continue  # made on each month instead
            cursor.execute(_on(definition, old, _q(table)))
        cursor.execute(f"CREATE TABLE {_q(table + DEFAULT_SUFFIX)} PARTITION OF {_q(table)} DEFAULT")
        for columns in spec.unique_per_partition:
            cursor.execute(f"CREATE UNIQUE INDEX {_q(table + DEFAULT_SUFFIX + '_' + '_'.join(columns) + '_uniq')} "
                           f"ON {_q(table + DEFAULT_SUFFIX)} ({', '.join(_q(c) for c in columns)})")
        cursor.execute(f"SELECT (min({_q(key)}) AT TIME ZONE %s)::date FROM {_q(old)}", [settings.TIME_ZONE])
        earliest = cursor.fetchone()[0] or today
        for month in _months_between(earliest, today, MONTHS_AHEAD):
            _create_month(cursor, spec, month)
        cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(old)}")
        cursor.execute(f"SELECT setval('{sequence}', COALESCE((SELECT max(id) FROM {_q(table)}), 0) + 1, false)")
        for name, definition in found["foreign"]:
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        cursor.execute(f"DROP TABLE {_q(old)}")
        for _name, definition in found["triggers"]:
            cursor.execute(_on(definition, old, _q(table)))


def _months_between(earliest: date, today: date, ahead: int) -> list[date]:
    month, last = _month_start(min(earliest, today)), _month_start(today)
    for _ in range(ahead):
        last = _next_month(last)
    out = []
    while month <= last:
        out.append(month)
        month = _next_month(month)
    return out


def revert(schema_editor: Any, spec: Spec, *, unique_constraints: dict[str, tuple[str, ...]]) -> None:
    """Turns the partitioned table back into a plain one with its rows (the reverse of `convert`);
    ``unique_constraints`` names the per-partition unique columns' constraints to restore."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql" or not is_partitioned(spec.table, conn):
        return
    table, old = spec.table, f"{spec.table}_partitioned"
    with conn.cursor() as cursor:
        found = _definitions(cursor, table)
        cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
        for name, _primary, _unique, _definition, is_constraint in found["indexes"]:
            if is_constraint:
                cursor.execute(f"ALTER TABLE {_q(old)} DROP CONSTRAINT {_q(name)}")
            else:
                cursor.execute(f"DROP INDEX {_q(name)}")
        cursor.execute(f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER id DROP DEFAULT")
        cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(old)}")
        cursor.execute(f"ALTER TABLE {_q(table)} ADD PRIMARY KEY (id)")
        cursor.execute(f"SELECT COALESCE(max(id), 0) + 1 FROM {_q(table)}")
        start = cursor.fetchone()[0]
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {start})")
        for name, columns in unique_constraints.items():
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} UNIQUE "
                           f"({', '.join(_q(c) for c in columns)})")
        for _name, primary, unique, definition, _ in found["indexes"]:
            if not primary and not unique:
                cursor.execute(_on(definition, old, _q(table)))
        for name, definition in found["foreign"]:
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        cursor.execute(f"DROP TABLE {_q(old)} CASCADE")
        for _name, definition in found["triggers"]:
            cursor.execute(_on(definition, old, _q(table)))
