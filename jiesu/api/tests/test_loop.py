"""The closed loop and its side paths, driven only through the JSON API with one token per role."""

from __future__ import annotations

from datetime import datetime

import pytest

from jiesu.api.tests.conftest import expect

pytestmark = pytest.mark.django_db


def _accepted(apis, city, **overrides):  # type: ignore[no-untyped-def]
    return expect(apis.operator.post("/tickets", city.ticket_data(**overrides)), 201)


def _run(api, t, action, **inputs):  # type: ignore[no-untyped-def]
    """One action with the version the caller last saw; returns the ticket as the API sends it back."""
    return expect(api.act(t["number"], action, t["version"], **inputs), 200)


def _actions(t) -> set[str]:  # type: ignore[no-untyped-def]
    return {a["action"] for a in t["allowed_actions"]}


def _replied_and_approved(apis, city, lead="heating"):  # type: ignore[no-untyped-def]
    t = _run(apis.dispatcher, _accepted(apis, city), "dispatch", lead_unit=lead)
    handler = apis.heating_handler
    t = _run(handler, t, "sign")
    t = _run(handler, t, "reply", result="已维修管道", basis="《吉林省城市供热条例》")
    return _run(apis.supervisor, t, "review_reply", decision="approve")


def test_the_whole_loop_runs_through_the_api(apis, city):
    t = _accepted(apis, city)
    assert t["status"]["value"] == "received" and "dispatch" in _actions(t)
    t = _run(apis.dispatcher, t, "dispatch", lead_unit="heating")
    handler = apis.heating_handler
    assert "sign" in _actions(expect(handler.get(f"/tickets/{t['number']}"), 200))
    t = _run(handler, t, "sign")
    t = _run(handler, t, "contact", method="phone", note="已电话联系")
    assert t["assignments"][0]["contacted_at"] is not None
    t = _run(handler, t, "reply", result="已维修管道，室温恢复到20度", basis="《吉林省城市供热条例》")
    assert t["status"]["value"] == "replied"
    t = _run(apis.supervisor, t, "review_reply", decision="approve")
    assert t["status"]["value"] == "visiting" and t["visit_due_at"]
    t = _run(apis.visitor, t, "visit", outcome="reached", resolution="resolved", satisfaction="satisfied")
    t = _run(apis.visitor, t, "close", note="满意")
    assert t["status"] == {"value": "closed", "label": "已办结"} and t["version"] == 8 and t["closed_at"]
    events = expect(apis.supervisor.get(f"/tickets/{t['number']}/events"), 200)
    assert [e["action"] for e in events] == [
        "accept", "dispatch", "sign", "contact", "reply", "review_reply", "visit", "close"]
    assert events[2]["actor_unit"] == "供热公司" and events[2]["role"] == "handler"
    assert events[2]["action_label"] == "签收" and events[2]["after"]["status"] == "in_progress"


def test_return_goes_to_adjudication_and_the_ruling_redispatches(apis, city):
    t = _run(apis.dispatcher, _accepted(apis, city), "dispatch", lead_unit="urban")
    t = _run(apis.urban_handler, t, "sign")
    t = _run(apis.urban_handler, t, "request_return", reason="供热问题不属于城管职责")
    assert t["status"]["value"] == "return_review"
    t = _run(apis.dispatcher, t, "review_return", decision="adjudicate", opinion="双方职责不清")
    assert t["status"]["value"] == "adjudicating" and t["next_due_at"] is None
    t = _run(apis.adjudicator, t, "adjudicate", responsible_unit="heating",
             legal_basis="《吉林省城市供热条例》第二十条", refusing_units=["urban"], add_to_catalog=True)
    assert t["status"]["value"] == "assigned" and t["lead_unit"]["code"] == "heating"
    assert [(a["unit"]["code"], a["status"]["value"]) for a in t["assignments"]] == [("heating", "pending_sign")]
    t = _run(apis.heating_handler, t, "sign")
    assert t["status"]["value"] == "in_progress"


def test_approved_return_dispatches_again_and_a_sub_centre_passes_it_down(apis, city):
    t = _run(apis.dispatcher, _accepted(apis, city), "dispatch", lead_unit="urban")
    t = _run(apis.urban_handler, t, "request_return", reason="非本单位职责")
    t = _run(apis.dispatcher, t, "review_return", decision="approve", opinion="同意")
    assert t["status"]["value"] == "dispatching" and t["lead_unit"] is None
    t = _run(apis.dispatcher, t, "dispatch", lead_unit="tiexi")
    t = _run(apis.subcentre_handler, t, "sign")
    t = _run(apis.subcentre_handler, t, "redispatch", lead_unit="renxing", note="请仁兴街道办理")
    assert t["lead_unit"]["code"] == "renxing" and t["status"]["value"] == "assigned"
    t = _run(apis.street_handler, t, "sign")
    t = _run(apis.street_handler, t, "reply", result="已协调物业")
    assert t["status"]["value"] == "replied"


def test_extension_moves_the_handling_deadline_once(apis, city):
    t = _run(apis.dispatcher, _accepted(apis, city), "dispatch", lead_unit="heating")
    t = _run(apis.heating_handler, t, "sign")
    before = t["assignments"][0]["reply_due_at"]
    t = _run(apis.heating_handler, t, "request_extension", working_days=3, reason="需要更换主管道")
    assert t["assignments"][0]["extension_requested_days"] == 3
    t = _run(apis.dispatcher, t, "review_extension", decision="approve", opinion="同意")
    a = t["assignments"][0]
    assert datetime.fromisoformat(a["reply_due_at"]) > datetime.fromisoformat(before) and a["extension_count"] == 1 and a["extension_requested_days"] is None
    again = apis.heating_handler.act(t["number"], "request_extension", t["version"], working_days=1, reason="再延")
    assert expect(again, 409)["code"] == "action_not_allowed"


def test_dissatisfied_citizen_gets_the_ticket_handled_again(apis, city):
    t = _replied_and_approved(apis, city)
    t = _run(apis.visitor, t, "visit", outcome="reached", resolution="unresolved", satisfaction="dissatisfied")
    assert "reopen" in _actions(t) and "close" in _actions(t)
    t = _run(apis.supervisor, t, "reopen", reason="群众反映仍不热")
    assert t["status"]["value"] == "assigned" and t["reopen_count"] == 1
    t = _run(apis.heating_handler, t, "sign")
    t = _run(apis.heating_handler, t, "reply", result="更换暖气片")
    assert t["status"]["value"] == "replied"


def test_a_repeat_request_is_merged_into_the_open_ticket(apis, city):
    first = _accepted(apis, city)
    repeat = _accepted(apis, city, requester_phone="13900000000")
    merged = _run(apis.operator, repeat, "merge", into=first["number"], note="同一问题")
    assert merged["status"]["value"] == "merged" and merged["merged_into"] == first["number"]
    assert merged["allowed_actions"] == []


def test_consultation_answered_on_the_spot_and_urging_a_unit(apis, city):
    t = _run(apis.operator, _accepted(apis, city, kind="consultation"), "answer", answer="低保标准为每月710元。")
    assert t["status"]["value"] == "closed"
    t = _run(apis.dispatcher, _accepted(apis, city), "dispatch", lead_unit="heating")
    t = _run(apis.supervisor, t, "urge", message="请尽快签收")
    t = _run(apis.supervisor, t, "supervise", text="限期解决", working_days=2)
    assert t["assignments"][0]["urge_count"] == 1 and t["version"] == 4
