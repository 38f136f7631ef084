"""Races that only a real server shows: two handlers signing at once, two tickets numbered at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from jiesu.core.errors import DomainError
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets import services
from jiesu.tickets.models import Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def race(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = job()
        except DomainError as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_handlers_signing_the_same_assignment_exactly_one_succeeds(city):
    colleague = UserFactory(username="h-heat-2", role="handler", unit=city.heating)
    t = services.accept(city.operator, city.ticket_data())
    t = services.dispatch(city.dispatcher, t, lead_unit="heating")
    results = race([lambda u=u: services.sign(u, t.number, version=t.version)
                    for u in (city.heating_handler, colleague)])
    assert sum(isinstance(r, Ticket) for r in results) == 1
    assert sum(isinstance(r, DomainError) and r.status == 409 for r in results) == 1
    assignment = t.assignments.get()
    assert assignment.status == "signed"


def test_tickets_created_at_once_get_distinct_numbers(city):
    results = race([lambda: services.accept(city.operator, city.ticket_data()) for _ in range(8)])
    numbers = [r.number for r in results]
    assert len(set(numbers)) == 8 and all(isinstance(r, Ticket) for r in results)


def test_idempotent_create_under_concurrent_retries_makes_one_ticket(city):
    results = race([lambda: services.accept(city.operator, city.ticket_data(), idempotency_key="retry-1")
                    for _ in range(6)])
    assert len({r.pk for r in results}) == 1
    assert Ticket.objects.count() == 1
