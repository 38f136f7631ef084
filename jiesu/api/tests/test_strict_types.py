"""What schemathesis found accepted though the document refuses it: numbers for dates and yes/no, and bodies
that are not one JSON object. Each is a 400 in the JSON error format, and nothing is saved."""

from __future__ import annotations

import pytest

from jiesu.api.tests.conftest import expect
from jiesu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path, params", [
    ("/tickets", {"created_to": "0"}), ("/tickets", {"created_from": "20260301"}),
    ("/dispatch-rules", {"at": "0"}), ("/time-limits", {"at": "0"}), ("/knowledge/figures", {"start": "1"}),
])
def test_a_date_is_only_yyyy_mm_dd(apis, path, params):  # type: ignore[no-untyped-def]
    body = expect(apis.supervisor.get(path, **params), 400)
    assert body["code"] == "validation_failed"
    assert body["field_errors"] == {next(iter(params)): ["请输入 YYYY-MM-DD 格式的日期。"]}


def test_a_well_written_date_still_filters(apis):  # type: ignore[no-untyped-def]
    assert expect(apis.operator.get("/tickets", created_to="2026-03-02"), 200)["count"] == 0


def test_a_yes_or_no_is_true_or_false_not_a_number(apis, city):  # type: ignore[no-untyped-def]
    body = expect(apis.operator.post("/tickets", city.ticket_data(is_whistleblower=0)), 400)
    assert body["field_errors"] == {"is_whistleblower": ["应为是或否。"]}
    assert not Ticket.objects.exists()
    expect(apis.operator.post("/tickets", city.ticket_data(is_whistleblower=True)), 201)


def test_an_action_body_is_checked_with_json_types(apis, city):  # type: ignore[no-untyped-def]
    t = expect(apis.operator.post("/tickets", city.ticket_data()), 201)
    body = expect(apis.dispatcher.act(t["number"], "dispatch", t["version"], lead_unit=7), 400)
    assert set(body["field_errors"]) == {"lead_unit"}
    assert Ticket.objects.get().status == "received"


@pytest.mark.parametrize("raw", ["[null, null]", "[]", "1", '"text"', "null"])
def test_an_api_body_is_one_json_object(apis, raw):  # type: ignore[no-untyped-def]
    response = apis.operator.client.post("/api/v1/suggest", raw, content_type="application/json",
                                         headers={"Authorization": f"Bearer {apis.operator.token}"})
    assert expect(response, 400)["message"] == "请求体应为 JSON 对象。"
