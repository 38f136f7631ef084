"""The service clock: `at` for this context, `frozen` for every thread of the process."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from jiesu.core import clock

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WEDNESDAY = datetime(2026, 3, 4, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _seen_by_another_thread() -> datetime:
    seen: list[datetime] = []
    thread = threading.Thread(target=lambda: seen.append(clock.now()))
    thread.start()
    thread.join()
    return seen[0]


def test_at_is_seen_here_but_not_by_other_threads():
    with clock.at(MONDAY):
        assert clock.now() == MONDAY
        assert _seen_by_another_thread() != MONDAY


def test_frozen_is_seen_by_every_thread_and_at_still_wins_inside_it():
    with clock.frozen(WEDNESDAY):
        assert clock.now() == WEDNESDAY and _seen_by_another_thread() == WEDNESDAY
        with clock.at(MONDAY):
            assert clock.now() == MONDAY
    assert clock.now() != WEDNESDAY
