"""Demo step: the demo city's tickets grouped into hot issues (``services.rebuild``; no data of its own)."""

from __future__ import annotations

from typing import Any

from jiesu.insights import queries, services


def load(ctx: Any) -> None:
    hot = services.rebuild()
    top = list(queries.hot_issues(limit=1))
    example = f"，最热：{top[0].description}（{top[0].requesters} 人）" if top else ""
    ctx.progress(f"热点问题：{hot} 个{example}；jiesu hot list 查看")
