"""The catalog endpoints under /api/v1/: authentication, trees and lists, suggestions, errors in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from jiesu.catalog import services
from jiesu.org.tests.factories import UserFactory

BASE = "/api/v1"


@pytest.fixture
def staff(client, world):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role="dispatcher", unit=world.units.centre, scope="city"))
    return client


@pytest.fixture
def rules(world):  # type: ignore[no-untyped-def]
    u = world.units
    services.create_rule(world.admin, category=world.mid, region=None, lead_unit=u.heating, co_units=[u.housing],
                         legal_basis="《吉林省城市供热条例》", valid_from=date(2025, 1, 1))
    services.create_rule(world.admin, category=world.mid, region=world.district, lead_unit=u.tiexi,
                         legal_basis="分级派单", valid_from=date(2025, 1, 1))


def test_anonymous_callers_are_refused(client, world):
    response = client.get(f"{BASE}/categories")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_categories_come_as_a_tree(staff):
    [top] = staff.get(f"{BASE}/categories").json()
    assert (top["code"], top["level"]) == ("01", 1)
    [mid] = top["children"]
    assert [leaf["name"] for leaf in mid["children"]] == ["暖气不热", "停暖"]


def test_channels_include_merged_sub_lines_and_the_public_board(staff):
    channels = {c["code"]: c for c in staff.get(f"{BASE}/channels").json()}
    assert channels["board"]["is_public"] is True
    assert channels["12315"]["parent"] == "phone"
    assert {"phone", "web", "wechat", "app", "email", "api", "walkin"} <= set(channels)


def test_dispatch_rules_list_and_filters(staff, rules):
    everything = staff.get(f"{BASE}/dispatch-rules").json()
    assert {r["lead_unit"]["code"] for r in everything} == {"heating", "tiexi"}
    in_district = staff.get(f"{BASE}/dispatch-rules", {"region": "220302"}).json()
    assert [r["lead_unit"]["code"] for r in in_district] == ["tiexi"]
    by_unit = staff.get(f"{BASE}/dispatch-rules", {"unit": "housing"}).json()  # as co-handler
    assert [r["co_units"][0]["code"] for r in by_unit] == ["housing"]
    bad = staff.get(f"{BASE}/dispatch-rules", {"region": "999"})
    assert bad.status_code == 400
    assert "找不到行政区划" in bad.json()["field_errors"]["region"][0]


def test_time_limits_list(staff):
    limits = staff.get(f"{BASE}/time-limits", {"clock": "handle"}).json()
    assert {(limit["kind"], limit["amount"]) for limit in limits} >= {("consultation", 1), ("suggestion", 15)}
    assert staff.get(f"{BASE}/time-limits", {"clock": "lunch"}).status_code == 400


def test_suggest_returns_candidates_with_rules(staff, rules):
    response = staff.post(f"{BASE}/dispatch-rules/suggest", {"category": "010101", "region": "220302001"},
                          content_type="application/json")
    assert response.status_code == 200
    first, second = response.json()
    assert (first["unit"]["code"], second["unit"]["code"]) == ("tiexi", "heating")
    assert second["co_units"] == [{"code": "housing", "name": "四平市住建局"}]
    assert first["reason"].startswith("派单目录：供热 × 铁西区")
    assert first["rule_version"] == 1 and first["source"] == "catalog"
    unknown = staff.post(f"{BASE}/dispatch-rules/suggest", {"category": "nope"}, content_type="application/json")
    assert unknown.status_code == 400


def test_staff_without_any_role_cannot_read_the_catalog(client, world, rules):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(f"{BASE}/dispatch-rules").status_code == 403
    assert client.get(f"{BASE}/categories").status_code == 200  # pickers need only a login
