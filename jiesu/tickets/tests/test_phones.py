"""A requester's phone number: one stored spelling per number, anything else refused with what to type."""

from __future__ import annotations

import pytest

from jiesu.core.errors import ValidationFailed
from jiesu.tickets.models import Ticket
from jiesu.tickets.phones import InvalidPhone, normalise_phone
from jiesu.tickets.services import accept

EXPECTED = "请输入 11 位手机号或带区号的固定电话，如 0434-3281234。"


@pytest.mark.parametrize(("typed", "stored"), [
    ("13912345678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    (" 139 1234 5678 ", "13912345678"),
    ("+86 139 1234 5678", "13912345678"),
    ("0086-13912345678", "13912345678"),
    ("１３９１２３４５６７８", "13912345678"),  # full-width digits
    ("0434-3281234", "04343281234"),
    ("(0434)3281234", "04343281234"),
    ("（０４３４）３２８１２３４", "04343281234"),
    ("04343281234", "04343281234"),
    ("0434—3281234", "04343281234"),
    ("020-88888888", "02088888888"),  # a three-digit area code
    ("02088888888", "02088888888"),
    ("0431 8888 8888", "043188888888"),
    ("3281234", "3281234"),  # a local number without its area code
    ("0434-3281234-123", "04343281234转123"),
    ("0434-3281234转123", "04343281234转123"),
    ("0434 3281234 ext. 5", "04343281234转5"),
    ("+86 434 3281234", "04343281234"),  # international spelling drops the 0 of the area code
    ("", ""),
    ("   ", ""),
])
def test_valid_numbers_are_stored_one_way(typed: str, stored: str):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "12345abc", "1391234567", "139123456789", "139-1234-567", "12345678901", "12345", "110", "95588",
    "4008001234", "13912345678转1", "04343281234123", "0434-123456", "01012345678", "abc", "-",
    "0434-3281234-1转2", "8613912345678",
])
def test_anything_else_is_refused(typed: str):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


@pytest.mark.django_db
def test_accepting_stores_the_normalised_number(city):
    ticket = accept(city.operator, city.ticket_data(requester_phone="139-1234-5678"))
    ticket.refresh_from_db()
    assert ticket.requester_phone == "13912345678"
    ticket = accept(city.operator, city.ticket_data(requester_phone="（0434）328 1234"))
    ticket.refresh_from_db()
    assert ticket.requester_phone == "04343281234"


@pytest.mark.django_db
def test_an_anonymous_call_may_leave_the_number_empty(city):
    ticket = accept(city.operator, city.ticket_data(requester_phone="", is_anonymous=True))
    assert ticket.requester_phone == ""


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["12345abc", "1391234567", "12345"])
def test_a_bad_number_is_a_field_error_that_says_what_to_type_and_nothing_is_saved(city, typed: str):
    with pytest.raises(ValidationFailed) as caught:
        accept(city.operator, city.ticket_data(requester_phone=typed))
    assert caught.value.field_errors == {"requester_phone": [EXPECTED]}
    assert not Ticket.objects.exists()
