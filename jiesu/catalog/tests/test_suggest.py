"""suggest_units: specificity, priority, validity, inactive units, missing category/region."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiesu.catalog import services
from jiesu.catalog.models import DispatchRule
from jiesu.catalog.queries import suggest_units
from jiesu.org.models import Unit


def _rule(world, lead, *, category=None, region=None, **kw):  # type: ignore[no-untyped-def]
    return services.create_rule(world.admin, category=category, region=region, lead_unit=lead,
                                legal_basis=kw.pop("legal_basis", "《吉林省城市供热条例》"),
                                valid_from=kw.pop("valid_from", date(2025, 1, 1)), **kw)


def _units(suggestions):  # type: ignore[no-untyped-def]
    return [s.unit.code for s in suggestions]


def test_deeper_category_beats_deeper_region(world):
    u = world.units
    _rule(world, u.heating, category=world.mid)                       # 供热 city-wide
    _rule(world, u.tiexi, category=world.top, region=world.street)   # 城乡建设 in the street
    _rule(world, u.housing, category=world.leaf)                      # 暖气不热 city-wide
    got = suggest_units(category=world.leaf, region=world.street)
    assert _units(got) == ["housing", "heating", "tiexi"]


def test_deeper_region_wins_among_equal_categories_and_descendants_match(world):
    u = world.units
    _rule(world, u.urban, category=world.mid)
    _rule(world, u.tiexi, category=world.mid, region=world.district)
    got = suggest_units(category=world.leaf, region=world.street)  # street lies in the district
    assert _units(got) == ["tiexi", "urban"]
    assert _units(suggest_units(category=world.leaf, region=world.other_district)) == ["urban"]


def test_priority_breaks_ties_and_each_unit_appears_once(world):
    u = world.units
    _rule(world, u.heating, category=world.mid, priority=1)
    _rule(world, u.housing, category=world.mid, priority=5)
    _rule(world, u.housing, category=world.top)  # a weaker rule for the same unit
    got = suggest_units(category=world.leaf, region=None)
    assert _units(got) == ["housing", "heating"]
    assert got[0].rule.priority == 5


def test_suggestion_carries_rule_co_units_score_and_reason(world):
    rule = _rule(world, world.units.heating, category=world.mid, region=world.district,
                 co_units=[world.units.housing], legal_basis="《吉林省城市供热条例》第五条")
    [suggestion] = suggest_units(category=world.leaf, region=world.street)
    assert suggestion.rule == rule
    assert suggestion.co_units == (world.units.housing,)
    assert suggestion.source == "catalog"
    assert 0 < suggestion.score <= 1
    assert suggestion.reason == "派单目录：供热 × 铁西区（规则 v1，依据：《吉林省城市供热条例》第五条）"


def test_only_rules_valid_on_the_day_match(world):
    _rule(world, world.units.heating, category=world.mid, valid_from=date(2025, 1, 1), valid_to=date(2025, 3, 31))
    _rule(world, world.units.housing, category=world.mid, valid_from=date(2025, 4, 1))
    assert _units(suggest_units(category=world.leaf, region=None, at=date(2025, 3, 31))) == ["heating"]
    assert _units(suggest_units(category=world.leaf, region=None, at=date(2025, 4, 1))) == ["housing"]
    assert _units(suggest_units(category=world.leaf, region=None, at=date(2024, 12, 31))) == []


def test_superseded_versions_and_inactive_units_do_not_match(world):
    old = _rule(world, world.units.heating, category=world.mid)
    services.change_rule(world.admin, old, reason="划转", lead_unit=world.units.urban)
    _rule(world, world.units.housing, category=world.mid, co_units=[world.units.tiexi])
    Unit.objects.filter(pk=world.units.urban.pk).update(is_active=False)
    Unit.objects.filter(pk=world.units.tiexi.pk).update(is_active=False)
    got = suggest_units(category=world.leaf, region=None)
    assert _units(got) == ["housing"]
    assert got[0].co_units == ()  # inactive co-handlers are left out too


def test_unknown_category_or_region_matches_only_any_slots(world):
    _rule(world, world.units.heating, category=world.mid)
    _rule(world, world.units.tiexi, category=None, region=world.district)
    _rule(world, world.units.centre, category=None, region=None, priority=-10)
    assert _units(suggest_units(category=None, region=world.street)) == ["tiexi", "centre"]
    assert _units(suggest_units(category=world.leaf, region=None)) == ["heating", "centre"]
    assert _units(suggest_units(category=None, region=None)) == ["centre"]
    assert _units(suggest_units(category=world.other_leaf, region=world.other_district)) == ["heating", "centre"]


def test_query_count_does_not_grow_with_the_number_of_rules(world, django_assert_max_num_queries):
    for unit in vars(world.units).values():
        _rule(world, unit, category=world.mid, co_units=[world.units.centre] if unit != world.units.centre else [])
    street = type(world.street).objects.get(pk=world.street.pk)  # parents not cached, as for a fresh ticket
    with django_assert_max_num_queries(5):  # 3 region parents, the rules, their co-units
        assert len(suggest_units(category=world.leaf, region=street)) == 5


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["any", "top", "mid", "leaf", "other_leaf"]),
                          st.sampled_from(["any", "city", "district", "street", "other_district"]),
                          st.sampled_from(["heating", "housing", "tiexi", "urban"]),
                          st.integers(-2, 2)), max_size=6))
def test_suggestions_are_ordered_by_specificity_and_cover_every_applicable_unit(world, specs):
    DispatchRule.objects.all().delete()
    for category, region, unit, priority in specs:
        _rule(world, getattr(world.units, unit), category=None if category == "any" else getattr(world, category),
              region=None if region == "any" else getattr(world, region), priority=priority)
    got = suggest_units(category=world.leaf, region=world.street)
    ranks = [((s.rule.category.level if s.rule.category else 0), (s.rule.region.level if s.rule.region else 0),
              s.rule.priority) for s in got]
    assert ranks == sorted(ranks, reverse=True)
    applicable = {unit for category, region, unit, _ in specs
                  if category in {"any", "top", "mid", "leaf"} and region in {"any", "city", "district", "street"}}
    assert sorted(_units(got)) == sorted(applicable)



def test_the_reason_follows_the_language(world):
    from django.utils import translation

    _rule(world, world.units.heating, category=world.mid, region=world.district, legal_basis="供热条例第五条")
    with translation.override("en"):
        [suggestion] = suggest_units(category=world.leaf, region=world.street)
    assert suggestion.reason == "Dispatch catalogue: 供热 × 铁西区 (rule v1, basis: 供热条例第五条)"
