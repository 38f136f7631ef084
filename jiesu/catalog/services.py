"""Changes to the dispatch catalog and the time limits. Each runs in one transaction and writes one event.

Rows are never edited in place: a change creates version n+1 of the same key (``rule_key`` / ``limit_key``)
and marks the old row as no longer current. ``actor=None`` stands for the system (seed data, demo, imports);
a person needs the catalog:manage permission, except for ``add_rule_from_adjudication`` whose caller (the
adjudication service) checks the adjudicator's own permission.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from jiesu.catalog import versioning as v
from jiesu.catalog.models import Category, Clock, DispatchRule, Kind, LimitUnit, TimeLimit, Urgency
from jiesu.core.errors import ValidationFailed
from jiesu.core.events import record_event
from jiesu.org.models import Region, Unit

RULE_FIELDS = ("category", "region", "lead_unit", "priority", "legal_basis", "source", "valid_from", "valid_to")
LIMIT_FIELDS = ("clock", "kind", "category", "urgency", "amount", "unit", "warning_share", "valid_from",
                "valid_to")
ADJUDICATION_PRIORITY = 100


# ---- dispatch rules -------------------------------------------------------------------------------------------

def _check_rule(values: dict[str, Any], co_units: list[Unit]) -> None:
    errors: v.Errors = {}
    lead: Unit | None = values.get("lead_unit")
    if lead is None:
        errors["lead_unit"] = ["请选择主办单位。"]
    elif not lead.is_active:
        errors["lead_unit"] = [f"主办单位“{lead.name}”已停用。"]
    inactive = [u.name for u in co_units if not u.is_active]
    if inactive:
        errors["co_units"] = [f"协办单位已停用：{'、'.join(inactive)}。"]
    if lead is not None and any(u.pk == lead.pk for u in co_units):
        errors.setdefault("co_units", []).append("主办单位不能同时作为协办单位。")
    category: Category | None = values.get("category")
    if category is not None and not category.is_active:
        errors["category"] = [f"诉求分类“{category.name}”已停用。"]
    region: Region | None = values.get("region")
    if region is not None and not region.is_active:
        errors["region"] = [f"行政区划“{region.name}”已停用。"]
    if not (values.get("legal_basis") or "").strip():
        errors["legal_basis"] = ["请填写职责依据（法规、三定方案或研判结论）。"]
    if not isinstance(values.get("priority"), int):
        errors["priority"] = ["优先级须为整数。"]
    v.check_dates(errors, values.get("valid_from"), values.get("valid_to"))
    v.raise_if(errors, "派单规则有误")


def _rule_event(rule: DispatchRule, action: str, actor: Any, *, before: DispatchRule | None = None,
                reason: str = "", data: dict[str, Any] | None = None) -> None:
    def snap(row: DispatchRule) -> dict[str, Any]:
        return {**v.snapshot(row, RULE_FIELDS), "co_units": [u.code for u in row.co_units.all()]}

    record_event(subject_type="dispatch_rule", subject_id=rule.rule_key, action=action, actor=actor,
                 actor_unit=v.actor_unit(actor), before=snap(before) if before else None, after=snap(rule),
                 reason=reason, data={"rule_id": rule.pk, "version": rule.version, **(data or {})})


def create_rule(actor: Any, *, category: Category | None, region: Region | None, lead_unit: Unit,
                co_units: Iterable[Unit] = (), priority: int = 0, legal_basis: str, source: str = "",
                valid_from: date | None = None, valid_to: date | None = None, reason: str = "",
                rule_key: str | None = None) -> DispatchRule:
    """A new line of the dispatch catalog (version 1). ``rule_key`` defaults to a new UUID."""
    v.check_manager(actor)
    if rule_key is not None and DispatchRule.objects.filter(rule_key=rule_key).exists():
        raise ValidationFailed(f"规则标识“{rule_key}”已存在。", field_errors={"rule_key": ["规则标识已存在。"]})
    values = {"category": category, "region": region, "lead_unit": lead_unit, "priority": priority,
              "legal_basis": (legal_basis or "").strip(), "source": source or "",
              "valid_from": valid_from or v.today(), "valid_to": valid_to}
    if rule_key is not None:
        values["rule_key"] = rule_key
    return _new_rule(actor, values, list(co_units), reason=reason)


def _new_rule(actor: Any, values: dict[str, Any], co: list[Unit], *, reason: str,
              data: dict[str, Any] | None = None) -> DispatchRule:
    _check_rule(values, co)
    with transaction.atomic():
        rule = DispatchRule.objects.create(**values, version=1, is_current=True, change_reason=reason or "",
                                           created_by=actor if getattr(actor, "pk", None) else None)
        rule.co_units.set(co)
        _rule_event(rule, "created", actor, reason=reason, data=data)
    return rule


def _changed_rule(actor: Any, rule: DispatchRule, *, reason: str, action: str, changes: dict[str, Any],
                  data: dict[str, Any] | None = None) -> DispatchRule:
    unknown = set(changes) - set(RULE_FIELDS) - {"co_units"}
    if unknown:
        raise ValidationFailed(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        current = v.lock_current(rule, "rule_key")
        old_co = list(current.co_units.all())
        values = {name: changes.get(name, getattr(current, name)) for name in RULE_FIELDS}
        co = list(changes.get("co_units", old_co))
        _check_rule(values, co)
        same = all(values[n] == getattr(current, n) for n in RULE_FIELDS)
        if same and {u.pk for u in co} == {u.pk for u in old_co}:
            raise ValidationFailed("没有任何修改。")
        new = v.write_next_version(current, "rule_key", values, actor=actor, reason=reason)
        new.co_units.set(co)
        _rule_event(new, action, actor, before=current, reason=reason, data=data)
    return new


def change_rule(actor: Any, rule: DispatchRule, *, reason: str, **changes: Any) -> DispatchRule:
    """Version n+1 of ``rule`` with ``changes`` applied (any of RULE_FIELDS and co_units)."""
    v.check_manager(actor)
    v.check_reason(reason)
    return _changed_rule(actor, rule, reason=reason, action="changed", changes=changes)


def retire_rule(actor: Any, rule: DispatchRule, *, reason: str, valid_to: date | None = None) -> DispatchRule:
    """Stop a rule: a new version whose validity ends on ``valid_to`` (default yesterday). Nothing is deleted."""
    v.check_manager(actor)
    v.check_reason(reason)
    with transaction.atomic():
        current, new = v.retire(rule, "rule_key", RULE_FIELDS, actor=actor, reason=reason, valid_to=valid_to)
        new.co_units.set(current.co_units.all())
        _rule_event(new, "retired", actor, before=current, reason=reason)
    return new


def add_rule_from_adjudication(actor: Any, *, category: Category | None, region: Region | None, lead_unit: Unit,
                               legal_basis: str, source: str) -> DispatchRule:
    """Feed an adjudication ruling (研判定性) into the catalog.

    If a current rule with exactly this category × region exists (the highest-priority one if several), it
    gets a new version naming the ruled unit, valid from today; otherwise a new rule is created. Either way the
    rule's priority is at least ADJUDICATION_PRIORITY, so the ruling wins over rules of the same specificity.
    """
    reason = f"研判定性：{source}" if source else "研判定性"
    existing = (DispatchRule.objects.filter(is_current=True, category=category, region=region)
                .order_by("-priority", "-pk").first())
    if existing is None:
        values = {"category": category, "region": region, "lead_unit": lead_unit,
                  "priority": ADJUDICATION_PRIORITY, "legal_basis": (legal_basis or "").strip(),
                  "source": source or "", "valid_from": v.today(), "valid_to": None}
        return _new_rule(actor, values, [], reason=reason, data={"via": "adjudication"})
    if (existing.lead_unit_id == lead_unit.pk and existing.legal_basis == (legal_basis or "").strip()
            and existing.source == source and existing.priority >= ADJUDICATION_PRIORITY and not existing.valid_to):
        return existing  # the catalog already says exactly this
    changes = {"lead_unit": lead_unit, "legal_basis": legal_basis, "source": source, "valid_from": v.today(),
               "valid_to": None, "priority": max(existing.priority, ADJUDICATION_PRIORITY),
               "co_units": [u for u in existing.co_units.all() if u.pk != lead_unit.pk]}
    return _changed_rule(actor, existing, reason=reason, action="changed", changes=changes,
                         data={"via": "adjudication"})



# ---- time limits ----------------------------------------------------------------------------------------------

def _check_limit(values: dict[str, Any], *, key: str = "") -> None:
    errors: v.Errors = {}
    for name, choices, label, blank in (("clock", Clock, "环节", False), ("kind", Kind, "诉求类型", True),
                                        ("urgency", Urgency, "紧急程度", True), ("unit", LimitUnit, "计时单位", False)):
        value = values.get(name) or ""
        if not (value in choices.values or (blank and value == "")):
            errors[name] = [f"未知{label}“{value}”。"]
    amount = values.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        errors["amount"] = ["时长须为正整数。"]
    try:
        share = Decimal(str(values.get("warning_share")))
        if not Decimal("0") < share < Decimal("1"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["warning_share"] = ["预警比例须大于 0 且小于 1，如 0.75。"]
    category: Category | None = values.get("category")
    if category is not None and not category.is_active:
        errors["category"] = [f"诉求分类“{category.name}”已停用。"]
    v.check_dates(errors, values.get("valid_from"), values.get("valid_to"))
    if not errors:
        _check_no_twin(values, key, errors)
    v.raise_if(errors, "时限有误")


def _check_no_twin(values: dict[str, Any], key: str, errors: v.Errors) -> None:
    """Two current limits for the same clock/kind/category/urgency and overlapping dates would be ambiguous."""
    twins = TimeLimit.objects.filter(is_current=True, clock=values["clock"], kind=values.get("kind") or "",
                                     urgency=values.get("urgency") or "", category=values.get("category"))
    for twin in twins.exclude(limit_key=key):
        end_before = values["valid_to"] is not None and values["valid_to"] < twin.valid_from
        starts_after = twin.valid_to is not None and values["valid_from"] > twin.valid_to
        if not (end_before or starts_after):
            errors["__all__"] = [f"已有相同适用范围的时限（{twin}），请修改该时限，不要重复新建。"]
            return


def _limit_event(limit: TimeLimit, action: str, actor: Any, *, before: TimeLimit | None = None,
                 reason: str = "") -> None:
    record_event(subject_type="time_limit", subject_id=limit.limit_key, action=action, actor=actor,
                 actor_unit=v.actor_unit(actor), before=v.snapshot(before, LIMIT_FIELDS) if before else None,
                 after=v.snapshot(limit, LIMIT_FIELDS), reason=reason,
                 data={"limit_id": limit.pk, "version": limit.version})


def create_limit(actor: Any, *, clock: str, amount: int, unit: str, kind: str = "",
                 category: Category | None = None, urgency: str = "", warning_share: Decimal | float = Decimal("0.75"),
                 valid_from: date | None = None, valid_to: date | None = None, reason: str = "") -> TimeLimit:
    """A new time limit (version 1). Blank kind/urgency and no category mean "any"."""
    v.check_manager(actor)
    values = {"clock": clock, "kind": kind or "", "category": category, "urgency": urgency or "",
              "amount": amount, "unit": unit, "warning_share": warning_share,
              "valid_from": valid_from or v.today(), "valid_to": valid_to}
    _check_limit(values)
    values["warning_share"] = Decimal(str(warning_share)).quantize(Decimal("0.01"))
    with transaction.atomic():
        limit = TimeLimit.objects.create(**values, version=1, is_current=True, change_reason=reason or "",
                                         created_by=actor if getattr(actor, "pk", None) else None)
        _limit_event(limit, "created", actor, reason=reason)
    return limit


def change_limit(actor: Any, limit: TimeLimit, *, reason: str, **changes: Any) -> TimeLimit:
    """Version n+1 of ``limit`` with ``changes`` applied (any of LIMIT_FIELDS)."""
    v.check_manager(actor)
    v.check_reason(reason)
    unknown = set(changes) - set(LIMIT_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        current = v.lock_current(limit, "limit_key")
        values = {name: changes.get(name, getattr(current, name)) for name in LIMIT_FIELDS}
        _check_limit(values, key=current.limit_key)
        values["warning_share"] = Decimal(str(values["warning_share"])).quantize(Decimal("0.01"))
        if all(values[n] == getattr(current, n) for n in LIMIT_FIELDS):
            raise ValidationFailed("没有任何修改。")
        new = v.write_next_version(current, "limit_key", values, actor=actor, reason=reason)
        _limit_event(new, "changed", actor, before=current, reason=reason)
    return new


def retire_limit(actor: Any, limit: TimeLimit, *, reason: str, valid_to: date | None = None) -> TimeLimit:
    """Stop a limit: a new version whose validity ends on ``valid_to`` (default yesterday)."""
    v.check_manager(actor)
    v.check_reason(reason)
    with transaction.atomic():
        current, new = v.retire(limit, "limit_key", LIMIT_FIELDS, actor=actor, reason=reason, valid_to=valid_to)
        _limit_event(new, "retired", actor, before=current, reason=reason)
    return new
