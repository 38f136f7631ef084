"""Unit.path now holds zero-padded ids (/0000001/0000012/), so that ordering by path is tree order with
siblings in creation order. Recompute the paths of existing units, parents first."""

from django.db import migrations

PATH_DIGITS = 7


def pad_paths(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    paths = {}
    pending = list(Unit.objects.order_by("id").values_list("id", "parent_id"))
    while pending:
        rest = []
        for pk, parent_id in pending:
            if parent_id is None or parent_id in paths:
                paths[pk] = f"{paths.get(parent_id, '/')}{pk:0{PATH_DIGITS}d}/"
                Unit.objects.filter(pk=pk).update(path=paths[pk])
            else:
                rest.append((pk, parent_id))
        if len(rest) == len(pending):
            raise RuntimeError("unit tree has a cycle")
        pending = rest


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_membership_user_protect'),
    ]

    operations = [
        migrations.RunPython(pad_paths, migrations.RunPython.noop),
    ]
