# PostgreSQL: tickets by month of created_at, assignments by month of dispatched_at (jiesu.core.partitions;
# SQLite unchanged). A ticket's number and idempotency key are unique per month: a number holds its day, so equal
# numbers would fall in one month; see docs/dev/decisions/partitioned-tables-and-foreign-keys.md.

from django.db import migrations
from django.utils import timezone

from jiesu.core.partitions import Spec, convert, revert

TICKETS = Spec("tickets_ticket", "created_at", unique_per_partition=(("number",), ("idempotency_key",)))
ASSIGNMENTS = Spec("tickets_assignment", "dispatched_at")


def forward(apps, schema_editor):
    for spec in (TICKETS, ASSIGNMENTS):
        convert(schema_editor, spec, today=timezone.localdate())


def backward(apps, schema_editor):
    revert(schema_editor, ASSIGNMENTS, unique_constraints={})
    revert(schema_editor, TICKETS, unique_constraints={"tickets_ticket_number_key": ("number",),
                                                       "tickets_ticket_idempotency_key_key": ("idempotency_key",)})


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0004_references_not_declared"),
        ("intelligence", "0003_references_not_declared"),  # their references to tickets are dropped first
        ("evaluation", "0002_ticket_references_not_declared"),
        ("core", "0006_partition_events_by_month"),
    ]

    operations = [migrations.RunPython(forward, backward)]
