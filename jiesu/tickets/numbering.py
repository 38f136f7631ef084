"""Ticket numbers: city code + date + a daily sequence (SP20251229000123), safe under concurrent creation."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jiesu.tickets.models import Ticket, TicketCounter

_RENUMBER = f"UPDATE {Ticket._meta.db_table} SET number = %s WHERE id = %s AND created_at = %s"
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


def provisional_number() -> str:
    """A unique placeholder under which a new ticket is inserted before `give_number` replaces it in the same
    transaction (never committed, never seen by anyone else)."""
    return "~" + secrets.token_hex(11)


def give_number(ticket: Ticket) -> None:
    """Gives a ticket inserted with a provisional number its real one, as the last step before the event: the
    day's counter row is then held only for this, the event and the commit."""
    ticket.number = next_ticket_number(ticket.created_at)
    with connection.cursor() as cursor:
        cursor.execute(_RENUMBER, [ticket.number, ticket.pk,
                                   connection.ops.adapt_datetimefield_value(ticket.created_at)])


def ticket_number(day: date, sequence: int) -> str:
    return f"{settings.CITY_CODE}{day:%Y%m%d}{sequence:06d}"


def created_on(number: str) -> dict[str, datetime]:
    """Lookup arguments bounding ``created_at`` to the day a number names (a number is taken on the local day of
    the ticket's ``created_at``), so that PostgreSQL reads one monthly partition; {} for a malformed number."""
    digits = number[len(settings.CITY_CODE):]
    if not number.startswith(settings.CITY_CODE) or len(digits) != 14 or not digits.isdigit():
        return {}
    try:
        day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return {}
    start = timezone.make_aware(datetime.combine(day, time.min))
    return {"created_at__gte": start, "created_at__lt": start + timedelta(days=1)}


def example_number(moment: datetime) -> str:
    """The first number of ``moment``'s day, to show how numbers look (SP20261123000001)."""
    return ticket_number(timezone.localtime(moment).date(), 1)


def new_query_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
