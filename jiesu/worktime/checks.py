"""`jiesu check --database default` (and `jiesu migrate`) report a missing calendar year."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone


def calendar_years_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    # Like Django's own database checks, run only when a database is named (so plain commands stay quiet).
    if not databases or "default" not in databases:
        return []
    from jiesu.worktime.queries import missing_year_problem

    try:
        problem = missing_year_problem(timezone.localdate())
    except DatabaseError:  # tables not created yet (before the first migrate)
        return []
    if problem is None:
        return []
    level, message = problem
    hint = "后台：工作日历 › 日历年度；或 jiesu calendar seed --year 年份（chinese-calendar 已知的年份）。"
    # A warning even for the current year: an Error would make `migrate` refuse to run, blocking upgrades.
    return [checks.Warning(message, hint=hint, id="worktime.W002" if level == "error" else "worktime.W001")]
