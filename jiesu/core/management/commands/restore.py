"""`jiesu restore FILE [--force]`: a backup of `jiesu backup` back into this installation (jiesu.core.restore)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiesu.core.restore import restore_backup


class Command(BaseCommand):
    help = "从备份文件恢复（先校验；目标已有数据时需 --force）。Restore a backup."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="jiesu backup 生成的 .tar 文件")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据（原文件目录改名保留）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        file = Path(options["file"])
        if not file.is_file():
            raise CommandError(f"找不到备份文件 {file}")
        restore_backup(file, self._progress, force=options["force"])

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()
