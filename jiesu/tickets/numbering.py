"""Ticket numbers: city code + date + a daily sequence (SP20251229000123), safe under concurrent creation."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jiesu.tickets.models import TicketCounter

_TAKE = (f"INSERT INTO {TicketCounter._meta.db_table} (day, last) VALUES (%s, 1) ON CONFLICT (day) "
         f"DO UPDATE SET last = {TicketCounter._meta.db_table}.last + 1 RETURNING last")


def next_ticket_number(moment: datetime) -> str:
    """Takes the day's next sequence number in one statement (an upsert, PostgreSQL and SQLite alike). The
    day's row stays locked until the surrounding transaction ends, so numbers never collide and a rolled-back
    ticket leaves no gap; call it as late in the transaction as possible, since creations wait for each other
    on that row."""
    if not connection.in_atomic_block:
        raise RuntimeError("next_ticket_number must run inside the transaction that saves the ticket")
    day = timezone.localtime(moment).date()
    with connection.cursor() as cursor:
        cursor.execute(_TAKE, [connection.ops.adapt_datefield_value(day)])
        (last,) = cursor.fetchone()
    return ticket_number(day, last)


def ticket_number(day: date, sequence: int) -> str:
    return f"{settings.CITY_CODE}{day:%Y%m%d}{sequence:06d}"


def example_number(moment: datetime) -> str:
    """The first number of ``moment``'s day, to show how numbers look (SP20261123000001)."""
    return ticket_number(timezone.localtime(moment).date(), 1)


def new_query_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
