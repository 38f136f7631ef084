"""Photos of the handling: before/after, where and when taken (EXIF first, else the phone's position)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from jiesu.core.errors import ValidationFailed
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.demo import demo_photo
from jiesu.tickets.photos import device_place
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def test_a_photo_keeps_the_position_and_time_it_was_taken(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    photo = demo_photo("暖气", "after", 43.166102, 124.350561, datetime(2026, 3, 2, 10, 30).astimezone())
    device = device_place("40.0", "116.0")
    saved = add_attachment(city.heating_handler, ticket, photo, phase="after", device=device)
    assert saved.phase == "after" and saved.location_source == "exif"  # the photo's own position wins
    assert abs(saved.latitude - Decimal("43.166102")) < Decimal("0.00001")
    assert abs(saved.longitude - Decimal("124.350561")) < Decimal("0.00001")
    assert saved.taken_at is not None and saved.taken_at.hour == 10


def test_without_exif_the_phones_position_is_kept_and_bad_input_is_refused(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    plain = add_attachment(city.heating_handler, ticket, ContentFile(PNG, name="现场.png"), phase="before",
                           device=device_place("43.1", "124.3"))
    assert plain.location_source == "device" and plain.latitude == Decimal("43.100000")
    assert device_place("91", "10") is None and device_place("abc", "1") is None and device_place("", "") is None
    other = add_attachment(city.heating_handler, ticket, ContentFile(PNG, name="材料.png"),
                           device=device_place("43.1", "124.3"))
    assert other.latitude is None  # not a photo of the handling: no position kept
    with pytest.raises(ValidationFailed):
        add_attachment(city.heating_handler, ticket, ContentFile(PNG, name="x.png"), phase="during")
    assert ticket.attachments.count() == 2
