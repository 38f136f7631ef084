# The default moves from auto_now_add to jiesu.core.clock.now: a Python-side change only. The table is not
# touched, because rebuilding it on SQLite would drop the append-only trigger.

import jiesu.core.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_event_append_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="occurred_at",
                    field=models.DateTimeField(db_index=True, default=jiesu.core.clock.now, verbose_name="时间"),
                ),
            ],
            database_operations=[],
        ),
    ]
