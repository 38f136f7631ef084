"""The default scoring scheme (docs/dev/figures.md): weights 10/45/45, valid since 2000-01-01, so every month has
a scheme until a city enters its own in the admin."""

from datetime import date

from django.db import migrations

DEFAULT_FROM = date(2000, 1, 1)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    Scheme = apps.get_model("evaluation", "Scheme")
    if not Scheme.objects.exists():
        Scheme.objects.create(name="默认考核办法", valid_from=DEFAULT_FROM)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    Scheme = apps.get_model("evaluation", "Scheme")
    Ranking = apps.get_model("evaluation", "Ranking")
    Scheme.objects.filter(valid_from=DEFAULT_FROM, name="默认考核办法").exclude(
        pk__in=Ranking.objects.values("scheme_id")).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_ranking_entry_previous_rank")]

    operations = [migrations.RunPython(create, remove)]
