"""GET /api/v1/rankings with the scope rules, `jiesu ranking [--close] [--json]`, and a ranking read through the
figures engine from tickets handled through the services."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiesu.api.tests.conftest import expect
from jiesu.evaluation import scoring
from jiesu.evaluation.models import Ranking
from jiesu.evaluation.periods import month_of
from jiesu.evaluation.tests.test_scoring import good

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


@pytest.fixture
def february(city):  # type: ignore[no-untyped-def]
    good(city.urban, date(2026, 2, 3), satisfied=10)
    good(city.adjudicator.primary_unit(), date(2026, 2, 3), satisfied=4)
    good(city.heating, date(2026, 2, 3), satisfied=7)
    return city


def _group(body: dict, code: str) -> dict:
    return next(g for g in body["groups"] if g["code"] == code)


def test_city_wide_staff_see_every_unit(apis, february):
    body = expect(apis.supervisor.get("/rankings", month="2026-02"), 200)
    assert body["month"] == "2026-02" and body["closed"] is False
    departments = _group(body, "department")
    assert [(e["unit"], e["rank"]) for e in departments["entries"]] == [("urban", 1), ("justice", 2)]
    assert departments["entries"][0]["score"] == 80.0
    assert departments["entries"][0]["figures"]["satisfaction_rate"] == {"numerator": 10.0, "denominator": 10,
                                                                         "value": 1.0}
    assert [e["unit"] for e in departments["red"]] == ["urban"]
    assert body["scheme"]["weights"] == {"response_rate": 10.0, "resolution_rate": 45.0, "satisfaction_rate": 45.0}


def test_a_unit_sees_its_own_entry_and_the_published_lists(apis, february):
    body = expect(apis.urban_handler.get("/rankings", month="2026-02"), 200)
    assert [e["unit"] for g in body["groups"] for e in g["entries"]] == ["urban"]
    black = _group(body, "department")["black"]
    assert [e["unit"] for e in black] == ["justice"] and "figures" not in black[0]


def test_bad_month_is_a_clear_error(apis, february):
    assert expect(apis.supervisor.get("/rankings", month="2026-13"), 400)["field_errors"]["month"]


def test_the_command_shows_and_closes_a_month(february):
    out = StringIO()
    call_command("ranking", "--month", "2026-02", stdout=out)
    assert "城管局" in out.getvalue() and "未结束" in out.getvalue()
    out = StringIO()
    call_command("ranking", "--month", "2026-02", "--close", "--user", "sup", "--json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert data["closed"] is True and Ranking.objects.get().computed_by.username == "sup"
    with pytest.raises(CommandError, match="已经结束"):
        call_command("ranking", "--month", "2026-02", "--close", stdout=StringIO(), stderr=StringIO())


def test_a_ranking_from_tickets_through_the_engine(city, story):
    """Three heating tickets replied, visited and one praised: the engine's figures feed the score."""
    def handled(satisfaction: str, kind: str = "complaint") -> None:
        s = story(kind=kind).at(H, "dispatcher", "dispatch", lead_unit="heating")
        s = s.at(2 * H, "heating_handler", "sign").at(3 * H, "heating_handler", "contact", method="phone")
        s = s.at(4 * H, "heating_handler", "reply", result="已处理完毕")
        s.at(5 * H, "supervisor", "review_reply", decision="approve")
        s.at(6 * H, "visitor", "visit", outcome="reached", satisfaction=satisfaction, resolution="resolved")
    handled("satisfied")
    handled("basic")
    handled("satisfied", kind="praise")
    result = scoring.compute_ranking(month_of(date(2026, 3, 1)))
    heating = next(e for e in result.entries if e.unit_code == "heating")
    assert heating.figures["assigned"][1] == 3 and heating.figures["praise"][1] == 1
    assert heating.figures["satisfaction_rate"] == (2.8, 3)
    # 10 × 3/3 + 45 × 3/3 + 45 × 2.8/3 + 0.5 (praise)
    assert heating.rank == 1 and str(heating.score) == "97.50"
