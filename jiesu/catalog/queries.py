"""Reading the catalog: unit suggestions from the dispatch catalog, the applicable time limit, category pickers.

Matching uses the *current* version of each rule/limit whose validity covers the day asked about; superseded
versions are history (the assignment keeps the id of the rule row it followed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiesu.catalog.cache import catalogue
from jiesu.catalog.models import Category, Channel, DispatchRule, TimeLimit, Urgency
from jiesu.catalog.versioning import day_of
from jiesu.core.errors import DomainError
from jiesu.org.models import Region, Unit


class LimitMissing(DomainError):
    """No time limit applies to a clock: the catalog lacks a default row."""

    status = 409
    code = "limit_missing"
    default_message = _("缺少适用的办理时限，请管理员在“派单目录与时限”中补充。")


@dataclass(frozen=True)
class UnitSuggestion:
    unit: Unit
    co_units: tuple[Unit, ...]
    rule: DispatchRule | None
    source: str = "catalog"
    score: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class LimitSpec:
    amount: int
    unit: str
    warning_share: float
    limit: TimeLimit


def valid_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _slot(lookup: str, values: list[Any] | None) -> Q:
    """Rows with "any" in this slot, or one of ``values`` (the ticket's value and its ancestors)."""
    any_q = Q(**{f"{lookup.split('__')[0]}__isnull": True})
    return any_q | Q(**{f"{lookup}__in": values}) if values else any_q


def _region_slot(region: Region | None) -> Q:
    return _slot("region_id", [region.pk, *(r.pk for r in region.ancestors())] if region is not None else None)


def _category_slot(category: Category | None) -> Q:
    return _slot("category__code", category.ancestor_codes_and_self() if category is not None else None)


def matching_rules(*, category: Category | None, region: Region | None, at: date | datetime | None = None,
                   ) -> list[DispatchRule]:
    """Current, valid rules that apply, most specific first (category depth, region depth, priority)."""
    rows = (DispatchRule.objects.filter(is_current=True, lead_unit__is_active=True)
            .filter(valid_on(day_of(at)), _category_slot(category), _region_slot(region))
            .select_related("category", "region", "lead_unit").prefetch_related("co_units"))
    return sorted(rows, key=lambda r: (-_depth(r.category), -_depth(r.region), -r.priority, -r.pk))


def _depth(node: Category | Region | None) -> int:
    return node.level if node is not None else 0


def _score(rule: DispatchRule) -> float:
    """Specificity as a number in [0.55, 1]: lets catalog suggestions sit beside learned ones (0..1)."""
    return round(0.55 + 0.1 * _depth(rule.category) + 0.03 * _depth(rule.region), 2)


def _reason(rule: DispatchRule) -> str:
    category = rule.category.name if rule.category else gettext("任意分类")
    region = rule.region.name if rule.region else gettext("全市")
    basis = rule.legal_basis if len(rule.legal_basis) <= 60 else rule.legal_basis[:59] + "…"
    return gettext("派单目录：%(category)s × %(region)s（规则 v%(version)s，依据：%(basis)s）") % {
        "category": category, "region": region, "version": rule.version, "basis": basis}


def suggest_units(*, category: Category | None, region: Region | None,
                  at: date | datetime | None = None) -> list[UnitSuggestion]:
    """Candidate lead units from the dispatch catalog, best first, one per unit, with the rule that matched.

    ``category=None`` / ``region=None`` (not yet classified / place unknown) match only rules with "any" in
    that slot, so an unclassified ticket is never routed by a guess about its category.
    """
    suggestions: list[UnitSuggestion] = []
    seen: set[int] = set()
    for rule in matching_rules(category=category, region=region, at=at):
        if rule.lead_unit_id in seen:
            continue
        seen.add(rule.lead_unit_id)
        co = tuple(u for u in rule.co_units.all() if u.is_active and u.pk != rule.lead_unit_id)
        suggestions.append(UnitSuggestion(unit=rule.lead_unit, co_units=co, rule=rule, source="catalog",
                                          score=_score(rule), reason=_reason(rule)))
    return suggestions


def limit_for(clock: str, *, kind: str = "", category: Category | None = None, urgency: str = Urgency.NORMAL,
              at: date | datetime | None = None) -> LimitSpec:
    """The time limit for ``clock``: the most specific current, valid row (from this process's copy of the
    catalogue, `catalog.cache`; no query while the catalogue is unchanged).

    Specificity: a row naming the urgency beats one that does not; then the deeper category; then a row naming
    the kind. Rows naming another kind/urgency/category never apply. Raises LimitMissing when none does.
    """
    day = day_of(at)
    codes = set(category.ancestor_codes_and_self()) if category is not None else set()
    rows = [r for r in catalogue().current_limits.get(clock, ())
            if r.is_valid_on(day) and r.kind in ("", kind or "") and r.urgency in ("", urgency or "")
            and (r.category is None or r.category.code in codes)]
    best = max(rows, default=None, key=lambda r: (bool(r.urgency), _depth(r.category), bool(r.kind),
                                                  r.valid_from, r.pk))
    if best is None:
        raise LimitMissing(clock=clock, kind=kind, urgency=urgency,
                           category=category.code if category is not None else "")
    return LimitSpec(amount=best.amount, unit=best.unit, warning_share=float(best.warning_share), limit=best)


# ---- pickers and lists ----------------------------------------------------------------------------------------

def _active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("level", "sort", "code"))


def categories_tree() -> list[dict[str, Any]]:
    """Active categories as nested dicts (id, code, name, level, children), in display order. One query."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for c in _active_categories():
        node = {"id": c.pk, "code": c.code, "name": c.name, "level": c.level, "children": []}
        nodes[c.pk] = node
        if c.parent_id is None:
            roots.append(node)
        elif c.parent_id in nodes:  # a child of an inactive category is hidden with it
            nodes[c.parent_id]["children"].append(node)
    return roots


def category_choices(level: int | None = None) -> list[tuple[int, str]]:
    """(id, "城乡建设 / 供热 / 暖气不热") pairs of active categories, optionally of one level, in tree order."""
    out: list[tuple[int, str]] = []

    def walk(nodes: list[dict[str, Any]], prefix: str) -> None:
        for node in nodes:
            label = f"{prefix} / {node['name']}" if prefix else node["name"]
            if level is None or node["level"] == level:
                out.append((node["id"], label))
            walk(node["children"], label)

    walk(categories_tree(), "")
    return out


def active_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True).select_related("parent").order_by("sort", "code")


def current_rules(*, category: Category | None = None, region: Region | None = None, unit: Unit | None = None,
                  at: date | datetime | None = None) -> QuerySet[DispatchRule]:
    """Current rules valid on ``at`` (default today); filters by exact category/region or by lead/co unit."""
    rows = DispatchRule.objects.filter(is_current=True).filter(valid_on(day_of(at)))
    if category is not None:
        rows = rows.filter(category=category)
    if region is not None:
        rows = rows.filter(region=region)
    if unit is not None:
        rows = rows.filter(Q(lead_unit=unit) | Q(co_units=unit)).distinct()
    return (rows.select_related("category", "region", "lead_unit").prefetch_related("co_units")
            .order_by("category__path", "region__code", "-priority", "pk"))


def current_limits(*, clock: str = "", at: date | datetime | None = None) -> QuerySet[TimeLimit]:
    rows = TimeLimit.objects.filter(is_current=True).filter(valid_on(day_of(at)))
    if clock:
        rows = rows.filter(clock=clock)
    return rows.select_related("category").order_by("clock", "kind", "urgency", "pk")


def rule_history(rule_key: str) -> QuerySet[DispatchRule]:
    return DispatchRule.objects.filter(rule_key=rule_key).select_related("lead_unit", "created_by").order_by("-version")


def limit_history(limit_key: str) -> QuerySet[TimeLimit]:
    return TimeLimit.objects.filter(limit_key=limit_key).select_related("created_by").order_by("-version")
