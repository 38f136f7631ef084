"""The catalog demo step: Siping's taxonomy and dispatch catalog, idempotent, tolerant of missing units."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from jiesu.catalog import demo
from jiesu.catalog.models import Category, DispatchRule
from jiesu.catalog.queries import category_choices, suggest_units
from jiesu.core.models import Event
from jiesu.demo.runner import run_demo
from jiesu.org.models import Region, Unit


@pytest.fixture
def city(db, settings):  # type: ignore[no-untyped-def]
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    out = io.StringIO()
    run_demo(out, steps=["jiesu.org.demo", "jiesu.catalog.demo"])
    return out.getvalue()


def _suggest(category_code: str, region_code: str) -> list[str]:
    return [s.unit.code for s in suggest_units(category=Category.objects.get(code=category_code),
                                               region=Region.objects.get(code=region_code))]


def test_demo_loads_a_three_level_taxonomy_and_rules(city):
    assert "诉求分类" in city and "派单规则" in city and "警告" not in city
    assert set(Category.objects.values_list("level", flat=True)) == {1, 2, 3}
    assert Category.objects.get(code="010101").full_name == "城乡建设 / 供热 / 暖气不热"
    assert len(category_choices(level=1)) >= 12
    assert DispatchRule.objects.filter(is_current=True).count() == len(demo.RULES)


def test_demo_rules_route_like_the_city_does(city):
    assert _suggest("010101", "220302001")[0] == "heating"           # 暖气不热 in a Tiexi street
    assert _suggest("020201", "220302001")[0] == "tiexi"             # 违章建筑 in Tiexi → sub-centre
    assert _suggest("020201", "220303001")[0] == "urban"             # elsewhere → city law enforcement
    assert _suggest("050101", "220322")[0] == "lishu-civil"          # 低保 in Lishu county
    assert _suggest("100101", "220303")[0] == "traffic"              # 违章停车 → traffic police
    assert _suggest("080102", "220302")[:2] == ["urban", "eco"]      # 餐饮油烟: leaf rule before branch rule


def test_running_the_step_twice_changes_nothing(city):
    before = (Category.objects.count(), DispatchRule.objects.count(), Event.objects.count())
    demo.load(SimpleNamespace(unit=lambda c: Unit.objects.get(code=c), region=lambda c: Region.objects.get(code=c),
                              log=lambda message: None))
    assert (Category.objects.count(), DispatchRule.objects.count(), Event.objects.count()) == before


def test_a_missing_unit_skips_its_rule_with_a_warning(db):
    messages: list[str] = []

    def unit(code: str) -> Unit:
        if code == "heating":
            raise Unit.DoesNotExist(code)
        return Unit.objects.get_or_create(code=code, defaults={"name": code, "kind": Unit.Kind.DEPARTMENT})[0]

    def region(code: str) -> Region:
        return Region.objects.get_or_create(code=code, defaults={"name": code, "level": 3})[0]

    demo.load(SimpleNamespace(unit=unit, region=region, log=messages.append))
    assert any("demo-heating" in m and "警告" in m for m in messages)
    assert not DispatchRule.objects.filter(rule_key="demo-heating").exists()
    assert DispatchRule.objects.filter(rule_key="demo-property").exists()
