"""jiesu import_categories [FILE]: load a category taxonomy (CSV: code,name,parent; parents first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiesu.catalog.taxonomy import TAXONOMY_FILE, import_categories, read_taxonomy
from jiesu.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "导入诉求分类（CSV：code,name,parent，上级在前）。按代码新增或更新，可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(TAXONOMY_FILE),
                            help="CSV 文件路径；默认使用内置的四平示例分类。")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        rows = read_taxonomy(path)
        self.stdout.write(f"读取 {len(rows)} 行 …")
        try:
            counts = import_categories(None, rows)
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}。")
