"""Read-only analytics on a read replica: figures, searches and exports may read from a streaming replica of the
primary, everything else reads and every write goes to the primary (docs/dev/partitions.md, "Where reads go").

Code that only reads and can accept data a little old runs inside ``analytics_reads()`` (or is decorated with
``@analytics``); while it runs, the router sends the ORM's reads to the ``replica`` database — when one is
configured (``JIESU_REPLICA_DATABASE_URL``) and not lagging more than ``JIESU_REPLICA_MAX_LAG_SECONDS``
(default 300 s). Otherwise, and if the replica cannot be reached, the reads go to the primary: a slow or absent
replica never stops a page. Writes always go to the primary, and so do the configuration copies of
``process_cache`` (they must match the primary's token).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)
REPLICA = "replica"
PRIMARY = "default"
LAG_CHECK_EVERY = 5.0  # seconds between two looks at the replica's lag, per process
F = TypeVar("F", bound=Callable[..., Any])

_reading_from: ContextVar[str | None] = ContextVar("jiesu_analytics_database", default=None)
_lag_lock = threading.Lock()
_lag_seen: dict[str, Any] = {"at": 0.0, "ok": False}


def configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag_seconds() -> float:
    return float(getattr(settings, "JIESU_REPLICA_MAX_LAG_SECONDS", 300))


def replica_lag_seconds() -> float | None:
    """How far the replica's replay is behind (0 when it has replayed all it received); None if unreachable."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END")
            return float(cursor.fetchone()[0])
    except DatabaseError as exc:
        log.warning("read replica unreachable, analytics read from the primary: %s", exc)
        connections[REPLICA].close()
        return None


def replica_usable() -> bool:
    """Configured, reachable and within the lag tolerance (looked at every few seconds per process)."""
    if not configured():
        return False
    now = time.monotonic()
    with _lag_lock:
        if now - _lag_seen["at"] < LAG_CHECK_EVERY:
            return bool(_lag_seen["ok"])
    lag = replica_lag_seconds()
    ok = lag is not None and lag <= max_lag_seconds()
    if lag is not None and not ok:
        log.warning("read replica %.0f s behind (tolerance %.0f s): analytics read from the primary", lag,
                    max_lag_seconds())
    with _lag_lock:
        _lag_seen.update(at=now, ok=ok)
    return ok


def forget_lag() -> None:
    with _lag_lock:
        _lag_seen.update(at=0.0, ok=False)


@contextmanager
def analytics_reads() -> Iterator[str]:
    """Reads inside go to the replica when it is usable; yields the database alias they go to."""
    alias = REPLICA if replica_usable() else PRIMARY
    reset = _reading_from.set(alias)
    try:
        yield alias
    finally:
        _reading_from.reset(reset)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary, even within ``analytics_reads`` (configuration copies, locks)."""
    reset = _reading_from.set(None)
    try:
        yield
    finally:
        _reading_from.reset(reset)


def analytics(func: F) -> F:
    """Runs the function inside ``analytics_reads()``."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with analytics_reads():
            return func(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside ``analytics_reads`` to the replica, all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _reading_from.get()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # a physical replica follows the primary's schema by itself
