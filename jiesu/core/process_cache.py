"""Configuration read once per process — the working calendar, the catalogue, units, regions — and kept true
across processes.

Each process (every gunicorn worker, the task worker, a command) keeps its own copy of what it loaded, tagged
with the **configuration token**: the single row of ``core_configstamp``, which database triggers on every
watched table replace with a new random value whenever a row of that table is inserted, changed or deleted —
by the admin, a service, a bulk update, raw SQL or a restore alike; a rolled-back change rolls the token back
with it. A copy is used only while its token is the current one, so a time limit changed in the admin applies
to the next ticket in every worker, and no process serves a calendar another one has changed.

Reading the token is one primary-key query. Inside a web request it is read once, at the first use
(``request_scope``, opened by ``RequestIdMiddleware``), so a request pays at most that one query; a change of
a watched model saved during the request drops the memo (``post_save``/``post_delete``), so the request itself
sees what it changed. Outside requests (the worker, commands, tests calling services) every use reads it.

The triggers are (re)installed after every ``migrate`` (``install_triggers``), because SQLite drops a table's
triggers when a migration rebuilds the table; ``missing_triggers()`` lists any that are absent (a test).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
STAMP_TABLE = "core_configstamp"
_MISSING = 0  # the token while the row does not exist (a table just emptied by a test's flush)

_watched: dict[str, type[Model]] = {}
_lock = threading.Lock()
_copies: dict[str, tuple[int, Any]] = {}


class _Memo:
    __slots__ = ("token",)

    def __init__(self) -> None:
        self.token: int | None = None


_request_memo: ContextVar[_Memo | None] = ContextVar("jiesu_config_token_memo", default=None)


def watch(*models: type[Model]) -> None:
    """Marks models as configuration: their tables get the token triggers, their saves drop the request memo."""
    for model in models:
        _watched[model._meta.db_table] = model
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"process_cache:{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_changed, sender=field.remote_field.through,  # type: ignore[union-attr]
                                dispatch_uid=f"process_cache:{model._meta.label}.{field.name}")


def watched_tables() -> list[str]:
    tables = set(_watched)
    for model in _watched.values():
        tables.update(f.remote_field.through._meta.db_table  # type: ignore[union-attr]
                      for f in model._meta.local_many_to_many)
    return sorted(tables)


def _changed(**_: Any) -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.token = None


def current_token() -> int:
    """The configuration token now (once per request inside ``request_scope``)."""
    memo = _request_memo.get()
    if memo is not None and memo.token is not None:
        return memo.token
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    token = int(row[0]) if row else _MISSING
    if memo is not None:
        memo.token = token
    return token


def cached(name: str, load: Callable[[], T]) -> T:
    """This process's copy of ``name``, loaded again by ``load()`` when the configuration changed since.

    The token is read before loading, so a copy is never newer-labelled than its content: a change committed
    while loading makes the next call load again."""
    token = current_token()
    copy = _copies.get(name)
    if copy is not None and copy[0] == token:
        return copy[1]  # type: ignore[no-any-return]
    from jiesu.core.replica import primary_reads

    with primary_reads():  # the copy must match the primary's token, whatever the caller reads from
        value = load()
    with _lock:
        _copies[name] = (token, value)
    return value


def forget() -> None:
    """Drops every copy of this process (tests that swap settings use it)."""
    with _lock:
        _copies.clear()


@contextmanager
def request_scope() -> Iterator[None]:
    reset = _request_memo.set(_Memo())
    try:
        yield
    finally:
        _request_memo.reset(reset)


# ---- the triggers ------------------------------------------------------------------------------------------

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jiesu_touch_config() RETURNS trigger AS $$
BEGIN
  INSERT INTO {STAMP_TABLE} (id, token) VALUES (1, floor(random() * 9e18)::bigint)
  ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_TOUCH = f"INSERT OR REPLACE INTO {STAMP_TABLE} (id, token) VALUES (1, random());"


def _trigger_name(table: str, event: str = "") -> str:
    return f"{table}_touch_config{'_' + event if event else ''}"


def install_triggers(using: Any = None) -> None:
    """Creates any missing token trigger on the watched tables (idempotent)."""
    conn = using or connection
    tables = set(conn.introspection.table_names())
    if STAMP_TABLE not in tables:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        for table in watched_tables():
            if table not in tables:
                continue
            if conn.vendor == "postgresql":
                cursor.execute(f'CREATE OR REPLACE TRIGGER "{_trigger_name(table)}" AFTER INSERT OR UPDATE OR DELETE '
                               f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION jiesu_touch_config()')
            elif conn.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f'CREATE TRIGGER IF NOT EXISTS "{_trigger_name(table, event)}" AFTER '
                                   f'{event.upper()} ON "{table}" BEGIN {SQLITE_TOUCH} END')


def drop_triggers(using: Any = None) -> None:
    conn = using or connection
    tables = set(conn.introspection.table_names())
    with conn.cursor() as cursor:
        for table in watched_tables():
            if conn.vendor == "postgresql" and table in tables:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{_trigger_name(table)}" ON "{table}"')
            elif conn.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{_trigger_name(table, event)}"')
        if conn.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS jiesu_touch_config()")


def missing_triggers(using: Any = None) -> list[str]:
    """Watched tables without their token trigger(s)."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    events = [""] if conn.vendor == "postgresql" else ["insert", "update", "delete"]
    return [t for t in watched_tables() if any(_trigger_name(t, e) not in present for e in events)]
