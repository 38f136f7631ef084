"""POST /api/v1/tickets and the actions check what they are given like the intake page: the caller's phone
number, choices left empty, texts too long — 400 validation_failed with the field's message, nothing saved."""

from __future__ import annotations

import pytest

from jiesu.api.tests.conftest import expect
from jiesu.tickets.models import Ticket

pytestmark = pytest.mark.django_db
PHONE_HINT = "请输入 11 位手机号或带区号的固定电话，如 0434-3281234。"


@pytest.mark.parametrize("typed", ["12345abc", "1391234567", "12345", "139123456789"])
def test_a_bad_phone_number_is_400_with_what_to_type(apis, city, typed):
    body = expect(apis.operator.post("/tickets", city.ticket_data(requester_phone=typed)), 400)
    assert body["code"] == "validation_failed" and body["field_errors"] == {"requester_phone": [PHONE_HINT]}
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(("typed", "stored"), [("139-1234-5678", "13912345678"), ("+86 139 1234 5678", "13912345678"),
                                               ("0434-3281234", "04343281234")])
def test_a_phone_number_is_stored_in_its_normal_form(apis, city, typed, stored):
    created = expect(apis.operator.post("/tickets", city.ticket_data(requester_phone=typed)), 201)
    assert Ticket.objects.get(number=created["number"]).requester_phone == stored


def test_an_empty_or_missing_choice_says_what_to_choose(apis, city):
    body = expect(apis.operator.post("/tickets", city.ticket_data(kind="")), 400)
    assert body["field_errors"] == {"kind": ["请选择诉求类型。"]}
    data = city.ticket_data()
    del data["kind"]
    assert expect(apis.operator.post("/tickets", data), 400)["field_errors"] == {"kind": ["请选择诉求类型。"]}
    t = expect(apis.operator.post("/tickets", city.ticket_data()), 201)
    body = expect(apis.operator.act(t["number"], "reject", t["version"], reason="", route="请向法院起诉"), 400)
    assert body["field_errors"] == {"reason": ["请选择不予受理原因。"]}


def test_a_text_too_long_says_the_limit(apis, city):
    body = expect(apis.operator.post("/tickets", city.ticket_data(title="长" * 201)), 400)
    assert body["field_errors"] == {"title": ["内容过长，最多 200 字。"]}
