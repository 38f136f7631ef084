"""suggest_for_draft: the catalog's units with their rule, the place, the requester's history in scope."""

from __future__ import annotations

import pytest

from jiesu.core import clock
from jiesu.core.errors import PermissionDeniedError, ValidationFailed
from jiesu.intelligence import classifier
from jiesu.intelligence.suggest import suggest_for_draft
from jiesu.intelligence.tests.world import FIXED_NOW, accept, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_models():  # type: ignore[no-untyped-def]
    classifier.clear_cache()
    with clock.at(FIXED_NOW):
        yield
    classifier.clear_cache()


def test_catalog_unit_for_the_category_and_the_place_found_in_the_address(world):  # noqa: F811
    s = suggest_for_draft(world.operator, {"title": "暖气不热", "category": "0101",
                                           "address": "铁西区阳光新城小区3栋"})
    assert s.place is not None and s.place.code == "220302001001"
    assert [(u.unit_code, u.source) for u in s.units] == [("heating", "catalog")]
    assert "《吉林省城市供热条例》第五条" in s.units[0].reason and s.units[0].co_units == ["tiexi"]
    assert [(c.code, c.source, c.probability) for c in s.categories] == [("0101", "catalog", None)]
    assert s.learned_available is False


def test_a_place_in_another_district_gets_no_catalog_unit(world):  # noqa: F811
    s = suggest_for_draft(world.operator, {"category": "0101", "address": "铁东区北二小区门口"})
    assert s.place is not None and s.place.code == "220303001001"
    assert s.units == []


def test_an_empty_draft_suggests_nothing_and_does_not_fail(world):  # noqa: F811
    s = suggest_for_draft(world.operator, {})
    assert (s.place, s.categories, s.units, s.merge_candidates, s.similar_cases, s.requester_history) == (
        None, [], [], [], [], [])


def test_requester_history_is_limited_to_what_the_user_may_see(world):  # noqa: F811
    earlier = accept(world, requester_phone="138-1234-5678")
    draft = {"requester_phone": "+86 138 1234 5678"}
    assert [h.number for h in suggest_for_draft(world.operator, draft).requester_history] == [earlier.number]
    assert suggest_for_draft(world.operator, draft).requester_history[0].state == "已受理"
    assert suggest_for_draft(world.outsider, draft).requester_history == []
    assert suggest_for_draft(world.operator, {**draft, "exclude_ticket": earlier.number}).requester_history == []


def test_staff_who_cannot_accept_tickets_get_no_suggestions(world):  # noqa: F811
    with pytest.raises(PermissionDeniedError):
        suggest_for_draft(world.handler, {"title": "暖气不热"})


def test_unknown_codes_are_field_errors(world):  # noqa: F811
    with pytest.raises(ValidationFailed) as caught:
        suggest_for_draft(world.operator, {"category": "nope"})
    assert "诉求分类“nope”不存在" in caught.value.field_errors["category"][0]


def test_a_community_found_in_the_address_refines_the_district_chosen_on_the_form(world):  # noqa: F811
    s = suggest_for_draft(world.operator, {"category": "0101", "region": "220302", "address": "阳光新城3栋"})
    assert s.place is not None and s.place.code == "220302001001"
    assert [u.unit_code for u in s.units] == ["heating"]
    other = suggest_for_draft(world.operator, {"category": "0101", "region": "220303", "address": "阳光新城3栋"})
    assert other.place is None and other.units == []
