"""Read-only questions about units, users and regions. Lists of units go through ``restrict``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from jiesu.core.permissions import Perm
from jiesu.core.scope import restrict
from jiesu.org.models import Membership, Region, RegionAlias, Unit, User


def normalise_place_name(name: str) -> str:
    """The form names and aliases are compared in: no spaces of any width."""
    return "".join(name.split())


def find_regions_by_name(name: str, *, include_inactive: bool = False) -> list[Region]:
    """Regions whose official name or one of whose aliases is exactly ``name``.

    "伊通县", "伊通" and "伊通满族自治县" all find 伊通满族自治县. A name can be ambiguous (two communities with
    the same name in different streets), so a list comes back, higher levels first. Free-text extraction
    belongs to ``jiesu.intelligence``; it can load everything at once through ``region_name_index``.
    """
    wanted = normalise_place_name(name)
    if not wanted:
        return []
    regions = Region.objects.filter(Q(name=wanted) | Q(aliases__alias=wanted))
    if not include_inactive:
        regions = regions.filter(is_active=True)
    return list(regions.select_related("parent").distinct().order_by("level", "code"))


def region_name_index() -> dict[str, list[int]]:
    """Every active region's name and aliases → region ids, for matchers that scan free text."""
    index: dict[str, set[int]] = defaultdict(set)
    for pk, name in Region.objects.filter(is_active=True).values_list("pk", "name"):
        index[normalise_place_name(name)].add(pk)
    aliases = RegionAlias.objects.filter(region__is_active=True)
    for region_id, alias in aliases.values_list("region_id", "alias"):
        index[normalise_place_name(alias)].add(region_id)
    return {name: sorted(ids) for name, ids in index.items()}


def region_path(region: Region) -> list[Region]:
    """From the city down to ``region`` (the province is left out, as addresses do)."""
    return [r for r in reversed(region.ancestors()) if r.level >= Region.Level.CITY] + [region]


def unit_tree(queryset: QuerySet[Unit] | None = None) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth (0 for a root)."""
    units = (queryset if queryset is not None else Unit.objects.all()).order_by("path")
    return [(unit, unit.path.count("/") - 2) for unit in units]


def visible_units(user: Any, perm: Perm = Perm.UNIT_VIEW) -> QuerySet[Unit]:
    """The units ``user`` may see, e.g. to choose from when filtering a list."""
    return restrict(Unit.objects.filter(is_active=True), user, perm).order_by("path")


def hotline_centre() -> Unit | None:
    """The city's hotline centre: the first active centre unit in the tree."""
    return Unit.objects.filter(kind=Unit.Kind.CENTRE, is_active=True).order_by("path").first()


def centre_name() -> str:
    """The name documents are signed with: the centre's, or the hotline's generic name."""
    from django.utils.translation import gettext

    centre = hotline_centre()
    return centre.name if centre else gettext("12345 政务服务便民热线")


def find_unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def memberships_of(user: User) -> list[Membership]:
    """The user's active roles, ordered for display (unit tree order, then role)."""
    return sorted(user.active_memberships(), key=lambda m: (m.unit.path, m.role))


def units_reached(membership: Membership) -> int | None:
    """How many active units a role reaches: 1 for its own unit, the subtree's size, None for the whole city."""
    if membership.scope == Membership.ScopeKind.CITY:
        return None
    if membership.scope == Membership.ScopeKind.SUBTREE:
        return membership.unit.descendants_and_self().filter(is_active=True).count()
    return 1


def has_history(obj: Any, *, ignore: tuple[str, ...] = ()) -> bool:
    """Whether anything else in the database points at ``obj`` (roles, tickets, events, admin log …).

    Such rows are the record of what happened; the admin only lets an object without them be deleted.
    ``ignore`` names reverse relations that do not count (e.g. a region's aliases).
    """
    from jiesu.core.models import Event

    for rel in obj._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        if rel.related_name in ignore or rel.get_accessor_name() in ignore:
            continue
        if rel.related_model._base_manager.filter(**{rel.field.name: obj.pk}).exists():
            return True
    return Event.objects.filter(subject_type=obj._meta.model_name, subject_id=str(obj.pk)).exists()
