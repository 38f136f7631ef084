"""The call figures counted by hand (docs/dev/figures.md, "Calls"): a call abandoned after 14 s is not an item of
the 15-second rate, one abandoned after 16 s is; merged sub-lines keep their own counts (group by channel)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from jiesu.calls import services
from jiesu.calls.records import CallRecord, Checker
from jiesu.catalog.models import Channel
from jiesu.evaluation import facts
from jiesu.evaluation.queries import FigureScope, compute
from jiesu.evaluation.tests.conftest import CITY, MARCH, read, value
from jiesu.tickets.tests.conftest import FIXED_NOW

pytestmark = pytest.mark.django_db
S = timedelta(seconds=1)
CODES = ("call_answer_rate", "call_answer_15s", "call_wait", "call_abandoned", "call_satisfaction")


def call(call_id: str, line: str, offered: datetime, *, answered_after: int | None = None,
         abandoned_after: int | None = None, survey: str = "", seat: str = "1001") -> CallRecord:
    answered = offered + answered_after * S if answered_after is not None else None
    ended = (answered + 60 * S) if answered else offered + (abandoned_after or 0) * S
    checked = Checker().check({"call_id": call_id, "line": line, "caller": "13812345678", "offered_at": offered,
                               "answered_at": answered, "ended_at": ended, "seat": seat if answered else "",
                               "survey": survey})
    assert isinstance(checked, CallRecord), checked
    return checked


def fixture_calls() -> list[CallRecord]:
    t = FIXED_NOW
    return [
        call("C1", "12345", t, answered_after=5, survey="满意"),
        call("C2", "12345", t + 60 * S, answered_after=20, survey="不满意"),
        call("C3", "12345", t + 120 * S, abandoned_after=14),  # left before the 15 s could be missed
        call("C4", "12345", t + 180 * S, abandoned_after=16),  # waited past 15 s: not answered in time
        call("C5", "12315", t + 240 * S, answered_after=15, survey="基本满意", seat=""),  # the voice system, at 15 s
        call("C6", "12315", t + 300 * S, answered_after=2),  # no survey answer
        call("C7", "12315", t + 360 * S, abandoned_after=40),
        call("C8", "12345", datetime(2026, 4, 1, 9, 0, tzinfo=FIXED_NOW.tzinfo), answered_after=1),  # April
    ]


def test_each_call_figure_by_hand(city):
    services.import_calls(None, fixture_calls())
    table = read()
    assert value(table, "call_answer_rate") == (4, 7)
    assert value(table, "call_answer_15s") == (3, 6)  # C3 is not an item, C4 is one not answered in time
    assert value(table, "call_wait") == (42, 4) and table.total["call_wait"].value == 10.5  # 5 + 20 + 15 + 2 s
    assert value(table, "call_abandoned") == (0, 3)
    assert value(table, "call_satisfaction") == (2, 3)


def test_merged_sub_lines_keep_their_own_counts(city):
    services.import_calls(None, fixture_calls())
    table = read(group_by="channel")
    groups = {g.key: g for g in table.groups}
    main, sub = (str(Channel.objects.get(code=c).pk) for c in ("phone", "12315"))
    assert groups[main].label == "12345热线电话"
    assert [(round(groups[main].values[c].numerator, 3), groups[main].values[c].denominator) for c in CODES] == [
        (2, 4), (1, 3), (25, 2), (0, 2), (1, 2)]
    assert [(round(groups[sub].values[c].numerator, 3), groups[sub].values[c].denominator) for c in CODES] == [
        (2, 3), (2, 3), (17, 2), (0, 1), (1, 1)]


def test_call_figures_are_the_centres_and_refresh_finds_new_calls(city):
    first = fixture_calls()
    services.import_calls(None, first[:2])
    assert value(read(), "call_answer_rate") == (2, 2)
    services.import_calls(None, first)  # the two already there are skipped
    facts.refresh()
    assert value(compute(CITY, MARCH, fresh=False), "call_answer_rate") == (4, 7)
    heating = FigureScope(frozenset({city.heating.pk}), viewer_city_wide=True)
    by_unit = compute(heating, MARCH, fresh=False)
    assert "call_answer_rate" not in by_unit.total and value(by_unit, "call_answer_rate", "city") == (4, 7)
    assert all(not g.values.get("call_answer_rate") for g in compute(CITY, MARCH, group_by="unit").groups)


def test_the_api_gives_call_figures_with_call_lists_not_ticket_lists(apis, city):
    services.import_calls(None, fixture_calls())
    body = apis.supervisor.get("/figures", **{"from": "2026-03"}).json()
    assert body["figures"]["call_answer_15s"]["numerator"] == 3
    assert body["figures"]["call_answer_15s"]["numerator_url"].startswith("/api/v1/figures/call_answer_15s/calls?")
    response = apis.supervisor.get("/figures/call_answer_rate/tickets", **{"from": "2026-03"})
    assert response.status_code == 404
