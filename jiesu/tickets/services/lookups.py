"""Turning codes from inputs into records, with field errors in Chinese when they do not exist. Units,
categories, channels and regions come from this process's copies (`org.cache`, `catalog.cache`): no query."""

from __future__ import annotations

from typing import Any

from jiesu.catalog.cache import catalogue
from jiesu.catalog.models import Category, Channel
from jiesu.core.errors import ValidationFailed
from jiesu.org.cache import active_unit, org_tables, region
from jiesu.org.models import Region, Unit
from jiesu.tickets.models import Assignment, Ticket
from jiesu.tickets.numbering import created_on


def _one(model: Any, field: str, message: str, **lookup: Any) -> Any:
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist as exc:
        raise ValidationFailed(field_errors={field: [message]}) from exc


def _cached(found: Any, field: str, message: str) -> Any:
    if found is None:
        raise ValidationFailed(field_errors={field: [message]})
    return found


def unit_by_code(code: str, field: str = "lead_unit") -> Unit:
    return _cached(active_unit(code), field, f"单位代码“{code}”不存在或已停用。")


def units_by_codes(codes: list[str], field: str = "assist_units") -> list[Unit]:
    return [unit_by_code(code, field) for code in dict.fromkeys(codes)]


def category_by_code(code: str, field: str = "category") -> Category:
    return _cached(catalogue().active_categories.get(code), field, f"诉求分类“{code}”不存在或已停用。")


def region_by_code(code: str, field: str = "region") -> Region:
    return _cached(region(code), field, f"行政区划“{code}”不存在。")


def channel_by_code(code: str, field: str = "channel") -> Channel:
    return _cached(catalogue().active_channels.get(code), field, f"受理渠道“{code}”不存在或已停用。")


def ticket_by_number(number: str, field: str = "into") -> Ticket:
    return _one(Ticket, field, f"工单“{number}”不存在。", number=number, **created_on(number))


def with_related(ticket: Ticket) -> Ticket:
    """Attaches the ticket's category (with its parents), channel, region and lead unit from this process's
    copies instead of a join or a query each."""
    catalog, org = catalogue(), org_tables()
    tables = (("category", catalog.categories_by_id), ("channel", catalog.channels_by_id),
              ("region", org.regions_by_id), ("lead_unit", org.units_by_id))
    for name, table in tables:
        related_id = getattr(ticket, f"{name}_id")
        if related_id is not None and related_id in table and not _loaded(ticket, name):
            setattr(ticket, name, table[related_id])
    return ticket


def remember_assignments(ticket: Ticket, assignments: list[Assignment]) -> None:
    """Keeps ``assignments`` (all of the ticket's, as an action just left them) as the ticket's prefetched
    assignments, units attached from the process's copy, so that presenting the ticket reads them again from
    nowhere. ``ticket.assignments.all()`` returns them; any ``filter()`` still asks the database."""
    units = org_tables().units_by_id
    for a in assignments:
        if a.unit_id in units and not _loaded(a, "unit"):
            a.unit = units[a.unit_id]
    prefetched = Assignment.objects.filter(ticket=ticket)
    prefetched._result_cache = list(assignments)
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    ticket._prefetched_objects_cache = {  # type: ignore[attr-defined]
        **getattr(ticket, "_prefetched_objects_cache", {}), _ASSIGNMENTS: prefetched}


def _loaded(obj: Any, relation: str) -> bool:
    """Whether the related object is already on ``obj`` (loaded, or set)."""
    return bool(obj._meta.get_field(relation).is_cached(obj))


def prefetched_assignments(ticket: Ticket) -> list[Assignment] | None:
    found = getattr(ticket, "_prefetched_objects_cache", {}).get(_ASSIGNMENTS)
    return list(found) if found is not None else None


_ASSIGNMENTS = Ticket.assignments.rel.get_accessor_name()  # the key Django keeps prefetched assignments under
