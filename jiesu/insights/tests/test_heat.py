"""The heat index: distinct requesters, votes on a log scale, bursts and recency."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from jiesu.insights.heat import BURST_DAYS, VOTE_WEIGHT, Voice, heat_of

END = datetime(2026, 11, 30)


def test_a_requester_counts_once_however_often_they_call():
    ten_calls = [Voice("same", END - timedelta(hours=i)) for i in range(10)]
    assert heat_of(ten_calls, END).requesters == 1
    assert heat_of(ten_calls, END).value == heat_of(ten_calls[:1], END).value


def test_votes_count_on_a_log_scale_and_dislikes_never_below_zero():
    plain = heat_of([Voice("a", END), Voice("b", END)], END, half_life_days=None)
    liked = heat_of([Voice("a", END, votes=99), Voice("b", END, votes=-50)], END, half_life_days=None)
    assert liked.votes == 99
    assert math.isclose(liked.value / liked.burst - plain.value / plain.burst, VOTE_WEIGHT * math.log1p(99),
                        rel_tol=1e-3)


def test_a_burst_weighs_more_than_the_same_people_spread_out():
    burst = [Voice(f"p{i}", END - timedelta(days=i % 3)) for i in range(8)]
    spread = [Voice(f"p{i}", END - timedelta(days=BURST_DAYS * 2 * i)) for i in range(8)]
    assert heat_of(burst, END, half_life_days=None).value > heat_of(spread, END, half_life_days=None).value
    assert heat_of(burst, END).burst == 2.0


def test_recency_halves_the_heat_every_half_life():
    voices = [Voice("a", END - timedelta(days=30)), Voice("b", END - timedelta(days=30))]
    assert heat_of(voices, END, half_life_days=30).recency == 0.5
    assert heat_of(voices, END, half_life_days=None).recency == 1.0
