"""The facts (kept incrementally, and rebuilt) equal the naive computation on random histories."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
from typing import Any

import pytest

from jiesu.core import clock
from jiesu.core.errors import DomainError
from jiesu.evaluation import facts
from jiesu.evaluation.periods import Period
from jiesu.evaluation.queries import GROUPS, FigureScope, compute
from jiesu.evaluation.tests.conftest import CITY, comparable
from jiesu.tickets import queries, services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import OPEN_STATES
from jiesu.tickets.sweep import sweep
from jiesu.tickets.tests.conftest import FIXED_NOW

pytestmark = pytest.mark.django_db
ROLES = ("operator", "dispatcher", "supervisor", "visitor", "adjudicator", "heating_handler", "urban_handler",
         "subcentre_handler", "street_handler")
UNITS = ("heating", "urban", "tiexi")


def _inputs(rng: random.Random, action: str, ticket: Ticket) -> dict[str, Any]:
    others = [t.number for t in Ticket.objects.filter(status__in=OPEN_STATES).exclude(pk=ticket.pk)[:3]]
    choices: dict[str, Any] = {
        "answer": {"answer": "答复"}, "reject": {"reason": "other", "route": "告知"}, "handover": {},
        "dispatch": {"lead_unit": rng.choice(UNITS)}, "redispatch": {"lead_unit": "renxing"},
        "merge": {"into": others[0]} if others else None, "sign": {}, "contact": {"method": "phone"},
        "request_return": {"reason": "非本单位"},
        "review_return": rng.choice([{"decision": "refuse"}, {"decision": "adjudicate"},
                                     {"decision": "approve", "lead_unit": rng.choice(UNITS)}, {"decision": "approve"}]),
        "adjudicate": {"responsible_unit": rng.choice(UNITS), "legal_basis": "依据",
                       "refusing_units": rng.sample(UNITS, rng.randint(0, 2))},
        "request_extension": {"working_days": rng.randint(1, 3), "reason": "理由"},
        "review_extension": {"decision": rng.choice(["approve", "refuse"])}, "reply": {"result": "结果"},
        "review_reply": {"decision": rng.choice(["approve", "approve", "send_back"])},
        "visit": rng.choice([{"outcome": "unreachable"},
                             {"outcome": "reached", "resolution": rng.choice(["resolved", "partly", "unresolved"]),
                              "satisfaction": rng.choice(["satisfied", "basic", "dissatisfied"])}]),
        "reopen": {"reason": "不满意"}, "close": {}, "urge": {"message": "请加快"},
        "supervise": {"text": "督办", "working_days": 1}, "prompt": {"text": "提示"}, "warn": {"text": "预警"},
    }
    return choices[action]


def _calls(rng: random.Random, moment: Any) -> None:
    """A few call records of the last hours (some sent again), as a live feed would post them."""
    from jiesu.calls import services as calls
    from jiesu.calls.records import Checker

    checker, records = Checker(), []
    for _ in range(rng.randint(1, 4)):
        offered = moment - timedelta(minutes=rng.randint(1, 600))
        wait = timedelta(seconds=rng.choice([2, 10, 14, 15, 16, 30, 90]))
        answered = offered + wait if rng.random() < 0.7 else None
        record = checker.check({"call_id": str(rng.randint(1, 60)), "line": rng.choice(["12345", "12315", "12369"]),
                                "caller": "13812345678", "offered_at": offered, "answered_at": answered,
                                "ended_at": (answered or offered + wait) + timedelta(seconds=rng.randint(0, 300)),
                                "survey": rng.choice(["", "满意", "基本满意", "不满意"])})
        if not isinstance(record, list):
            records.append(record)
    calls.import_calls(None, records)


def _step(rng: random.Random, city: Any) -> None:
    if rng.random() < 0.1:
        _calls(rng, clock.now())
        return
    if rng.random() < 0.25 or not Ticket.objects.exists():
        kind = rng.choice(["complaint", "help", "consultation", "praise"])
        services.accept(city.operator, city.ticket_data(kind=kind, channel=rng.choice(["phone", "web"]),
                                                        is_anonymous=rng.random() < 0.2))
        return
    ticket = rng.choice(list(Ticket.objects.filter(status__in=OPEN_STATES))
                        or list(Ticket.objects.filter(status="closed")) or list(Ticket.objects.all()))
    options = [(who, row.action) for who in ROLES for row in queries.ready_actions(getattr(city, who), ticket)]
    if not options:
        return
    who, action = rng.choice(options)
    data = _inputs(rng, action, ticket)
    if data is None:
        return
    with contextlib.suppress(DomainError):  # a choice the guard refuses changes nothing
        services.perform(getattr(city, who), ticket.number, action, data)


def _assert_equal(period: Period, groupings: tuple[str | None, ...] = (None, *GROUPS)) -> None:
    for group_by in groupings:
        fast = compute(CITY, period, group_by=group_by, fresh=False)
        naive = compute(CITY, period, group_by=group_by, naive=True)
        assert comparable(fast) == comparable(naive), (period, group_by)
    heating = FigureScope(frozenset({_unit("heating")}), viewer_city_wide=True)
    assert comparable(compute(heating, period, fresh=False)) == comparable(compute(heating, period, naive=True))


def _daily_sums() -> set[tuple]:
    from jiesu.evaluation.models import FactDay

    rows = FactDay.objects.exclude(den=0, num=0).values_list("day", "dim", "unit_id", "figure", "num_day", "key",
                                                              "den", "num")
    return set(rows)


def _unit(code: str) -> int:
    from jiesu.org.models import Unit

    return Unit.objects.get(code=code).pk


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_and_rebuilt_facts_equal_the_naive_figures(city, seed):
    rng = random.Random(seed)
    moment = FIXED_NOW
    for _ in range(45):
        moment += timedelta(minutes=rng.choice([5, 30, 90, 240, 60 * 20]))
        with clock.at(moment):
            _step(rng, city)
            if rng.random() < 0.2:
                sweep(moment)
            if rng.random() < 0.3:
                facts.refresh()
    with clock.at(moment):
        facts.refresh()
        first, last = FIXED_NOW.date(), moment.date()
        periods = [Period(first, last), Period(first, first), Period(last, last),
                   Period(first + timedelta(days=1), max(last - timedelta(days=1), first + timedelta(days=1))),
                   Period(date(2026, 3, 1), date(2026, 3, 31))]
        _assert_equal(periods[0])
        for period in periods[1:]:
            _assert_equal(period, (None, "unit"))
        refreshed = _daily_sums()
        facts.rebuild()
        assert _daily_sums() == refreshed  # the rebuild's sums in SQL (one pass on PostgreSQL) equal the refresh's
        facts.rebuild(batch=7)
        assert _daily_sums() == refreshed  # and so do those of a rebuild in id ranges
        _assert_equal(periods[0], (None, "unit", "day"))
    assert Ticket.objects.count() > 5
    from jiesu.evaluation.models import Fact

    assert Fact.objects.values("figure").distinct().count() >= 8  # the histories reach many figures
    assert Fact.objects.filter(source="calls").values("figure").distinct().count() == 5  # and every call figure
