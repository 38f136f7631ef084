"""Seed the response limit (响应: the unit contacts the requester), counted from dispatch, for 响应率.

domain.md names the figure but no default; we follow Beijing's practice as we read it: one working day for an
ordinary request, two hours for an urgent one. A city changes them in the admin (new versions of the limit).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

LIMITS = [
    ("default-response", "", 1, "working_days"),
    ("default-response-urgent", "urgent", 2, "natural_hours"),
]


def seed(apps, schema_editor):
    TimeLimit = apps.get_model("catalog", "TimeLimit")
    for key, urgency, amount, unit in LIMITS:
        if not TimeLimit.objects.filter(limit_key=key).exists():
            TimeLimit.objects.create(
                limit_key=key, version=1, is_current=True, clock="response", kind="", urgency=urgency,
                amount=amount, unit=unit, warning_share=Decimal("0.75"), valid_from=date(2000, 1, 1),
                change_reason="初始默认响应时限（联系诉求人）",
            )


def unseed(apps, schema_editor):
    apps.get_model("catalog", "TimeLimit").objects.filter(limit_key__in=[row[0] for row in LIMITS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_response_clock")]

    operations = [migrations.RunPython(seed, unseed)]
