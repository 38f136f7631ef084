"""Demo step (last): the outbox of the demo's history in several states.

The demo runs with delivery held (`jiesu.demo.runner`), so no demo phone number ever reaches a real gateway.
Here the held messages get their demo fate, recorded as attempts through the gateway "演示（未真实发送）": most
are sent a few seconds after they were written, one in eleven failed three times (a provider time-out) and waits
for `jiesu outbox retry`, one in thirteen still waits for the morning (quiet hours). Only messages without any
attempt are touched, and each by its id, so running the demo again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from jiesu.notify.models import DeliveryAttempt, OutboxMessage, Status
from jiesu.notify.policy import quiet_until

DEMO_GATEWAY = "演示（未真实发送）"
DEMO_ERRORS = {"sms": "演示：短信网关响应超时（HTTP 504）", "email": "演示：邮件服务器连接超时"}


def _fate(message: OutboxMessage) -> None:
    if message.pk % 11 == 0:
        error = DEMO_ERRORS[message.channel]
        for n in range(3):
            at = message.created_at + timedelta(minutes=2 ** n)
            DeliveryAttempt.objects.create(message=message, started_at=at, finished_at=at, gateway=DEMO_GATEWAY,
                                           error=error)
        OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=3, last_error=error,
                                                           next_attempt_at=None)
        return
    if message.pk % 13 == 5:
        evening = timezone.localtime(message.created_at).replace(hour=22, minute=30)
        later = quiet_until(evening) or message.created_at
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=later)
        return
    at = message.created_at + timedelta(seconds=5)
    DeliveryAttempt.objects.create(message=message, started_at=at, finished_at=at, ok=True, gateway=DEMO_GATEWAY,
                                   provider_id=f"demo-{message.pk}")
    fields: dict[str, Any] = {"status": Status.SENT, "attempts": 1, "sent_at": at, "next_attempt_at": None,
                              "provider_id": f"demo-{message.pk}"}
    if message.has_secret:
        fields.update(body=message.preview, params={})
    OutboxMessage.objects.filter(pk=message.pk).update(**fields)


def load(ctx: Any) -> None:
    untouched = OutboxMessage.objects.filter(status=Status.PENDING, delivery_attempts__isnull=True).order_by("id")
    count = 0
    for message in untouched:
        _fate(message)
        count += 1
    ctx.progress(f"演示历史中的通知 {count} 条（已发送、失败、待发送）")
