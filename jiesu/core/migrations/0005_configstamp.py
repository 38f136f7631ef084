# The configuration token of jiesu.core.process_cache. Its triggers on the watched tables are installed after
# every migrate (post_migrate, so that SQLite table rebuilds cannot lose them) and dropped when this is reversed.

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    from jiesu.core.process_cache import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_event_occurred_at_follows_clock"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConfigStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "配置版本", "verbose_name_plural": "配置版本"},
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
