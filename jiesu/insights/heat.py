"""The heat index of a hot issue (docs/dev/insights.md, "Heat index").

    heat = support × burst × recency
    support = distinct requesters + VOTE_WEIGHT × ln(1 + net votes)
    burst   = 1 + (most distinct requesters within any BURST_DAYS window) / distinct requesters
    recency = 0.5 ** (days from the issue's last message to the end of the period / HALF_LIFE_DAYS)  (1 when off)

Distinct requesters, not messages: one caller ringing ten times is one voice. Votes (likes minus dislikes,
never below zero, per message) are people agreeing without writing: many, cheap, so they count on a log scale
(1,000 likes weigh as 7 requesters). Burst doubles an issue whose requesters all came within a week and leaves a
slow trickle almost as it is: a sudden problem needs an answer first. Recency halves the heat of an issue
every half-life after its last message: what the city is hearing now.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

VOTE_WEIGHT = 1.0
BURST_DAYS = 7
HALF_LIFE_DAYS: float | None = 30.0


@dataclass(frozen=True)
class Voice:
    """One message as the heat sees it."""

    requester: str
    at: datetime
    votes: int = 0  # net: likes − dislikes, not below zero


@dataclass(frozen=True)
class Heat:
    value: float
    requesters: int
    votes: int
    peak: int  # most distinct requesters within one burst window
    burst: float
    recency: float


def heat_of(voices: Sequence[Voice], end: datetime, *, half_life_days: float | None = HALF_LIFE_DAYS) -> Heat:
    first_at: dict[str, datetime] = {}
    for voice in sorted(voices, key=lambda v: v.at):
        first_at.setdefault(voice.requester, voice.at)
    requesters = len(first_at)
    votes = sum(max(0, v.votes) for v in voices)
    support = requesters + VOTE_WEIGHT * math.log1p(votes)
    peak = _peak(sorted(first_at.values()))
    burst = 1.0 + peak / requesters if requesters else 1.0
    recency = 1.0
    if half_life_days:
        age_days = max((end - max(v.at for v in voices)).total_seconds(), 0.0) / 86400
        recency = 0.5 ** (age_days / half_life_days)
    return Heat(round(support * burst * recency, 3), requesters, votes, peak, round(burst, 3), round(recency, 3))


def _peak(times: list[datetime]) -> int:
    """The most times within any window of BURST_DAYS (two pointers over sorted times)."""
    window, best, start = timedelta(days=BURST_DAYS), 0, 0
    for end, at in enumerate(times):
        while at - times[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best
