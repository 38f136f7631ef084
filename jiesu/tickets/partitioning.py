"""The ticket tables' monthly partitions (PostgreSQL): keeping months ahead, and checking the references that
the database does not declare (docs/dev/decisions/partitioned-tables-and-foreign-keys.md)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from jiesu.core import partitions
from jiesu.tickets.models import (
    Adjudication,
    Assignment,
    Attachment,
    Pause,
    Reply,
    SupervisionOrder,
    Ticket,
    Visit,
)

# (model, field): every reference to a ticket or an assignment, none of them a database constraint
UNDECLARED_REFERENCES = [
    (Assignment, "ticket"), (Assignment, "parent"), (Attachment, "ticket"), (Visit, "ticket"),
    (SupervisionOrder, "ticket"), (Adjudication, "ticket"), (Adjudication, "assignment"), (Pause, "assignment"),
    (Reply, "assignment"), (Ticket, "merged_into"),
]


def ensure_months(*, months_ahead: int = partitions.MONTHS_AHEAD) -> list[str]:
    """Creates the coming months' partitions of every partitioned table (nothing on SQLite)."""
    return partitions.ensure(timezone.localdate(), months_ahead=months_ahead)


def orphans(using: Any = None) -> dict[str, int]:
    """Rows whose reference to a ticket or an assignment points nowhere (all zero when the services kept them)."""
    conn = using or connection
    out = {}
    with conn.cursor() as cursor:
        for model, name in UNDECLARED_REFERENCES:
            field = model._meta.get_field(name)
            child, column = model._meta.db_table, field.column  # type: ignore[union-attr]
            parent = field.related_model._meta.db_table  # type: ignore[union-attr]
            cursor.execute(f'SELECT count(*) FROM "{child}" c WHERE c."{column}" IS NOT NULL AND NOT EXISTS '
                           f'(SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")')
            out[f"{child}.{column}"] = cursor.fetchone()[0]
    return out
