"""Ticket numbers: city code + date + a daily sequence (SP20251229000123), safe under concurrent creation."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jiesu.tickets.models import TicketCounter


def next_ticket_number(moment: datetime) -> str:
    """Locks the day's counter row until the surrounding transaction ends, so numbers never collide."""
    day = timezone.localtime(moment).date()
    with transaction.atomic():
        counter, _ = TicketCounter.objects.select_for_update().get_or_create(day=day)
        TicketCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        counter.refresh_from_db(fields=["last"])
    return ticket_number(day, counter.last)


def ticket_number(day: date, sequence: int) -> str:
    return f"{settings.CITY_CODE}{day:%Y%m%d}{sequence:06d}"


def example_number(moment: datetime) -> str:
    """The first number of ``moment``'s day, to show how numbers look (SP20261123000001)."""
    return ticket_number(timezone.localtime(moment).date(), 1)


def new_query_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
