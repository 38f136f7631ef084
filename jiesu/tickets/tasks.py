"""Background work of the tickets package, through the django-tasks interface."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from jiesu.tickets.partitioning import ensure_months
from jiesu.tickets.sweep import sweep


@task()
def sweep_deadlines() -> dict[str, int]:
    """Marks warnings and overdue items; safe to run as often as wanted (each mark is written once)."""
    return asdict(sweep())


@task()
def ensure_partitions() -> list[str]:
    """Creates the coming months' partitions (PostgreSQL); run it daily or monthly, it is idempotent."""
    return ensure_months()
