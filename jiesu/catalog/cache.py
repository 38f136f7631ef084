"""The catalogue as each process keeps it: channels, categories and the current time limits, looked up without
a query (`jiesu.core.process_cache`). The copies are shared by the threads of a process: read, never save them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jiesu.catalog.models import Category, Channel, TimeLimit
from jiesu.core.process_cache import cached


@dataclass(frozen=True)
class Catalogue:
    active_categories: dict[str, Category]  # by code
    active_channels: dict[str, Channel]  # by code
    current_limits: dict[str, tuple[TimeLimit, ...]]  # by clock
    categories_by_id: dict[int, Category]  # active or not
    channels_by_id: dict[int, Channel]


def _load() -> Catalogue:
    categories = {c.pk: c for c in Category.objects.all()}
    for category in categories.values():
        parent = categories.get(category.parent_id) if category.parent_id else None
        if parent is not None:
            category.parent = parent
    limits: dict[str, list[TimeLimit]] = defaultdict(list)
    for row in TimeLimit.objects.filter(is_current=True).order_by("pk"):
        row.category = categories.get(row.category_id) if row.category_id else None
        limits[row.clock].append(row)
    channels = {c.pk: c for c in Channel.objects.all()}
    return Catalogue(
        active_categories={c.code: c for c in categories.values() if c.is_active},
        active_channels={c.code: c for c in channels.values() if c.is_active},
        current_limits={clock: tuple(rows) for clock, rows in limits.items()},
        categories_by_id=categories, channels_by_id=channels,
    )


def catalogue() -> Catalogue:
    return cached("catalog.catalogue", _load)
