"""POST /tickets with an Idempotency-Key: however often (and however concurrently) a caller retries, one ticket."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jiesu.api.tests.conftest import expect
from jiesu.tickets.models import Ticket


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_same_ticket(apis, city):
    headers = {"Idempotency-Key": "call-20261123-0001"}
    first = expect(apis.operator.post("/tickets", city.ticket_data(), headers=headers), 201)
    again = expect(apis.operator.post("/tickets", city.ticket_data(), headers=headers), 200)
    assert again["number"] == first["number"] and Ticket.objects.count() == 1
    other = expect(apis.operator.post("/tickets", city.ticket_data(), headers={"Idempotency-Key": "call-2"}), 201)
    assert other["number"] != first["number"]
    expect(apis.operator.post("/tickets", city.ticket_data()), 201)
    assert Ticket.objects.count() == 3


@pytest.mark.django_db
def test_a_key_sent_again_with_a_different_request_is_refused_and_creates_nothing(apis, city):
    headers = {"Idempotency-Key": "call-20261123-0002"}
    first = expect(apis.operator.post("/tickets", city.ticket_data(), headers=headers), 201)
    changed = {**city.ticket_data(), "content": "另一件事：小区门口路灯不亮已经一周。"}
    body = expect(apis.operator.post("/tickets", changed, headers=headers), 409)
    assert body["code"] == "idempotency_key_reused" and body["details"]["fields"] == ["content"]
    assert Ticket.objects.count() == 1 and Ticket.objects.get().number == first["number"]


@pytest.mark.django_db
def test_keys_belong_to_their_caller_and_have_a_length_limit(apis, city):
    headers = {"Idempotency-Key": "same-key"}
    mine = expect(apis.operator.post("/tickets", city.ticket_data(), headers=headers), 201)
    theirs = expect(apis.dispatcher.post("/tickets", city.ticket_data(), headers=headers), 201)
    assert mine["number"] != theirs["number"]
    body = expect(apis.operator.post("/tickets", city.ticket_data(), headers={"Idempotency-Key": "k" * 65}), 400)
    assert "Idempotency-Key" in body["field_errors"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_exactly_one_ticket(apis, city):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write, so there is no race to test")
    callers, barrier = 8, threading.Barrier(8)
    api = apis.operator
    api.get("/tickets")  # create the token before the threads start
    results: list[tuple[int, str]] = []

    def retry() -> None:
        try:
            barrier.wait(timeout=30)
            response = api.post("/tickets", city.ticket_data(), headers={"Idempotency-Key": "storm-1"})
            results.append((response.status_code, response.json().get("number", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert Ticket.objects.count() == 1
    assert sorted(code for code, _ in results) == [200] * (callers - 1) + [201]
    assert {number for _, number in results} == {Ticket.objects.get().number}
