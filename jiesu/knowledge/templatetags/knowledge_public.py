"""Filters for the citizens' pages: never show a personal number, whatever an article's text holds."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from jiesu.knowledge.content import without_personal_numbers

register = template.Library()


@register.filter
def public(value: object) -> str:
    """The text with mobiles, ID numbers, plates and long numbers replaced; stays safe if it was safe."""
    cleaned = without_personal_numbers(str(value or ""))
    return mark_safe(cleaned) if isinstance(value, SafeString) else cleaned  # noqa: S308 (input was safe)
