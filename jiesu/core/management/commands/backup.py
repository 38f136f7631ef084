"""`jiesu backup --out DIR`: database, uploaded files and models into one checked archive (jiesu.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from jiesu.core.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库、上传文件与模型到一个文件（含校验清单）。Back up the database, uploads and models."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--out", required=True, help="备份文件存放的目录 the folder the backup is written to")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = create_backup(Path(options["out"]), self._progress)
        self.stdout.write(str(path))

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()
