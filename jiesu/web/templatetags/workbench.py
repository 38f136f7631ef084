"""Template helpers of the staff workbench: ``{% load workbench %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from jiesu.web.worktime_display import time_left

register = template.Library()


@register.simple_tag
def due_badge(due_at: Any) -> str:
    """A badge with the working time left until ``due_at`` (coloured when close or overdue)."""
    left = time_left(due_at)
    if left is None:
        return mark_safe('<span class="due due-none">—</span>')  # noqa: S308 (a constant)
    return format_html('<span class="due due-{}" title="{}">{}</span>', left.level,
                       due_at.strftime("%Y-%m-%d %H:%M") if due_at else "", left.text)


@register.filter
def field_error(errors: dict[str, list[str]] | None, name: str) -> list[str]:
    return (errors or {}).get(name, [])
