"""Seed the channel of the centre's own tasks (主动治理): a proactive task is a ticket no citizen filed."""

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("catalog", "Channel").objects.update_or_create(
        code="task", defaults={"name": "主动治理", "is_public": False, "sort": 90})


def unseed(apps, schema_editor):
    apps.get_model("catalog", "Channel").objects.filter(code="task").delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_seed_response_limits")]

    operations = [migrations.RunPython(seed, unseed)]
