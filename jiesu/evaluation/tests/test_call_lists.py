"""The call records behind every call figure's numerator and denominator, listed like the tickets behind ticket
figures: the list's count is the figure's numerator or denominator (in total and per sub-line), callers masked,
only city-wide 统计查看 sees the rows, paged."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from jiesu.calls import services as calls
from jiesu.calls.models import Call
from jiesu.catalog.models import Channel
from jiesu.core import clock
from jiesu.evaluation import queries
from jiesu.evaluation.registry import COUNT, MEAN, get
from jiesu.evaluation.tests.conftest import CITY, MARCH, read
from jiesu.evaluation.tests.test_call_figures import CODES, call, fixture_calls
from jiesu.evaluation.tests.test_pages import analyst, links, page  # noqa: F401  (the analyst fixture)
from jiesu.tickets import services as tickets
from jiesu.tickets.tests.conftest import FIXED_NOW

pytestmark = pytest.mark.django_db


def listed(user, code: str, part: str, group_by: str | None = None, key: str | None = None) -> list[Call]:  # type: ignore[no-untyped-def]
    rows, items = queries.item_calls(user, CITY, MARCH, code, part, group_by, key)
    found = list(rows)
    assert items == len(found)  # the supervisor sees every call: all the items are listed
    return found



def check(user, code: str, numerator: float, denominator: int, **group: str) -> None:  # type: ignore[no-untyped-def]
    figure = get(code)
    assert len(listed(user, code, "denominator", **group)) == denominator
    if figure.kind == COUNT:
        return
    behind = listed(user, code, "numerator", **group)
    if figure.kind == MEAN:  # the numerator is the seconds waited by the calls listed
        assert sum(c.wait_ms for c in behind) / 1000 == pytest.approx(numerator)
    else:
        assert len(behind) == numerator


def test_each_call_figures_lists_count_its_numerator_and_denominator(city):
    calls.import_calls(None, fixture_calls())
    table = read()
    for code in CODES:
        v = table.total[code]
        check(city.supervisor, code, v.numerator, v.denominator)
    assert {c.call_id for c in listed(city.supervisor, "call_answer_15s", "denominator")} == {
        "C1", "C2", "C4", "C5", "C6", "C7"}  # C3 abandoned within 15 s is no item; C8 is April's
    assert {c.call_id for c in listed(city.supervisor, "call_abandoned", "denominator")} == {"C3", "C4", "C7"}


def test_per_sub_line_the_lists_count_the_lines_figures(city):
    calls.import_calls(None, fixture_calls())
    table = read(group_by="channel")
    assert len(table.groups) == 2
    for g in table.groups:
        for code in CODES:
            v = g.values[code]
            check(city.supervisor, code, v.numerator, v.denominator, group_by="channel", key=g.key)


def test_the_api_links_every_call_figure_to_its_calls_with_the_callers_masked(apis, city):
    calls.import_calls(None, fixture_calls())
    body = apis.supervisor.get("/figures", **{"from": "2026-03", "group_by": "channel"}).json()
    cells = [body["figures"]] + [g["figures"] for g in body["groups"]]
    for figures in cells:
        for code in CODES:
            cell = figures[code]
            assert cell["denominator_url"].startswith(f"/api/v1/figures/{code}/calls?")
            got = apis.supervisor.get(cell["denominator_url"].removeprefix("/api/v1")).json()
            assert got["items"] == got["visible"] == len(got["calls"]) == cell["denominator"]
            if get(code).kind not in (COUNT, MEAN):
                got = apis.supervisor.get(cell["numerator_url"].removeprefix("/api/v1")).json()
                assert got["visible"] == cell["numerator"]
    got = apis.supervisor.get("/figures/call_answer_rate/calls", **{"from": "2026-03"}).json()
    assert {c["caller"] for c in got["calls"]} == {"138****5678"}
    assert [c["call_id"] for c in got["calls"]] == ["C7", "C6", "C5", "C4", "C3", "C2", "C1"]  # newest first


def test_calls_belong_to_the_centre_a_unit_sees_the_count_not_the_rows(apis, city):
    calls.import_calls(None, fixture_calls())
    read()
    got = apis.heating_handler.get("/figures/call_answer_rate/calls", **{"from": "2026-03"}).json()
    assert (got["items"], got["visible"], got["calls"]) == (7, 0, [])
    rows, items = queries.item_calls(city.heating_handler, CITY, MARCH, "call_abandoned", "denominator")
    assert (items, rows.count()) == (3, 0)


def test_ticket_and_call_lists_are_not_mixed_up(apis, city):
    calls.import_calls(None, fixture_calls())
    assert apis.supervisor.get("/figures/call_answer_rate/tickets", **{"from": "2026-03"}).status_code == 404
    assert apis.supervisor.get("/figures/assigned/calls", **{"from": "2026-03"}).status_code == 404
    assert apis.supervisor.get("/figures/interviews/calls", **{"from": "2026-03"}).status_code == 404
    assert apis.supervisor.get("/figures/nonsense/calls").status_code == 404
    assert apis.supervisor.get("/figures/call_wait/calls", part="both").status_code == 400


def test_the_api_pages_by_a_hundred(apis, city):
    calls.import_calls(None, [call(f"P{n:03}", "12345", FIXED_NOW + n * timedelta(minutes=1), answered_after=3)
                              for n in range(105)])
    read()
    first = apis.supervisor.get("/figures/call_answer_rate/calls", **{"from": "2026-03"}).json()
    second = apis.supervisor.get("/figures/call_answer_rate/calls", **{"from": "2026-03", "page": "2"}).json()
    assert (len(first["calls"]), len(second["calls"]), second["visible"]) == (100, 5, 105)
    assert {c["call_id"] for c in first["calls"]} | {c["call_id"] for c in second["calls"]} == {
        f"P{n:03}" for n in range(105)}


def test_the_dashboard_links_the_call_figures_to_the_calls_page(client, analyst, city):  # noqa: F811
    with clock.at(FIXED_NOW + timedelta(minutes=2)):  # the caller of C1 registers a ticket: the call links to it
        ticket = tickets.accept(city.operator, city.ticket_data())
    calls.import_calls(None, fixture_calls())
    html = page(client, analyst, "/figures/?period=month&on=2026-03")
    numerator = [u for u in links(html, r"figure=call_answer_rate.*part=numerator") if "group_by" not in u]
    assert numerator and numerator[0].startswith("/figures/calls/?")
    shown = page(client, analyst, numerator[0])
    assert "计入 4 通呼叫" in shown and "138****5678" in shown and "13812345678" not in shown
    ids = re.findall(r"<td class=\"mono\">(C\d)</td>", shown)
    assert sorted(ids) == ["C1", "C2", "C5", "C6"]
    assert f'<a href="/tickets/{ticket.number}/">{ticket.number}</a>' in shown
    page(client, analyst, "/figures/calls/?figure=assigned", 404)
    page(client, analyst, "/figures/calls/?figure=call_wait&group_by=channel&key=abc", 404)
    assert "计入 4 通呼叫" in page(client, analyst, "/figures/calls/?figure=call_wait&from=2026-03-01&to=2026-03-31"
                                                   "&group_by=channel&part=denominator")  # a group without its key


def test_the_calls_page_pages_by_thirty(client, analyst, city):  # noqa: F811
    calls.import_calls(None, [call(f"P{n:03}", "12345", FIXED_NOW + n * timedelta(minutes=1), answered_after=3)
                              for n in range(35)])
    read()
    second = page(client, analyst, "/figures/calls/?figure=call_answer_rate&from=2026-03-01&to=2026-03-31&page=2")
    assert "2 / 2" in second
    assert re.findall(r"<td class=\"mono\">(P\d+)</td>", second) == ["P004", "P003", "P002", "P001", "P000"]


def test_the_dashboard_shows_the_calls_by_line_each_linking_to_its_calls(client, analyst, city):  # noqa: F811
    calls.import_calls(None, fixture_calls())
    html = page(client, analyst, "/figures/?period=month&on=2026-03")
    assert "话务（按线路）" in html
    sub = str(Channel.objects.get(code="12315").pk)
    offered = [u for u in links(html, rf"figure=call_answer_rate.*group_by=channel.*key={sub}&.*part=denominator")]
    assert offered and offered[0].startswith("/figures/calls/?")
    shown = page(client, analyst, offered[0])
    assert sorted(re.findall(r"<td class=\"mono\">(C\d)</td>", shown)) == ["C5", "C6", "C7"]
    assert re.search(r'class="fig-period">2026年3月 · [^<]+</span>', shown)
    unit_page = page(client, analyst, f"/figures/?period=month&on=2026-03&unit={city.heating.code}")
    assert "话务（按线路）" not in unit_page
