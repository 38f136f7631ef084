"""jiesu outbox: list messages, show failures, retry them, and deliver what is due (the safety net)."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiesu.notify import delivery, queries, services
from jiesu.notify.models import OutboxMessage, Status
from jiesu.tickets.models import Ticket


def _line(m: OutboxMessage) -> str:
    at = timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M")
    note = f"  ({m.cancel_reason or m.last_error})" if (m.cancel_reason or m.last_error) else ""
    return (f"#{m.pk:<6} {at}  {m.get_status_display():<4} {m.get_channel_display():<4} {m.recipient_masked:<18} "
            f"{m.template:<22} 尝试 {m.attempts}{note}\n        {m.preview[:90]}")


class Command(BaseCommand):
    help = "通知发件箱：list 列出，failures 失败的，retry 重发，deliver 发送到期的消息（--every N 循环）。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="what", required=True)
        listing = sub.add_parser("list", help="列出消息（最新在前）")
        listing.add_argument("--status", choices=Status.values)
        listing.add_argument("--ticket", help="工单编号")
        listing.add_argument("--limit", type=int, default=30)
        failures = sub.add_parser("failures", help="发送失败的消息及原因")
        failures.add_argument("--limit", type=int, default=30)
        retry = sub.add_parser("retry", help="重发失败的消息")
        retry.add_argument("ids", nargs="*", type=int, help="消息编号；不填且加 --all 时重发全部失败的")
        retry.add_argument("--all", action="store_true")
        deliver = sub.add_parser("deliver", help="发送到期的消息，收回中断的发送")
        deliver.add_argument("--every", type=int, default=0, help="循环间隔秒数（0 表示只运行一次）")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['what']}")(options)

    def _list(self, options: dict[str, Any]) -> None:
        ticket_id = None
        if options["ticket"]:
            ticket = Ticket.objects.filter(number=options["ticket"]).first()
            if ticket is None:
                raise CommandError(f"没有工单 {options['ticket']}")
            ticket_id = ticket.pk
        counts = queries.counts()
        self.stdout.write("  ".join(f"{Status(s).label} {n}" for s, n in counts.items()))
        for m in queries.messages(options["status"], ticket_id, options["limit"]):
            self.stdout.write(_line(m))

    def _failures(self, options: dict[str, Any]) -> None:
        rows = list(queries.failures(options["limit"]))
        self.stdout.write(f"发送失败 {queries.counts()[Status.FAILED]} 条")
        for m in rows:
            self.stdout.write(_line(m))

    def _retry(self, options: dict[str, Any]) -> None:
        if not options["ids"] and not options["all"]:
            raise CommandError("请给出消息编号，或用 --all 重发全部失败的消息。")
        count = services.retry(None, options["ids"] or None)
        self.stdout.write(f"已重新排队 {count} 条")

    def _deliver(self, options: dict[str, Any]) -> None:
        while True:
            result = asdict(delivery.deliver_due())
            self.stdout.write("  ".join(f"{k} {v}" for k, v in result.items()))
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
