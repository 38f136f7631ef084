"""GET /api/v1/figures and the tickets behind a figure, with the scope rules; `jiesu figures`."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from jiesu.api.tests.conftest import expect

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


def test_figures_come_with_numerator_denominator_and_links(apis, history):
    body = expect(apis.supervisor.get("/figures", **{"from": "2026-03", "group_by": "unit"}), 200)
    sign = body["figures"]["sign_timely"]
    assert (sign["value"], sign["numerator"], sign["denominator"]) == (1.0, 2, 2)
    assert sign["numerator_url"].startswith("/api/v1/figures/sign_timely/tickets?")
    assert {g["label"] for g in body["groups"]} == {"供热公司", "城管局"}
    listed = expect(apis.supervisor.get(sign["denominator_url"].removeprefix("/api/v1")), 200)
    assert listed["items"] == 2 and sorted(listed["tickets"]) == sorted(t.number for t in history)
    codes = {d["code"] for d in expect(apis.supervisor.get("/figures/definitions"), 200)}
    assert {"sign_timely", "closing_rate", "satisfaction_rate"} <= codes


def test_a_unit_sees_its_own_figures_and_the_city_totals(apis, city, history):
    body = expect(apis.heating_handler.get("/figures", **{"from": "2026-03-01", "to": "2026-03-31"}), 200)
    assert body["figures"]["sign_timely"]["denominator"] == 1
    assert body["city"]["sign_timely"]["denominator"] == 2
    assert "accepted" not in body["figures"] and body["city"]["accepted"]["denominator"] == 2
    expect(apis.heating_handler.get("/figures", unit="urban"), 404)
    own = expect(apis.heating_handler.get("/figures", group_by="unit", **{"from": "2026-03"}), 200)
    assert [g["label"] for g in own["groups"]] == ["供热公司"]
    mine = expect(apis.heating_handler.get("/figures/sign_timely/tickets", **{"from": "2026-03"}), 200)
    assert mine["tickets"] == [history[0].number]
    city_list = expect(apis.heating_handler.get("/figures/sign_timely/tickets", **{"from": "2026-03",
                                                                                   "unit": "heating"}), 200)
    assert city_list["visible"] == 1


def test_bad_parameters_are_clear_errors(apis, history):
    assert expect(apis.supervisor.get("/figures", group_by="weather"), 400)["field_errors"]["group_by"]
    assert expect(apis.supervisor.get("/figures", **{"from": "2026-13"}), 400)["field_errors"]
    assert expect(apis.supervisor.get("/figures", **{"from": "2026-03-05", "to": "2026-03-01"}), 400)
    assert expect(apis.supervisor.get("/figures", figures="nonsense"), 400)["field_errors"]["figures"]
    expect(apis.supervisor.get("/figures/nonsense/tickets"), 404)
    expect(apis.supervisor.get("/figures/sign_timely/tickets", part="both"), 400)


def test_the_command_prints_json(history):
    out = StringIO()
    call_command("figures", "--from", "2026-03-01", "--to", "2026-03-31", "--unit", "heating", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["scope"]["unit"] == "heating"
    assert data["figures"]["sign_timely"] == {"value": 1.0, "numerator": 1, "denominator": 1}
    out = StringIO()
    call_command("figures", "--from", "2026-03", "--group-by", "unit", stdout=out)
    assert "供热公司" in out.getvalue() and "及时签收率" in out.getvalue()
