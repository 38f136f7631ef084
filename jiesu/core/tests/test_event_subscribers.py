"""Subscribers of the event log run inside the transaction of the event."""

from __future__ import annotations

import pytest
from django.db import transaction

from jiesu.core import events
from jiesu.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen():  # type: ignore[no-untyped-def]
    calls: list[tuple[str, bool]] = []

    def subscriber(event: Event) -> None:
        calls.append((event.action, transaction.get_connection().in_atomic_block))

    events.subscribe(subscriber)
    events.subscribe(subscriber)  # registered once however often
    yield calls
    events.unsubscribe(subscriber)


def test_a_subscriber_is_called_once_per_event_inside_its_transaction(seen):
    with transaction.atomic():
        events.record_event(subject_type="thing", subject_id=1, action="made")
    assert seen == [("made", True)]


def test_a_failing_subscriber_refuses_the_change():
    def refusing(event: Event) -> None:
        raise ValueError("no")

    events.subscribe(refusing)
    try:
        with pytest.raises(ValueError), transaction.atomic():
            events.record_event(subject_type="thing", subject_id=1, action="made")
    finally:
        events.unsubscribe(refusing)
    assert not Event.objects.filter(subject_type="thing").exists()
