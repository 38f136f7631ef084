from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from jiesu.worktime.queries import missing_year_problem

register = template.Library()


def today():  # type: ignore[no-untyped-def]
    return timezone.localdate()


@register.inclusion_tag("worktime/calendar_warning.html", takes_context=True)
def calendar_warning(context: Any) -> dict[str, Any]:
    """The missing-calendar warning for staff on the admin index; nothing for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_staff", False):
        return {}
    problem = missing_year_problem(today())
    if problem is None:
        return {}
    level, message = problem
    return {"level": level, "message": message, "link": reverse("admin:worktime_calendaryear_changelist")}
