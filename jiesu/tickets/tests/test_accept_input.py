"""Registering a ticket: every field error is reported at once, in Chinese, and nothing is saved."""

from __future__ import annotations

import pytest

from jiesu.core.errors import ValidationFailed
from jiesu.tickets.models import Ticket
from jiesu.tickets.services import accept

pytestmark = pytest.mark.django_db


def test_a_bad_kind_and_urgency_are_reported_together_with_the_missing_fields(city):
    with pytest.raises(ValidationFailed) as caught:
        accept(city.operator, city.ticket_data(kind="", urgency="very", title="", content=""))
    errors = caught.value.field_errors
    assert errors["kind"] == ["请选择诉求类型。"] and errors["urgency"] == ["紧急程度无效。"]
    assert errors["title"] == ["此项不能为空。"] and errors["content"] == ["此项不能为空。"]
    assert not Ticket.objects.exists()


def test_kind_and_urgency_are_stored_as_their_codes(city):
    ticket = accept(city.operator, city.ticket_data(kind="help", urgency="urgent"))
    ticket.refresh_from_db()
    assert (ticket.kind, ticket.urgency) == ("help", "urgent")
