"""The supervision ladder: candidates with their reasons, issuing ticked ones, the unit steps and their figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError, ValidationFailed
from jiesu.core.models import Event
from jiesu.evaluation import ladder, unit_steps
from jiesu.evaluation.models import Ranking, RankingEntry, UnitStep
from jiesu.evaluation.tests.conftest import read, value
from jiesu.tickets.models import Assignment, SupervisionOrder
from jiesu.tickets.tests.conftest import FIXED_NOW

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)
M = timedelta(minutes=1)


def dispatched(story):  # type: ignore[no-untyped-def]
    return story().at(5 * M, "dispatcher", "dispatch", lead_unit="heating")


def sign_clock(t):  # type: ignore[no-untyped-def]
    a = Assignment.objects.get(ticket=t.ticket, role="lead", is_current=True)
    return a.sign_warn_at - FIXED_NOW, a.sign_due_at - FIXED_NOW


def steps_of(user) -> dict[str, tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    return {c.ticket.number: (c.step, [str(r) for r in c.reasons]) for c in ladder.ticket_candidates(user)}


def test_each_ticket_is_offered_the_next_step_it_qualifies_for(story, city):
    warned, late = dispatched(story), dispatched(story)
    warn_at, due_at = sign_clock(warned)
    warned.sweep(warn_at + M)
    assert steps_of(city.supervisor) == {warned.ticket.number: ("prompt", ["期限预警中"]),
                                         late.ticket.number: ("prompt", ["期限预警中"])}
    late.sweep(due_at + M)
    assert steps_of(city.supervisor)[late.ticket.number] == ("warn", ["已超期"])
    with clock.at(FIXED_NOW + due_at + 2 * M):
        outcomes = ladder.issue_selected(city.supervisor, [f"warn:{late.ticket.number}"], "请立即签收", 1)
    assert [o.ok for o in outcomes] == [True]
    assert SupervisionOrder.objects.get(ticket=late.ticket).level == SupervisionOrder.Level.WARNING
    assert steps_of(city.supervisor)[late.ticket.number] == ("supervise", ["预警后仍超期"])


def test_issuing_reports_each_candidate_alone_and_a_stale_one_fails_without_stopping_the_rest(story, city):
    a, b = dispatched(story), dispatched(story)
    keys = [f"prompt:{a.ticket.number}", f"prompt:{b.ticket.number}", "prompt:NO-SUCH"]
    outcomes = ladder.issue_selected(city.supervisor, keys, "请按时办理", 2)
    assert [o.ok for o in outcomes] == [True, True, False]
    assert SupervisionOrder.objects.filter(level="prompt").count() == 2
    with pytest.raises(ValidationFailed):
        ladder.issue_selected(city.supervisor, keys, "  ", 2)


def test_a_handler_gets_no_candidates_and_cannot_issue(story, city):
    dispatched(story)
    with pytest.raises(PermissionDeniedError):
        ladder.ticket_candidates(city.heating_handler)
    with pytest.raises(PermissionDeniedError):
        unit_steps.issue(city.heating_handler, {"unit": "heating", "level": "interview", "reason": "r",
                                                "document": "d"})
    assert not UnitStep.objects.exists()


def _three_orders(story, city):  # type: ignore[no-untyped-def]
    tickets = [dispatched(story).at(H, "heating_handler", "sign") for _ in range(3)]
    for t in tickets:
        t.at(2 * H, "supervisor", "supervise", text="限期办结", working_days=2)
    return tickets


def test_a_unit_with_three_orders_in_the_month_is_offered_an_interview_and_then_accountability(story, city):
    tickets = _three_orders(story, city)
    (candidate,) = ladder.unit_candidates(city.supervisor)
    assert (candidate.step, candidate.unit.code, [str(r) for r in candidate.reasons]) == (
        "interview", "heating", ["本月督办 3 件"])
    outcomes = ladder.issue_selected(city.supervisor, [candidate.key], "请单位负责人到中心说明情况", 5)
    assert outcomes[0].ok
    step = UnitStep.objects.get()
    assert sorted(step.tickets.values_list("number", flat=True)) == sorted(t.ticket.number for t in tickets)
    assert step.reason == "本月督办 3 件" and step.due_at > clock.now()
    assert Event.objects.filter(subject_type="unit_step", action="issue_unit_step").count() == 1
    assert ladder.unit_candidates(city.supervisor) == []  # an interview is open
    with clock.at(step.due_at + M):
        (late,) = ladder.unit_candidates(city.supervisor)
        assert late.step == "accountability" and "约谈整改逾期未完成" in str(late.reasons[0])


def test_closing_a_step_records_the_outcome_once(story, city):
    tickets = _three_orders(story, city)
    step = unit_steps.issue(city.supervisor, {"unit": "heating", "level": "interview", "reason": "督办多",
                                              "document": "约谈通知", "tickets": [tickets[0].ticket.number]})
    unit_steps.close(city.supervisor, step.pk, {"outcome": "已整改，建立周报制度"})
    step.refresh_from_db()
    assert step.outcome == "已整改，建立周报制度" and step.closed_by == city.supervisor
    with pytest.raises(ActionNotAllowed):
        unit_steps.close(city.supervisor, step.pk, {"outcome": "再次"})
    assert Event.objects.filter(subject_type="unit_step", action="close_unit_step").count() == 1


def test_a_step_may_only_name_tickets_of_the_unit(story, city):
    other = story().at(5 * M, "dispatcher", "dispatch", lead_unit="urban")
    with pytest.raises(ValidationFailed) as err:
        unit_steps.issue(city.supervisor, {"unit": "heating", "level": "interview", "reason": "r", "document": "d",
                                           "tickets": [other.ticket.number]})
    assert "tickets" in err.value.field_errors and not UnitStep.objects.exists()
    with pytest.raises(ValidationFailed):
        unit_steps.issue(city.supervisor, {"unit": "nowhere", "level": "interview", "reason": "r", "document": "d"})


def test_black_list_months_running_make_a_unit_a_candidate_for_accountability(city):
    for n, month in enumerate((date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))):
        ranking = Ranking.objects.create(month=month, computed_at=timezone.now())
        RankingEntry.objects.create(ranking=ranking, unit=city.heating, group="utility", rank=5, list="black")
        RankingEntry.objects.create(ranking=ranking, unit=city.urban, group="department", rank=1,
                                    list="black" if n == 2 else "red")
    found = {c.unit.code: (c.step, [str(r) for r in c.reasons]) for c in ladder.unit_candidates(city.supervisor)}
    assert found == {"heating": ("accountability", ["连续 3 个月列入黑榜"]), "urban": ("interview", ["上月列入黑榜"])}


def test_unit_steps_count_in_the_figures_of_the_day_issued(story, city):
    _three_orders(story, city)
    for level in ("interview", "accountability"):
        unit_steps.issue(city.supervisor, {"unit": "heating", "level": level, "reason": "r", "document": "d"})
    heating = {g.label: g.values for g in read(group_by="unit").groups}["供热公司"]
    assert (heating["interviews"].denominator, heating["accountability"].denominator) == (1, 1)
    assert value(read(), "interviews") == (0, 1)
