"""Background work of the intelligence package, through the django-tasks interface."""

from __future__ import annotations

from django_tasks import task

from jiesu.intelligence import case_index


@task()
def refresh_case_index() -> int:
    """Adds newly approved replies to the similar-case index; returns how many were added."""
    return case_index.update()
