"""Last month's ranking closed on schedule by the periodic sweep: on the Nth working day of the new month
(counted on the working calendar, so holidays move it), once, and never changed afterwards."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from jiesu.core import clock
from jiesu.core.models import Event
from jiesu.evaluation import scoring, services
from jiesu.evaluation.models import Ranking
from jiesu.evaluation.periods import month_of
from jiesu.evaluation.tests.test_scoring import good
from jiesu.org.tests.factories import UnitFactory
from jiesu.tickets.sweep import periodic
from jiesu.worktime import services as worktime
from jiesu.worktime.calendar import clear_calendar_cache

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
FEB, SEPTEMBER = date(2026, 2, 1), date(2026, 9, 1)


@pytest.fixture(autouse=True)
def work_to_rank():
    """A unit with work in February and September, the months these tests close."""
    unit = UnitFactory(name="住建局")
    good(unit, date(2026, 2, 16))
    good(unit, date(2026, 9, 16))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def run(moment: str) -> int:
    """One periodic run at that moment; how many rankings its job closed."""
    with clock.at(at(moment)):
        return periodic().jobs["ranking_closed"]


def closed(month: date) -> bool:
    return Ranking.objects.filter(month=month).exists()


def test_the_periodic_sweep_closes_last_month_on_the_third_working_day_once():
    # March 2026: Monday the 2nd is the first working day, Wednesday the 4th the third.
    assert [run("2026-03-01 10:00"), run("2026-03-02 09:00"), run("2026-03-03 23:59")] == [0, 0, 0]
    assert not closed(FEB)
    assert run("2026-03-04 00:00") == 1 and closed(FEB)
    assert [run("2026-03-04 00:01"), run("2026-03-20 10:00")] == [0, 0]
    assert Ranking.objects.count() == 1
    assert Event.objects.filter(subject_type="ranking", action="close_month").count() == 1
    ranking = Ranking.objects.get()
    assert ranking.computed_by is None and ranking.computed_at == at("2026-03-04 00:00")


def test_a_closed_ranking_is_not_changed_by_later_runs():
    a, b = UnitFactory(name="甲局"), UnitFactory(name="乙局")
    good(a, date(2026, 2, 9), satisfied=10)
    good(b, date(2026, 2, 9), satisfied=5)
    assert run("2026-03-04 08:30") == 1
    before = [(e.unit_id, e.rank, e.score) for e in scoring.ranking_for(month_of(FEB)).entries]
    good(b, date(2026, 2, 27), satisfied=10)  # a late item of February
    good(b, date(2026, 2, 27), satisfied=10)
    assert run("2026-03-05 08:30") == 0
    assert [(e.unit_id, e.rank, e.score) for e in scoring.ranking_for(month_of(FEB)).entries] == before
    assert Ranking.objects.get().computed_at == at("2026-03-04 08:30")


def test_a_month_closed_by_hand_before_the_day_is_left_as_it_is(city):
    with clock.at(at("2026-03-02 10:00")):
        ranking = services.close_month(city.supervisor, month_of(FEB))
    assert run("2026-03-04 09:00") == 0
    assert Ranking.objects.get() == ranking and Ranking.objects.get().computed_by == city.supervisor


def test_holidays_move_the_closing_day():
    # October 2026: the 1st–7th are the National Day holiday (the 3rd and 4th a weekend); Thursday the 8th and
    # Friday the 9th are the first two working days, Saturday the 10th is an adjusted working day (调休): the third.
    assert services.closing_day(month_of(date(2026, 10, 1))) == date(2026, 10, 10)
    assert [run("2026-10-08 09:00"), run("2026-10-09 17:00")] == [0, 0]
    assert run("2026-10-10 09:00") == 1 and closed(SEPTEMBER)


def test_a_day_off_entered_in_the_calendar_moves_the_closing_day():
    worktime.set_day(None, date(2026, 3, 3), "off", name="临时休息日")
    clear_calendar_cache()
    assert services.closing_day(month_of(date(2026, 3, 1))) == date(2026, 3, 5)
    assert run("2026-03-04 12:00") == 0
    assert run("2026-03-05 08:00") == 1 and closed(FEB)


def test_the_working_day_is_a_setting(settings):
    settings.JIESU_RANKING_CLOSE_WORKING_DAY = 1
    assert run("2026-03-01 10:00") == 0  # a Sunday
    assert run("2026-03-02 00:00") == 1


def test_without_the_year_s_calendar_nothing_closes():
    assert run("2027-01-06 09:00") == 0  # no working calendar for 2027 yet
    assert not Ranking.objects.exists()


def test_a_month_with_nothing_to_rank_is_left_open():
    # October 2026 has no work: its ranking stays open, so history imported later can still be ranked.
    assert run("2026-11-06 09:00") == 0 and not closed(date(2026, 10, 1))
    good(UnitFactory(name="水务局"), date(2026, 10, 12))
    assert run("2026-11-06 09:05") == 1 and closed(date(2026, 10, 1))


def test_the_sweep_command_runs_the_job():
    out = StringIO()
    with clock.at(at("2026-03-04 09:00")):
        call_command("sweep", stdout=out)
    assert "ranking_closed 1" in out.getvalue() and closed(FEB)
