"""Demo step: the figures' facts brought up to date after the steps above made their tickets and calls (the
pages refresh small backlogs themselves; a month of demo calls is more than a page does)."""

from __future__ import annotations

from typing import Any

from jiesu.evaluation import facts


def load(ctx: Any) -> None:
    result = facts.refresh()
    changed = "，".join(f"{name} {n} 个" for name, n in result.keys.items())
    ctx.progress(f"指标日汇总已更新：{changed}（{result.facts} 条事实）")
