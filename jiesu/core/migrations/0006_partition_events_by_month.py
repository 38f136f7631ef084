# PostgreSQL: core_event becomes partitioned by month on occurred_at (jiesu.core.partitions; SQLite unchanged).
# Existing events are copied into their months; the append-only triggers move to the partitioned table.

from django.db import migrations
from django.utils import timezone

from jiesu.core.partitions import Spec, convert, revert

EVENTS = Spec("core_event", "occurred_at")


def forward(apps, schema_editor):
    convert(schema_editor, EVENTS, today=timezone.localdate())


def backward(apps, schema_editor):
    revert(schema_editor, EVENTS, unique_constraints={})


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_configstamp"),
        # a foreign key cannot point at a partitioned table: the outbox's reference to events goes first
        ("notify", "0002_event_reference_not_declared"),
    ]

    operations = [migrations.RunPython(forward, backward)]
