"""jiesu signins prune: deletes the sign-in audit rows older than the retention (the sweep does it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiesu.org import signin


class Command(BaseCommand):
    help = ("登录记录：prune 删除超过保留期（JIESU_SIGNIN_AUDIT_RETENTION_DAYS）的记录，锁定期内的从不删除。"
            "Delete sign-in audit rows older than the retention.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["prune"])

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = signin.prune()
        self.stdout.write(f"已删除 {signin.retention().days} 天前的登录记录 {deleted} 条。")
