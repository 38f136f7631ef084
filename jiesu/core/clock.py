"""The current moment for services. Demo loading can replay history at chosen moments with `at(...)`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("jiesu_clock", default=None)
_process_moment: datetime | None = None


def now() -> datetime:
    return _moment.get() or _process_moment or timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Like `at`, but seen by every thread of the process (a context variable does not reach threads started
    elsewhere): browser tests freeze the live server's time so they never depend on today's calendar year."""
    global _process_moment
    previous, _process_moment = _process_moment, moment
    try:
        yield
    finally:
        _process_moment = previous
