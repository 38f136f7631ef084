"""Loading the demo city: the safety check, then every step in DEMO_STEPS inside one transaction."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from types import ModuleType
from typing import TextIO

from django.db import transaction

from jiesu.demo.context import DemoContext
from jiesu.demo.steps import DEMO_STEPS
from jiesu.notify.delivery import held as held_notifications


class DemoRefused(Exception):
    """The database holds real (non-demo) data; the demo must not be mixed into it."""


class BrokenStep(Exception):
    """A listed demo step cannot be imported or has no ``load(ctx)``."""


def non_demo_data() -> dict[str, int]:
    from jiesu.org.models import Unit, User

    counts = {
        "单位": Unit.objects.filter(is_demo=False).count(),
        "用户": User.objects.filter(is_demo=False).count(),
    }
    return {name: n for name, n in counts.items() if n}


def load_step(path: str) -> Callable[[DemoContext], None]:
    try:
        module: ModuleType = importlib.import_module(path)
    except Exception as exc:
        raise BrokenStep(f"演示步骤 {path} 无法导入：{exc!r}") from exc
    load = getattr(module, "load", None)
    if not callable(load):
        raise BrokenStep(f"演示步骤 {path} 没有 load(ctx) 函数。")
    return load


def run_demo(out: TextIO, steps: list[str] | None = None) -> float:
    """Load every step; returns the seconds it took. Raises DemoRefused or BrokenStep."""
    found = non_demo_data()
    if found:
        listed = "、".join(f"{n} 个{name}" for name, n in found.items())
        raise DemoRefused(
            f"数据库中已有非演示数据（{listed}），为保护真实数据，拒绝载入演示城市。"
            "请换一个空数据库（设置 JIESU_VAR_DIR 或 JIESU_DATABASE_URL）后再运行 jiesu demo。"
        )
    paths = list(DEMO_STEPS if steps is None else steps)
    loaders = [(path, load_step(path)) for path in paths]
    ctx = DemoContext(out=out)
    started = time.monotonic()
    # Messages the demo's history causes are kept in the outbox, never handed to a gateway (jiesu.notify.demo
    # gives them their demo states): demo phone numbers must never receive a real SMS.
    with held_notifications(), transaction.atomic():
        for number, (path, load) in enumerate(loaders, start=1):
            out.write(f"[{number}/{len(loaders)}] {path}\n")
            load(ctx)
    return time.monotonic() - started
