"""jiesu demo [--list]: load the demo city 四平市, or list its accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jiesu.demo.runner import BrokenStep, DemoRefused, run_demo


class Command(BaseCommand):
    help = "载入演示城市四平市（区划、单位、账号及各模块的演示数据）；--list 列出演示账号。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--list", action="store_true", help="只列出演示账号，不载入数据")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["list"]:
            self._print_accounts()
            return
        self.stdout.write("载入演示城市 四平市 …")
        try:
            seconds = run_demo(self.stdout)
        except (DemoRefused, BrokenStep) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（用时 {seconds:.1f} 秒）。用 jiesu demo --list 查看账号。"))

    def _print_accounts(self) -> None:
        from jiesu.org.demo import demo_accounts

        rows = [{**row, "password": settings.DEMO_PASSWORD} for row in demo_accounts()]
        if not rows:
            self.stdout.write("还没有演示账号：先运行 jiesu demo。")
            return
        header = {"username": "用户名", "name": "姓名", "unit": "单位", "role": "角色", "scope": "范围", "password": "密码"}
        table = [header, *rows]
        widths = {key: max(_width(row[key]) for row in table) for key in header}
        for row in table:
            self.stdout.write("  ".join(_pad(row[key], widths[key]) for key in header).rstrip())


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
