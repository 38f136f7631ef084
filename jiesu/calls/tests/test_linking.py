"""A call is linked to the ticket it created: the caller's number as requester phone, registered between the
answer and 30 minutes after the end of the call; a ticket belongs to one call at most."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jiesu.calls.importing import import_file
from jiesu.calls.models import Call
from jiesu.calls.tests.conftest import FIXED_NOW, row, write_csv
from jiesu.core import clock
from jiesu.tickets import services

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)
S = timedelta(seconds=1)


def _ticket(city, at, phone="13812345678"):  # type: ignore[no-untyped-def]
    with clock.at(FIXED_NOW + at):
        return services.accept(city.operator, city.ticket_data(requester_phone=phone))


def test_calls_link_to_the_tickets_they_created(tmp_path, city):
    during = _ticket(city, 1 * M)  # registered while on the phone
    after = _ticket(city, 60 * M + 25 * M, phone="13900001111")  # 25 minutes after the end of its call
    _ticket(city, 200 * M + 40 * M, phone="13900002222")  # 40 minutes after: too late
    _ticket(city, 300 * M - 1 * M, phone="13900003333")  # before the call was answered
    path = write_csv(tmp_path / "calls.csv", [
        row("L1", offered=FIXED_NOW, wait=5, talk=300),
        row("L2", caller="139-0000-1111", offered=FIXED_NOW + 55 * M, wait=5, talk=290),
        row("L3", caller="13900002222", offered=FIXED_NOW + 195 * M, wait=5, talk=295),
        row("L4", caller="13900003333", offered=FIXED_NOW + 300 * M - 2 * M, wait=90, talk=100),
        row("L5", caller="13812345678", offered=FIXED_NOW, wait=None, abandoned_after=20),  # abandoned: no ticket
        row("L6", caller="13812345678", offered=FIXED_NOW + 30 * S, wait=5, talk=60),  # the ticket is L1's
    ])
    report = import_file(None, path)
    links = dict(Call.objects.values_list("call_id", "ticket_id"))
    assert links == {"L1": during.pk, "L2": after.pk, "L3": None, "L4": None, "L5": None, "L6": None}
    assert report.linked == 2
    assert list(during.calls.values_list("call_id", flat=True)) == ["L1"]

