"""The periodic run: the deadline sweep, then the jobs other packages register; a failing job stops no other."""

from __future__ import annotations

from datetime import datetime

import pytest

from jiesu.tickets import sweep as sweep_module
from jiesu.tickets.sweep import periodic, register_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(monkeypatch):  # type: ignore[no-untyped-def]
    """Only this test's jobs (the installed packages' own are tested with them)."""
    monkeypatch.setattr(sweep_module, "_JOBS", {})
    return sweep_module._JOBS


def test_registered_jobs_run_after_the_sweep_with_its_moment(city, jobs):
    seen: list[datetime] = []
    register_job("counted", lambda now: seen.append(now) or 2)
    result = periodic()
    assert result.jobs == {"counted": 2} and len(seen) == 1


def test_a_failing_job_is_logged_and_the_others_still_run(city, jobs, caplog):
    def broken(now: datetime) -> int:
        raise RuntimeError("down")

    register_job("broken", broken)
    register_job("fine", lambda now: 1)
    result = periodic()
    assert result.jobs == {"fine": 1}
    assert "periodic job broken failed" in caplog.text


def test_the_same_name_replaces_the_job(city, jobs):
    register_job("one", lambda now: 1)
    register_job("one", lambda now: 5)
    assert periodic().jobs == {"one": 5}
