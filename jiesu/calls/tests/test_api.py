"""`POST /api/v1/calls`: only holders of calls:import; a bad record refuses the batch with a 400 and the reasons;
sending the same records again adds nothing."""

from __future__ import annotations

import pytest

from jiesu.api.tests.conftest import Api, expect
from jiesu.api.tokens import create_token
from jiesu.calls.models import Call
from jiesu.calls.tests.conftest import HEADER_EN, row
from jiesu.core.models import Event

pytestmark = pytest.mark.django_db


def record(call_id: str, **kw):  # type: ignore[no-untyped-def]
    values = dict(zip(HEADER_EN, row(call_id, **kw), strict=True))
    return {k: (v or None) if k == "answered_at" else v for k, v in values.items()}


@pytest.fixture
def feed_api(feed, client):  # type: ignore[no-untyped-def]
    return Api(client, create_token(feed, name="call centre")[1])


def test_only_holders_of_calls_import_may_post(apis, client, city):
    body = {"calls": [record("P1")]}
    assert client.post("/api/v1/calls", body, content_type="application/json").status_code == 401
    assert expect(apis.operator.post("/calls", body), 403)["code"] == "permission_denied"
    assert expect(apis.supervisor.post("/calls", body), 403)
    assert not Call.objects.exists()


def test_records_are_imported_and_sending_them_again_adds_nothing(feed_api, city):
    body = {"source": "cti", "calls": [record("P1", survey="满意"), record("P2", line="12315", wait=None,
                                                                          abandoned_after=16)]}
    first = expect(feed_api.post("/calls", body), 200)
    assert (first["imported"], first["already"], first["source"]) == (2, [], "cti")
    events = Event.objects.count()
    again = expect(feed_api.post("/calls", {**body, "calls": [*body["calls"], record("P3")]}), 200)
    assert (again["imported"], again["already"]) == (1, ["P1", "P2"])
    assert Call.objects.filter(source="cti").count() == 3 and Event.objects.count() == events + 1
    assert Call.objects.get(call_id="P2").answered_at is None


def test_a_bad_record_refuses_the_batch_with_the_reasons(feed_api, city):
    ended_early = record("Q2")
    ended_early["ended_at"] = "2026-03-02 08:59:00"
    body = {"calls": [record("Q1"), ended_early, record("Q3", line="96110"), record("Q1"), "not a record"]}
    response = expect(feed_api.post("/calls", body), 400)
    assert response["code"] == "validation_failed"
    bad = {r["index"]: r for r in response["details"]["records"]}
    assert sorted(bad) == [1, 2, 3, 4]
    assert "结束时间早于呼入时间" in bad[1]["reasons"] and bad[1]["call_id"] == "Q2"
    assert bad[2]["reasons"] == ["未知线路“96110”"]
    assert bad[3]["reasons"] == ["呼叫编号与 calls[0] 重复"]
    assert not Call.objects.exists()
    for broken in ({}, {"calls": []}, {"calls": {"a": 1}}, {"calls": [record("Z")], "source": 7},
                   {"calls": [record("Z")] * 1001}, {"calls": [{**record("Z"), "call_id": True}]}):
        assert expect(feed_api.post("/calls", broken), 400)["code"] == "validation_failed"
    assert feed_api.client.post("/api/v1/calls", "{", content_type="application/json",
                                headers={"Authorization": f"Bearer {feed_api.token}"}).status_code == 400
