"""Seed the channels and the default time limits of docs (domain.md, "Time limits").

Choices made where domain.md is silent: praise (表扬) gets 5 working days, like a complaint, because the unit
still has to acknowledge it and pass it on; the extension review (延期审批) gets 1 working day, like the
return review. The values are frozen here on purpose: later changes go through the services as new versions.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CHANNELS = [
    # code, name, parent, is_public, sort
    ("phone", "12345热线电话", None, False, 10),
    ("web", "网站", None, False, 20),
    ("wechat", "微信公众号", None, False, 30),
    ("app", "手机App", None, False, 40),
    ("board", "领导留言板", None, True, 50),
    ("email", "电子邮件", None, False, 60),
    ("api", "系统对接（Open311/API）", None, False, 70),
    ("walkin", "现场来访", None, False, 80),
    ("12315", "12315消费者投诉举报热线", "phone", False, 11),
    ("12369", "12369环保热线", "phone", False, 12),
    ("12333", "12333人社服务热线", "phone", False, 13),
    ("12319", "12319城建服务热线", "phone", False, 14),
]

SEED_FROM = date(2000, 1, 1)

LIMITS = [
    # limit_key, clock, kind, urgency, amount, unit
    ("default-dispatch", "dispatch", "", "", 30, "working_minutes"),
    ("default-dispatch-urgent", "dispatch", "", "urgent", 10, "working_minutes"),
    ("default-sign", "sign", "", "", 2, "working_hours"),
    ("default-sign-urgent", "sign", "", "urgent", 30, "working_minutes"),
    ("default-handle-consultation", "handle", "consultation", "", 1, "working_days"),
    ("default-handle-help", "handle", "help", "", 3, "working_days"),
    ("default-handle-complaint", "handle", "complaint", "", 5, "working_days"),
    ("default-handle-report", "handle", "report", "", 10, "working_days"),
    ("default-handle-suggestion", "handle", "suggestion", "", 15, "working_days"),
    ("default-handle-praise", "handle", "praise", "", 5, "working_days"),
    ("default-handle-urgent", "handle", "", "urgent", 24, "natural_hours"),
    ("default-return-review", "return_review", "", "", 1, "working_days"),
    ("default-extension-review", "extension_review", "", "", 1, "working_days"),
    ("default-visit", "visit", "", "", 2, "working_days"),
]


def seed(apps, schema_editor):
    Channel = apps.get_model("catalog", "Channel")
    TimeLimit = apps.get_model("catalog", "TimeLimit")
    for code, name, parent, is_public, sort in CHANNELS:
        Channel.objects.update_or_create(code=code, defaults={
            "name": name, "is_public": is_public, "sort": sort,
            "parent": Channel.objects.get(code=parent) if parent else None,
        })
    for key, clock, kind, urgency, amount, unit in LIMITS:
        if not TimeLimit.objects.filter(limit_key=key).exists():
            TimeLimit.objects.create(
                limit_key=key, version=1, is_current=True, clock=clock, kind=kind, urgency=urgency,
                amount=amount, unit=unit, warning_share=Decimal("0.75"), valid_from=SEED_FROM,
                change_reason="初始默认时限（domain.md）",
            )


def unseed(apps, schema_editor):
    Channel = apps.get_model("catalog", "Channel")
    TimeLimit = apps.get_model("catalog", "TimeLimit")
    TimeLimit.objects.filter(limit_key__in=[row[0] for row in LIMITS]).delete()
    Channel.objects.filter(parent__isnull=False, code__in=[row[0] for row in CHANNELS]).delete()
    Channel.objects.filter(code__in=[row[0] for row in CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
