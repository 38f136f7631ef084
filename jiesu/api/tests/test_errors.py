"""Each failure maps to its status and a stable code, with messages in Chinese, and changes nothing."""

from __future__ import annotations

import pytest

from jiesu.api.tests.conftest import expect
from jiesu.core.models import Event
from jiesu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(apis, city):  # type: ignore[no-untyped-def]
    t = expect(apis.operator.post("/tickets", city.ticket_data()), 201)
    return expect(apis.dispatcher.act(t["number"], "dispatch", t["version"], lead_unit="heating"), 200)


def test_bad_input_is_400_with_field_errors_and_creates_nothing(apis):
    body = expect(apis.operator.post("/tickets", {"title": "", "kind": "nope", "channel": "phone"}), 400)
    assert body["code"] == "validation_failed"
    assert {"title", "content"} <= set(body["field_errors"]) and body["field_errors"]["content"] == ["此项必填。"]
    assert Ticket.objects.count() == 0


def test_bad_action_input_is_400_and_leaves_the_ticket_as_it_was(apis, dispatched):
    number, version = dispatched["number"], dispatched["version"]
    body = expect(apis.heating_handler.act(number, "request_extension", version, working_days="many"), 400)
    assert set(body["field_errors"]) == {"working_days", "reason"}
    body = expect(apis.heating_handler.post(f"/tickets/{number}/actions/sign", {}), 400)
    assert body["field_errors"] == {"version": ["此项必填。"]}
    body = expect(apis.heating_handler.act(number, "sign", version, colour="red"), 400)
    assert body["field_errors"] == {"colour": ["不认识的字段。"]}
    assert Ticket.objects.get(number=number).version == version


def test_a_body_that_is_not_json_is_400(apis, dispatched):
    response = apis.heating_handler.client.post(
        f"/api/v1/tickets/{dispatched['number']}/actions/sign", "{not json", content_type="application/json",
        headers={"Authorization": f"Bearer {apis.heating_handler.token}"})
    assert expect(response, 400)["message"] == "请求体不是有效的 JSON。"


def test_a_role_that_may_not_act_gets_403(apis, city, dispatched):
    assert expect(apis.heating_handler.post("/tickets", city.ticket_data()), 403)["code"] == "permission_denied"
    body = expect(apis.heating_handler.act(dispatched["number"], "urge", dispatched["version"], message="快"), 403)
    assert body["code"] == "permission_denied"
    body = expect(apis.visitor.act(dispatched["number"], "sign", dispatched["version"]), 403)
    assert body["code"] == "permission_denied"


def test_a_ticket_outside_the_users_scope_is_404(apis, dispatched):
    number = dispatched["number"]
    assert expect(apis.urban_handler.get(f"/tickets/{number}"), 404)["code"] == "not_found"
    assert expect(apis.urban_handler.get(f"/tickets/{number}/events"), 404)["code"] == "not_found"
    assert expect(apis.urban_handler.act(number, "sign", dispatched["version"]), 404)["code"] == "not_found"
    assert expect(apis.operator.get("/tickets/SP20000101999999"), 404)["code"] == "not_found"


def test_an_unknown_action_is_404_with_its_own_code(apis, dispatched):
    body = expect(apis.heating_handler.act(dispatched["number"], "teleport", dispatched["version"]), 404)
    assert body["code"] == "unknown_action"


def test_a_stale_version_is_409_and_changes_nothing(apis, dispatched):
    events = Event.objects.filter(subject_type="ticket").count()
    body = expect(apis.heating_handler.act(dispatched["number"], "sign", dispatched["version"] - 1), 409)
    assert body["code"] == "stale_version" and body["details"]["current_version"] == dispatched["version"]
    assert Event.objects.filter(subject_type="ticket").count() == events


def test_an_action_not_allowed_in_this_state_is_409(apis, dispatched):
    body = expect(apis.dispatcher.act(dispatched["number"], "dispatch", dispatched["version"], lead_unit="urban"), 409)
    assert body["code"] == "action_not_allowed"
    body = expect(apis.visitor.act(dispatched["number"], "close", dispatched["version"]), 409)
    assert body["code"] == "action_not_allowed"
