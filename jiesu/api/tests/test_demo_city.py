"""The demo city (Siping, `jiesu demo`) run through the API by its demo accounts, each with a token."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from jiesu.api.tests.conftest import Api, expect
from jiesu.api.tokens import create_token
from jiesu.org.models import User

pytestmark = pytest.mark.django_db

TICKET = {"title": "阳光新城小区暖气不热", "content": "家里暖气一直不热，室温只有十二度。", "kind": "complaint",
          "channel": "phone", "category": "010101", "region": "220302001001", "address": "阳光新城小区3号楼",
          "requester_name": "张三", "requester_phone": "13812345678"}


@pytest.fixture
def demo(settings, capsys):  # type: ignore[no-untyped-def]
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    call_command("demo")
    capsys.readouterr()

    def as_user(username: str) -> Api:
        return Api(Client(), create_token(User.objects.get(username=username), name="demo")[1])

    return as_user


def _run(api, t, action, **inputs):  # type: ignore[no-untyped-def]
    return expect(api.act(t["number"], action, t["version"], **inputs), 200)


def test_the_demo_city_runs_the_loop_and_the_return_path_through_the_api(demo):
    operator, dispatcher, heating = demo("operator"), demo("dispatcher"), demo("handler-heating")
    t = expect(operator.post("/tickets", TICKET, headers={"Idempotency-Key": "demo-1"}), 201)
    assert t["category"]["code"] == "010101" and t["region"]["code"] == "220302001001"
    t = _run(dispatcher, t, "dispatch", lead_unit="heating")
    for action, inputs in [("sign", {}), ("contact", {"note": "已电话联系"}),
                           ("reply", {"result": "已更换阀门，室温恢复", "basis": "《吉林省城市供热条例》"})]:
        t = _run(heating, t, action, **inputs)
    t = _run(demo("supervisor"), t, "review_reply", decision="approve")
    visitor = demo("visitor")
    t = _run(visitor, t, "visit", outcome="reached", resolution="resolved", satisfaction="satisfied")
    assert _run(visitor, t, "close")["status"]["value"] == "closed"

    urban = demo("handler-urban")
    t = expect(operator.post("/tickets", TICKET), 201)
    t = _run(dispatcher, t, "dispatch", lead_unit="urban")
    t = _run(urban, t, "request_return", reason="供热问题不属于城管职责")
    t = _run(dispatcher, t, "review_return", decision="adjudicate", opinion="职责不清")
    t = _run(demo("adjudicator"), t, "adjudicate", responsible_unit="heating", legal_basis="《吉林省城市供热条例》第五条")
    assert _run(heating, t, "sign")["status"]["value"] == "in_progress"
    assert expect(urban.get("/tickets", status="in_progress", q=t["number"]), 200)["count"] == 1
    assert expect(urban.get(f"/tickets/{t['number']}"), 200)["requester"]["may_reveal"] is False
    assert expect(urban.get(f"/tickets/{t['number']}", reveal=1), 403)["code"] == "reveal_not_allowed"


def _demo_ticket(key: str) -> str:
    from jiesu.tickets.models import Ticket

    return Ticket.objects.get(idempotency_key__endswith=f":demo:{key}").number


def test_in_the_demo_city_units_see_the_requester_only_while_they_handle_the_ticket(demo):
    from jiesu.core.models import RevealLog

    urban, water, tiexi, renxing = (demo(f"handler-{u}") for u in ("urban", "water", "tiexi", "renxing"))
    refused = [(urban, "heating-returned"), (urban, "noise-adjudicating"), (water, "water-stop"),
               (tiexi, "illegal-build"), (renxing, "illegal-build")]
    for api, key in refused:
        number = _demo_ticket(key)
        assert expect(api.get(f"/tickets/{number}"), 200)["requester"]["may_reveal"] is False, key
        assert expect(api.get(f"/tickets/{number}", reveal=1), 403)["code"] == "reveal_not_allowed", key
    assert not RevealLog.objects.exists()
    signed = _demo_ticket("heating-leak")  # signed for by the heating company, being handled
    assert expect(demo("handler-heating").get(f"/tickets/{signed}", reveal=1), 200)["requester"]["masked"] is False
    anonymous = expect(tiexi.get(f"/tickets/{_demo_ticket('illegal-build')}"), 200)
    assert not {"reply", "request_extension", "request_return", "redispatch"} & {
        a["action"] for a in anonymous["allowed_actions"]}
    offered_to_street = {a["action"] for a in expect(renxing.get(f"/tickets/{anonymous['number']}"), 200)["allowed_actions"]}
    assert {"reply", "request_extension", "request_return"} <= offered_to_street
