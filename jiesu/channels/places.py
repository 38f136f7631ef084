"""The place pickers of the public form: districts of the city, then streets, then communities."""

from __future__ import annotations

from typing import Any

from jiesu.org.models import Region

PICKED_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.COMMUNITY)


def districts() -> list[Any]:
    return list(Region.objects.filter(level=Region.Level.DISTRICT, is_active=True).order_by("code"))


def children(parent_code: str) -> list[Any]:
    """The active regions one level below ``parent_code`` (a district or a street); none for anything else."""
    parent = Region.objects.filter(code=parent_code, is_active=True, level__in=PICKED_LEVELS[:2]).first()
    if parent is None:
        return []
    return list(Region.objects.filter(parent=parent, is_active=True).order_by("code"))
