"""A call is linked to the ticket it created: the caller's number as requester phone, registered between the
answer and 30 minutes after the end of the call; a ticket belongs to one call at most."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jiesu.calls.importing import import_file
from jiesu.calls.models import Call
from jiesu.calls.tests.conftest import FIXED_NOW, row, write_csv
from jiesu.core import clock
from jiesu.core.models import Event
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



def test_a_ticket_registered_after_its_call_was_posted_is_linked_by_the_next_import(tmp_path, city):
    first = write_csv(tmp_path / "first.csv", [row("R1", caller="13900004444", offered=FIXED_NOW, wait=5, talk=295)])
    with clock.at(FIXED_NOW + 6 * M):  # posted as the call ended: its ticket is not registered yet
        assert import_file(None, first).linked == 0
    late = _ticket(city, 5 * M + 20 * M, phone="13900004444")  # the write-up, 20 minutes after the call
    with clock.at(FIXED_NOW + 30 * M):
        report = import_file(None, first)  # the feed sends the same record again: no new call
        assert report.imported == 0
    assert Call.objects.get(call_id="R1").ticket_id == late.pk
    assert Event.objects.filter(subject_type="call_import").last().data["relinked"] == 1  # type: ignore[union-attr]
    with clock.at(FIXED_NOW + 31 * M):
        events = Event.objects.count()
        import_file(None, first)
        assert Event.objects.count() == events  # nothing changed this time


def test_calls_whose_window_closed_long_ago_are_not_looked_at_again(tmp_path, city):
    first = write_csv(tmp_path / "first.csv", [row("R2", caller="13900005555", offered=FIXED_NOW, wait=5, talk=55)])
    with clock.at(FIXED_NOW + 2 * M):
        import_file(None, first)
    _ticket(city, 20 * M, phone="13900005555")
    with clock.at(FIXED_NOW + 2 * 60 * M):  # the next import two hours later
        import_file(None, write_csv(tmp_path / "next.csv", [row("R3", caller="13900006666")]))
    assert Call.objects.get(call_id="R2").ticket_id is None
