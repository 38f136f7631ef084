"""POST /api/v1/suggest: the draft's suggestions as JSON, scoped to the caller, with errors in Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from jiesu.api.tokens import create_token
from jiesu.core import clock
from jiesu.intelligence import classifier
from jiesu.intelligence.tests.world import FIXED_NOW, accept, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/suggest"


def _post(user, body):  # type: ignore[no-untyped-def]
    _, raw = create_token(user, name="suggest test")
    return Client().post(URL, body, content_type="application/json", headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture(autouse=True)
def _fixed():  # type: ignore[no-untyped-def]
    classifier.clear_cache()
    with clock.at(FIXED_NOW):
        yield


def test_suggestions_for_a_draft(world, django_capture_on_commit_callbacks):  # noqa: F811
    with clock.at(FIXED_NOW - timedelta(hours=3)), django_capture_on_commit_callbacks(execute=True):
        earlier = accept(world)
    body = {"title": "阳光新城小区暖气不热", "content": "家里暖气一直不热，室温只有十二度，供热公司电话打不通。",
            "category": "0101", "address": "铁西区阳光新城小区3栋", "requester_phone": "13812345678"}
    response = _post(world.operator, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["place"]["code"] == "220302001001"
    assert data["place"]["path"] == ["四平市", "铁西区", "仁兴街道", "阳光新城小区"]
    assert [(u["unit_code"], u["source"]) for u in data["units"]] == [("heating", "catalog")]
    assert [(c["code"], c["probability"], c["source"]) for c in data["categories"]] == [("0101", None, "catalog")]
    assert data["learned_available"] is False
    [candidate] = data["merge_candidates"]
    assert candidate["number"] == earlier.number
    assert candidate["reason"].startswith("同一来电人，内容几乎相同（相似度1.00）") and "3小时前" in candidate["reason"]
    assert [h["number"] for h in data["requester_history"]] == [earlier.number]
    assert data["similar_cases"] == []


def test_an_empty_draft_is_fine(world):  # noqa: F811
    response = _post(world.operator, {})
    assert response.status_code == 200
    assert response.json()["place"] is None and response.json()["units"] == []


def test_unknown_codes_and_overlong_fields_are_400_in_chinese(world):  # noqa: F811
    response = _post(world.operator, {"category": "nope", "region": "000"})
    assert response.status_code == 400
    errors = response.json()["field_errors"]
    assert "不存在" in errors["category"][0] and "不存在" in errors["region"][0]
    assert _post(world.operator, {"title": "长" * 201}).status_code == 400


def test_only_staff_who_accept_tickets_may_ask(world):  # noqa: F811
    assert _post(world.handler, {"title": "暖气不热"}).status_code == 403
    assert Client().post(URL, {}, content_type="application/json").status_code == 401
