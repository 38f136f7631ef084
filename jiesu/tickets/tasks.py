"""Background work of the tickets package, through the django-tasks interface."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django_tasks import task

from jiesu.org import signin
from jiesu.tickets.partitioning import ensure_months
from jiesu.tickets.sweep import periodic


@task()
def sweep_deadlines() -> dict[str, Any]:
    """Marks warnings and overdue items, prunes the sign-in audit, then runs the registered periodic jobs; safe
    to run as often as wanted (each mark is written once, each job is idempotent)."""
    return {**asdict(periodic()), "signins_pruned": signin.prune()}


@task()
def ensure_partitions() -> list[str]:
    """Creates the coming months' partitions (PostgreSQL); run it daily or monthly, it is idempotent."""
    return ensure_months()
