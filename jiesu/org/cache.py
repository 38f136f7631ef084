"""Units and regions as each process keeps them, looked up by code without a query (`jiesu.core.process_cache`).

The copies are shared by the threads of a process: read them, never save them (load a fresh row to change one).
"""

from __future__ import annotations

from dataclasses import dataclass

from jiesu.core.process_cache import cached
from jiesu.org.models import Region, Unit


@dataclass(frozen=True)
class OrgTables:
    active_units: dict[str, Unit]  # by code
    regions: dict[str, Region]  # by code
    units_by_id: dict[int, Unit]  # active or not
    regions_by_id: dict[int, Region]


def _link_parents(rows: dict[int, Unit] | dict[int, Region]) -> None:
    for row in rows.values():
        parent = rows.get(row.parent_id) if row.parent_id else None  # type: ignore[union-attr]
        if parent is not None:
            row.parent = parent  # type: ignore[assignment]


def _load() -> OrgTables:
    units = {u.pk: u for u in Unit.objects.all()}
    regions = {r.pk: r for r in Region.objects.all()}
    _link_parents(units)
    _link_parents(regions)
    return OrgTables(active_units={u.code: u for u in units.values() if u.is_active},
                     regions={r.code: r for r in regions.values()}, units_by_id=units, regions_by_id=regions)


def org_tables() -> OrgTables:
    return cached("org.tables", _load)


def active_unit(code: str) -> Unit | None:
    return org_tables().active_units.get(code)


def region(code: str) -> Region | None:
    return org_tables().regions.get(code)
