"""Merge candidates (并单): open tickets about the same problem at the same place as a new one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MergeCandidate:
    number: str
    title: str
    state: str  # the state's label (办理中 …)
    created_at: datetime
    region: str  # the region's name, "" when unknown
    score: float
    reason: str


def merge_candidates(user: Any, draft: dict[str, Any], *, limit: int = 5) -> list[MergeCandidate]:
    """Work in progress: the signature index is not built yet."""
    return []
