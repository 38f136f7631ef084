"""Scope and personal data: units see their own tickets, masked requesters, never a whistle-blower."""

from __future__ import annotations

import pytest

from jiesu.api.tests.conftest import expect
from jiesu.core.models import RevealLog

pytestmark = pytest.mark.django_db


def _dispatched(apis, city, lead="heating", **overrides):  # type: ignore[no-untyped-def]
    t = expect(apis.operator.post("/tickets", city.ticket_data(**overrides)), 201)
    return expect(apis.dispatcher.act(t["number"], "dispatch", t["version"], lead_unit=lead), 200)


def test_the_handling_unit_sees_a_masked_requester_and_a_logged_full_view(apis, city):
    t = _dispatched(apis, city)
    number = expect(apis.heating_handler.act(t["number"], "sign", t["version"]), 200)["number"]
    seen = expect(apis.heating_handler.get(f"/tickets/{number}"), 200)
    assert seen["requester"]["name"] == "张*" and seen["requester"]["phone"] == "138****5678"
    assert seen["requester"]["may_reveal"] is True and seen["query_code"] is None
    assert RevealLog.objects.count() == 0
    revealed = expect(apis.heating_handler.get(f"/tickets/{number}", reveal=1), 200)["requester"]
    assert (revealed["name"], revealed["phone"], revealed["masked"]) == ("张三", "13812345678", False)
    log = RevealLog.objects.get()
    assert log.user == city.heating_handler and log.fields == ["name", "phone"]


def test_a_unit_that_has_not_signed_for_the_ticket_is_refused_a_full_view(apis, city):
    number = _dispatched(apis, city)["number"]
    seen = expect(apis.heating_handler.get(f"/tickets/{number}"), 200)["requester"]
    assert seen["name"] == "张*" and seen["may_reveal"] is False
    refused = expect(apis.heating_handler.get(f"/tickets/{number}", reveal=1), 403)
    assert refused["code"] == "reveal_not_allowed" and "签收后" in refused["message"]
    assert "13812345678" not in str(refused) and RevealLog.objects.count() == 0


def test_a_whistleblower_is_never_shown_to_the_unit(apis, city):
    t = _dispatched(apis, city, kind="report", is_whistleblower=True)
    number = expect(apis.heating_handler.act(t["number"], "sign", t["version"]), 200)["number"]
    requester = expect(apis.heating_handler.get(f"/tickets/{number}"), 200)["requester"]
    assert requester["name"] == "" and requester["phone"] == "" and requester["whistleblower"] is True
    assert requester["may_reveal"] is False
    refused = expect(apis.heating_handler.get(f"/tickets/{number}", reveal=1), 403)
    assert refused["code"] == "reveal_not_allowed" and "张三" not in str(refused) and RevealLog.objects.count() == 0
    events = expect(apis.heating_handler.get(f"/tickets/{number}/events"), 200)
    assert "13812345678" not in str(events) and "张三" not in str(events)
    centre = expect(apis.operator.get(f"/tickets/{number}", reveal=1), 200)["requester"]
    assert centre["phone"] == "13812345678"


def test_after_the_unit_is_done_it_may_no_longer_reveal(apis, city):
    t = _dispatched(apis, city, lead="urban")
    t = expect(apis.urban_handler.act(t["number"], "request_return", t["version"], reason="非本单位职责"), 200)
    refused = expect(apis.urban_handler.get(f"/tickets/{t['number']}", reveal=1), 403)
    assert "退单申请" in refused["message"]
    expect(apis.dispatcher.act(t["number"], "review_return", t["version"], decision="approve"), 200)
    requester = expect(apis.urban_handler.get(f"/tickets/{t['number']}"), 200)["requester"]
    assert requester["masked"] is True and requester["may_reveal"] is False
    expect(apis.urban_handler.get(f"/tickets/{t['number']}", reveal=1), 403)
    assert RevealLog.objects.count() == 0


def test_units_list_only_their_own_tickets(apis, city):
    mine = _dispatched(apis, city, lead="heating")["number"]
    _dispatched(apis, city, lead="urban")
    expect(apis.operator.post("/tickets", city.ticket_data()), 201)
    listed = expect(apis.heating_handler.get("/tickets"), 200)
    assert listed["count"] == 1 and [t["number"] for t in listed["results"]] == [mine]
    assert expect(apis.operator.get("/tickets"), 200)["count"] == 3
    queues = {q["name"]: q["count"] for q in expect(apis.heating_handler.get("/queues"), 200)}
    assert queues["to_sign"] == 1 and queues["dispatching"] == 0
    assert {q["name"]: q["count"] for q in expect(apis.operator.get("/queues"), 200)}["dispatching"] == 1
