"""Dispatch rules: versioning, one event per change, validation, adjudication feed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiesu.catalog import services
from jiesu.catalog.models import DispatchRule
from jiesu.core.errors import Conflict, PermissionDeniedError, ValidationFailed
from jiesu.core.events import events_of
from jiesu.org.tests.factories import UnitFactory, UserFactory


def _rule(world, **kw):  # type: ignore[no-untyped-def]
    values = {"category": world.mid, "region": None, "lead_unit": world.units.heating,
              "legal_basis": "《吉林省城市供热条例》", "valid_from": date(2025, 1, 1)}
    return services.create_rule(world.admin, **{**values, **kw})


def test_create_writes_version_one_and_one_event(world):
    rule = _rule(world, co_units=[world.units.housing], source="三定方案")
    assert (rule.version, rule.is_current, rule.created_by) == (1, True, world.admin)
    events = list(events_of("dispatch_rule", rule.rule_key))
    assert [e.action for e in events] == ["created"]
    assert events[0].after["co_units"] == ["housing"]
    assert events[0].after["lead_unit"]["code"] == "heating"


def test_change_keeps_old_version_and_writes_one_event(world):
    first = _rule(world)
    second = services.change_rule(world.admin, first, reason="职责调整", lead_unit=world.units.housing, priority=5)
    first.refresh_from_db()
    assert (first.is_current, first.lead_unit, first.priority) == (False, world.units.heating, 0)
    assert (second.version, second.is_current, second.rule_key) == (2, True, first.rule_key)
    assert (second.lead_unit, second.priority, second.legal_basis) == (world.units.housing, 5, first.legal_basis)
    assert second.change_reason == "职责调整"
    events = list(events_of("dispatch_rule", first.rule_key))
    assert [e.action for e in events] == ["created", "changed"]
    assert events[1].before["lead_unit"]["code"] == "heating"
    assert events[1].after["lead_unit"]["code"] == "housing"
    assert DispatchRule.objects.filter(rule_key=first.rule_key).count() == 2


def test_changing_a_superseded_version_is_a_conflict(world):
    first = _rule(world)
    services.change_rule(world.admin, first, reason="调整", priority=1)
    with pytest.raises(Conflict):
        services.change_rule(world.admin, first, reason="再调整", priority=2)


def test_change_needs_a_reason_and_a_real_change(world):
    rule = _rule(world)
    with pytest.raises(ValidationFailed) as no_reason:
        services.change_rule(world.admin, rule, reason=" ", priority=3)
    assert "reason" in no_reason.value.field_errors
    with pytest.raises(ValidationFailed):
        services.change_rule(world.admin, rule, reason="无变化", priority=0)
    with pytest.raises(ValidationFailed):
        services.change_rule(world.admin, rule, reason="字段不存在", version=9)
    assert DispatchRule.objects.filter(rule_key=rule.rule_key).count() == 1


def test_retire_ends_validity_without_deleting(world):
    rule = _rule(world)
    retired = services.retire_rule(world.admin, rule, reason="职责划转")
    assert retired.version == 2
    assert retired.valid_to == timezone.localdate() - timedelta(days=1)
    assert DispatchRule.objects.filter(rule_key=rule.rule_key).count() == 2
    assert [e.action for e in events_of("dispatch_rule", rule.rule_key)] == ["created", "retired"]


@pytest.mark.parametrize("bad, field", [
    ({"valid_from": date(2025, 5, 1), "valid_to": date(2025, 4, 30)}, "valid_to"),
    ({"legal_basis": "  "}, "legal_basis"),
])
def test_invalid_rules_are_refused_in_chinese(world, bad, field):
    with pytest.raises(ValidationFailed) as exc:
        _rule(world, **bad)
    assert field in exc.value.field_errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.field_errors[field][0])
    assert not DispatchRule.objects.exists()


def test_inactive_lead_unit_and_lead_as_co_unit_are_refused(world):
    closed = UnitFactory(is_active=False, name="已撤销单位")
    with pytest.raises(ValidationFailed) as exc:
        _rule(world, lead_unit=closed)
    assert "已停用" in exc.value.field_errors["lead_unit"][0]
    with pytest.raises(ValidationFailed) as exc:
        _rule(world, co_units=[world.units.heating])
    assert "co_units" in exc.value.field_errors


def test_people_without_catalog_permission_cannot_change_rules(world):
    handler = UserFactory(role="handler", unit=world.units.heating)
    with pytest.raises(PermissionDeniedError):
        services.create_rule(handler, category=None, region=None, lead_unit=world.units.heating, legal_basis="x")
    rule = _rule(world)
    with pytest.raises(PermissionDeniedError):
        services.retire_rule(handler, rule, reason="越权")
    assert DispatchRule.objects.count() == 1


def test_adjudication_creates_a_high_priority_rule(world):
    adjudicator = UserFactory(role="adjudicator", unit=world.units.centre)
    rule = services.add_rule_from_adjudication(adjudicator, category=world.leaf, region=world.district,
                                               lead_unit=world.units.urban, legal_basis="研判结论",
                                               source="研判定性 SP2025-003")
    assert rule.priority == services.ADJUDICATION_PRIORITY
    assert rule.source == "研判定性 SP2025-003"
    assert events_of("dispatch_rule", rule.rule_key).get().data["via"] == "adjudication"


def test_adjudication_versions_the_rule_for_the_same_category_and_region(world):
    existing = _rule(world, category=world.leaf, region=world.district, co_units=[world.units.urban])
    rule = services.add_rule_from_adjudication(None, category=world.leaf, region=world.district,
                                               lead_unit=world.units.urban, legal_basis="研判结论",
                                               source="研判定性 SP2025-004")
    assert (rule.rule_key, rule.version, rule.lead_unit) == (existing.rule_key, 2, world.units.urban)
    assert list(rule.co_units.all()) == []  # the ruled unit is no longer its own co-handler
    assert rule.priority >= services.ADJUDICATION_PRIORITY
    assert DispatchRule.objects.filter(is_current=True).count() == 1
