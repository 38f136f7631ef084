"""Composite scores and the monthly ranking, computed by hand on small fixtures (daily facts written directly:
the figures engine that fills them is tested on its own), closing a month, and the scheme in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jiesu.core.errors import Conflict, PermissionDeniedError, ValidationFailed
from jiesu.core.models import Event
from jiesu.evaluation import scoring, services
from jiesu.evaluation.models import ALL_UNITS, FactDay, Ranking, Scheme
from jiesu.evaluation.periods import month_of
from jiesu.org.models import Unit
from jiesu.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
JAN, FEB = month_of(date(2026, 1, 1)), month_of(date(2026, 2, 1))  # the clock stands on 2026-03-02


def put(unit: Unit, day: date, **figures: Any) -> None:
    """Adds a unit's items for a day: a rate as (numerator, denominator), a count as its number."""
    for code, value in figures.items():
        num, den = value if isinstance(value, tuple) else (0, value)
        for unit_id in (unit.pk, ALL_UNITS):
            row, _ = FactDay.objects.get_or_create(day=day, dim="", unit_id=unit_id, figure=code, num_day=day,
                                                   key="")
            row.den += den
            row.num += round(num * 1000)
            row.save()


def good(unit: Unit, day: date, satisfied: int = 9, **more: Any) -> None:
    """A unit with 10 assignments: response 8/10, resolution 6/10, satisfaction satisfied/10."""
    put(unit, day, assigned=10, response_rate=(8, 10), resolution_rate=(6, 10),
        satisfaction_rate=(satisfied, 10), **more)


def entry(result: scoring.MonthRanking, unit: Unit) -> scoring.Entry:
    return next(e for e in result.entries if e.unit_id == unit.pk)


def test_the_default_scheme_exists_and_scores_with_weights_10_45_45():
    scheme = Scheme.objects.get()
    assert (scheme.weight_response, scheme.weight_resolution, scheme.weight_satisfaction) == (10, 45, 45)
    roads = UnitFactory(name="交通局")
    good(roads, date(2026, 2, 10))
    result = scoring.compute_ranking(FEB)
    # 10 × 0.8 + 45 × 0.6 + 45 × 0.9 = 8 + 27 + 40.5
    assert entry(result, roads).score == Decimal("75.50")
    assert entry(result, roads).figures["response_rate"] == (8.0, 10)


def test_penalties_praise_and_its_cap():
    roads, water = UnitFactory(name="交通局"), UnitFactory(name="水务局")
    good(roads, date(2026, 2, 3), overdue=3, adjudication_refused=1, returns_unjustified=2, praise=4)
    good(water, date(2026, 2, 3), praise=14)
    result = scoring.compute_ranking(FEB)
    # 75.5 − 3 × 0.5 − 1 × 2 − 2 × 1 + 4 × 0.5
    assert entry(result, roads).score == Decimal("72.00")
    # 14 praises would be 7 points; the cap is 5
    assert entry(result, water).score == Decimal("80.50")


def test_a_rate_without_items_gives_its_weight_to_the_others():
    roads = UnitFactory(name="交通局")
    put(roads, date(2026, 2, 3), assigned=4, resolution_rate=(1, 2), satisfaction_rate=(2, 2))
    # (45 × 0.5 + 45 × 1) × 100 / 90
    assert entry(scoring.compute_ranking(FEB), roads).score == Decimal("75.00")


def test_units_with_too_few_assignments_or_no_answered_call_are_listed_not_ranked():
    few, silent, ranked = UnitFactory(name="甲局"), UnitFactory(name="乙局"), UnitFactory(name="丙局")
    put(few, date(2026, 2, 3), assigned=2, resolution_rate=(2, 2), satisfaction_rate=(2, 2))
    put(silent, date(2026, 2, 3), assigned=5)
    good(ranked, date(2026, 2, 3))
    idle = UnitFactory(name="丁局")
    result = scoring.compute_ranking(FEB)
    assert entry(result, ranked).rank == 1
    assert [entry(result, u).rank for u in (few, silent, idle)] == [None, None, None]
    assert "少于 3 件" in entry(result, few).reason and "回访" in entry(result, silent).reason
    departments = result.of_group("department")
    assert departments[0].unit_id == ranked.pk and {e.unit_id for e in departments} >= {few.pk, silent.pk, idle.pk}


def test_groups_by_kind_and_a_subcentre_answers_for_its_streets():
    dept = UnitFactory(name="交通局")
    power = UnitFactory(name="供电公司", kind=Unit.Kind.UTILITY)
    district = UnitFactory(name="铁东区分中心", kind=Unit.Kind.SUBCENTRE)
    street = UnitFactory(name="平东街道", kind=Unit.Kind.STREET, parent=district)
    UnitFactory(name="热线中心", kind=Unit.Kind.CENTRE)
    for unit in (dept, power, street):
        good(unit, date(2026, 2, 5))
    put(district, date(2026, 2, 5), assigned=2, satisfaction_rate=(0, 2), resolution_rate=(0, 2))
    result = scoring.compute_ranking(FEB)
    assert {e.group for e in result.entries} == {"department", "utility", "subcentre", "street"}
    sub = entry(result, district)
    assert sub.group == "subcentre" and sub.figures["assigned"] == (0.0, 12)
    assert sub.figures["satisfaction_rate"] == (9.0, 12) and sub.rank == 1
    assert entry(result, street).group == "street" and entry(result, street).figures["assigned"] == (0.0, 10)


def test_red_and_black_lists_and_shared_ranks():
    units = [UnitFactory(name=f"局{n}") for n in range(7)]
    for n, unit in enumerate(units):
        good(unit, date(2026, 2, 9), satisfied=10 - n)  # scores fall by 4.5 from 局0 to 局6
    result = scoring.compute_ranking(FEB)
    assert [e.unit_name for e in result.of_group("department") if e.list == "red"] == ["局0", "局1", "局2"]
    assert [e.unit_name for e in result.of_group("department") if e.list == "black"] == ["局4", "局5", "局6"]
    assert entry(result, units[3]).list == ""
    put(units[2], date(2026, 2, 10), praise=9)  # 局2: 71 + 4.5 = 75.5, as much as 局1
    result = scoring.compute_ranking(FEB)
    assert entry(result, units[1]).score == entry(result, units[2]).score
    assert [entry(result, u).rank for u in units[:4]] == [1, 2, 2, 4]


def test_short_lists_in_a_small_group():
    a, b, c = (UnitFactory(name=n, kind=Unit.Kind.UTILITY) for n in ("供电", "供水", "燃气"))
    for n, unit in enumerate((a, b, c)):
        good(unit, date(2026, 2, 9), satisfied=10 - n)
    result = scoring.compute_ranking(FEB)
    assert [entry(result, u).list for u in (a, b, c)] == ["red", "", "black"]


def test_change_from_last_month_reads_the_stored_ranking():
    a, b = UnitFactory(name="甲局"), UnitFactory(name="乙局")
    good(a, date(2026, 1, 9), satisfied=10)
    good(b, date(2026, 1, 9), satisfied=5)
    live = scoring.ranking_for(FEB)
    assert live.previous_stored is False and entry(live, a).previous_rank == 1
    services.close_month(None, JAN)
    put(b, date(2026, 1, 20), praise=20)  # a late item of January: the stored ranking does not move
    good(a, date(2026, 2, 9), satisfied=5)
    good(b, date(2026, 2, 9), satisfied=10)
    feb = scoring.ranking_for(FEB)
    assert feb.previous_stored is True
    assert (entry(feb, b).rank, entry(feb, b).previous_rank, entry(feb, b).change) == (1, 2, 1)
    assert entry(feb, a).change == -1


def test_a_closed_month_never_moves():
    a, b = UnitFactory(name="甲局"), UnitFactory(name="乙局")
    good(a, date(2026, 2, 9), satisfied=10)
    good(b, date(2026, 2, 9), satisfied=5)
    ranking = services.close_month(None, FEB)
    before = [(e.unit_id, e.rank, e.score, e.list) for e in scoring.ranking_for(FEB).entries]
    put(b, date(2026, 2, 27), praise=20, resolution_rate=(10, 10), satisfaction_rate=(40, 40))  # late items
    Scheme.objects.update(weight_response=0)
    after = scoring.ranking_for(FEB)
    assert after.stored and [(e.unit_id, e.rank, e.score, e.list) for e in after.entries] == before
    assert entry(scoring.compute_ranking(FEB), b).rank == 1  # computed now it would differ
    event = Event.objects.get(subject_type="ranking", action="close_month")
    assert event.subject_id == str(ranking.pk) and event.data["month"] == "2026-02"


def test_closing_is_refused_for_an_open_month_twice_or_without_permission(city):
    with pytest.raises(ValidationFailed):
        services.close_month(None, month_of(date(2026, 3, 1)))
    with pytest.raises(PermissionDeniedError):
        services.close_month(city.heating_handler, FEB)
    services.close_month(city.supervisor, FEB)
    with pytest.raises(Conflict):
        services.close_month(city.supervisor, FEB)
    assert Ranking.objects.count() == 1
    assert Event.objects.filter(subject_type="ranking").count() == 1
    assert Event.objects.get(subject_type="ranking").actor_role == "supervisor"


def test_a_month_is_scored_with_the_scheme_valid_on_its_first_day():
    services.save_scheme(None, Scheme(name="2026年办法", valid_from=date(2026, 2, 1), weight_response=Decimal(0),
                                      weight_resolution=Decimal(50), weight_satisfaction=Decimal(50)))
    services.save_scheme(None, Scheme(name="月中生效", valid_from=date(2026, 2, 15), weight_response=Decimal(100),
                                      weight_resolution=Decimal(0), weight_satisfaction=Decimal(0)))
    roads = UnitFactory(name="交通局")
    good(roads, date(2026, 1, 9))
    good(roads, date(2026, 2, 9))
    assert scoring.scheme_for(JAN).name == "默认考核办法"
    assert entry(scoring.compute_ranking(JAN), roads).score == Decimal("75.50")
    assert scoring.scheme_for(FEB).name == "2026年办法"
    assert entry(scoring.compute_ranking(FEB), roads).score == Decimal("75.00")  # 50 × 0.6 + 50 × 0.9
    assert Event.objects.filter(subject_type="scheme", action="created").count() == 2


def test_the_scheme_is_edited_in_the_admin_with_an_event(admin_client):
    form = {"name": "2026年考核办法", "valid_from": "2026-03-01", "weight_response": "20", "weight_resolution": "40",
            "weight_satisfaction": "40", "points_overdue": "1", "points_refused": "2", "points_unjustified": "1",
            "points_praise": "0.5", "praise_cap": "5", "minimum_assignments": "5", "list_size": "2",
            "reason": "市政府考核办法修订"}
    response = admin_client.post("/admin/evaluation/scheme/add/", form)
    assert response.status_code == 302, response.content.decode()[:500]
    scheme = Scheme.objects.get(name="2026年考核办法")
    assert scheme.weight_response == 20 and scoring.scheme_for(month_of(date(2026, 3, 1))) == scheme
    event = Event.objects.get(subject_type="scheme", subject_id=str(scheme.pk))
    assert event.reason == "市政府考核办法修订" and event.after["minimum_assignments"] == "5"
    bad = admin_client.post("/admin/evaluation/scheme/add/", {**form, "valid_from": "2026-04-01",
                                                              "weight_response": "0", "weight_resolution": "0",
                                                              "weight_satisfaction": "0"})
    assert bad.status_code == 200 and not Scheme.objects.filter(valid_from=date(2026, 4, 1)).exists()
    assert admin_client.get("/admin/evaluation/ranking/").status_code == 200


def test_a_scheme_that_scored_a_closed_month_is_not_edited(admin_client):
    scheme = Scheme.objects.get()
    services.close_month(None, JAN)
    scheme.weight_response = Decimal(0)
    with pytest.raises(Conflict):
        services.save_scheme(None, scheme)
    assert Scheme.objects.get().weight_response == 10
    services.save_scheme(None, Scheme.objects.get())  # saved unchanged: allowed, nothing recorded
    form = {"name": scheme.name, "valid_from": f"{scheme.valid_from:%Y-%m-%d}", "weight_response": "0",
            "weight_resolution": "50", "weight_satisfaction": "50", "points_overdue": "0.5", "points_refused": "2",
            "points_unjustified": "1", "points_praise": "0.5", "praise_cap": "5", "minimum_assignments": "3",
            "list_size": "3", "reason": ""}
    response = admin_client.post(f"/admin/evaluation/scheme/{scheme.pk}/change/", form)
    assert response.status_code == 200 and "2026-01" in response.content.decode()
    assert Scheme.objects.get().weight_response == 10
    unchanged = {**form, "weight_response": "10", "weight_resolution": "45", "weight_satisfaction": "45"}
    assert admin_client.post(f"/admin/evaluation/scheme/{scheme.pk}/change/", unchanged).status_code == 302
    assert not Event.objects.filter(subject_type="scheme").exists()
    # a new scheme from a later date is the way to change the rules
    response = admin_client.post("/admin/evaluation/scheme/add/", {**form, "name": "新办法", "valid_from": "2026-02-01"})
    assert response.status_code == 302 and scoring.scheme_for(FEB).name == "新办法"
    assert scoring.ranking_for(JAN).scheme.weight_response == 10
