"""Hot-issue discovery on synthetic histories: grouping, ranking and the heat of repeated callers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jiesu.insights.discovery import Message, Options, discover
from jiesu.insights.tests.histories import END, HEATING, NOISE, WATER, background, burst, issue_of, message

pytestmark = pytest.mark.django_db  # the regions table is asked (empty here: named places only)


def test_a_burst_at_one_estate_ranks_first():
    history = (burst("丽景花园", 12, start=END - timedelta(days=3), days=2, prefix="burst")
               + burst("金桥家园", 12, start=END - timedelta(days=84), days=80, prefix="slow", wording=HEATING)
               + burst("翠湖苑", 4, start=END - timedelta(days=10), days=5, prefix="small", wording=NOISE)
               + background(60))
    issues = discover(history, Options(end=END))
    top = issues[0]
    assert top.place == "丽景花园"
    assert sorted(top.members) == sorted(f"burst{i}" for i in range(12))
    assert top.requesters == 12
    slow = issue_of(issues, "slow0")
    assert slow is not None and slow.rank > 1 and slow.requesters == 12
    assert issue_of(issues, "small0").rank > 1


def test_wording_variations_of_one_problem_group_together():
    history = burst("书香名城", len(WATER), start=END - timedelta(days=5), days=4, prefix="w") + background(40)
    issue = issue_of(discover(history, Options(end=END)), "w0")
    assert issue is not None
    assert sorted(issue.members) == sorted(f"w{i}" for i in range(len(WATER)))
    assert "停水" in issue.terms and issue.description.startswith("书香名城：")


def test_two_similar_problems_at_different_places_stay_apart():
    history = (burst("东湖花园", 6, start=END - timedelta(days=6), days=5, prefix="east")
               + burst("阳明家园", 6, start=END - timedelta(days=6), days=5, prefix="west", seed=2)
               + background(30))
    issues = discover(history, Options(end=END))
    east, west = issue_of(issues, "east0"), issue_of(issues, "west0")
    assert east is not None and west is not None and east is not west
    assert sorted(east.members) == sorted(f"east{i}" for i in range(6))
    assert sorted(west.members) == sorted(f"west{i}" for i in range(6))


def test_one_caller_calling_ten_times_is_one_requester():
    repeated = [message(f"r{i}", WATER[i % len(WATER)], "南山公寓", END - timedelta(days=2, hours=i), "same-caller")
                for i in range(10)]
    neighbour = [message("n1", WATER[1], "南山公寓", END - timedelta(days=1), "neighbour")]
    alone = discover(repeated + background(20), Options(end=END))
    assert issue_of(alone, "r0") is None  # one person is not a hot issue, however often they call
    issues = discover(repeated + neighbour + background(20), Options(end=END))
    issue = issue_of(issues, "r0")
    assert issue is not None and len(issue.members) == 11 and issue.requesters == 2
    three = discover(burst("南山公寓", 3, start=END - timedelta(days=2), days=1) + background(20), Options(end=END))
    assert issue.heat < issue_of(three, "b0").heat  # eleven messages from two people weigh less than three people


def test_messages_without_a_place_group_only_when_very_alike():
    said = ["社保卡补办要多久才能拿到", "社保卡补办需要多长时间能拿到卡", "补办社保卡多久能拿到",
            "医保报销比例是多少", "公积金提取需要什么材料"]
    history = [Message(f"m{i}", t, t, END - timedelta(days=i), f"c{i}") for i, t in enumerate(said)]
    issues = discover(history, Options(end=END))
    assert [sorted(i.members) for i in issues] == [["m0", "m1", "m2"]]
    assert issues[0].place == ""


def test_votes_and_recency_raise_the_heat():
    old = burst("星河湾", 5, start=END - timedelta(days=80), days=3, prefix="old")
    new = burst("和平新村", 5, start=END - timedelta(days=4), days=3, prefix="new", seed=3)
    issues = discover(old + new + background(40), Options(end=END))
    assert issue_of(issues, "new0").rank == 1
    liked = [Message(m.id, m.title, m.detail, m.at, m.requester, likes=500) for m in old]
    issues = discover(liked + new + background(40), Options(end=END, half_life_days=None))
    assert issue_of(issues, "old0").rank == 1


def test_no_messages_no_issues():
    assert discover([]) == []
