"""Named places the regions table does not hold (estates, villages, roads), found by their ending."""

from __future__ import annotations

from jiesu.intelligence.place_names import PlaceNameFinder, key_of

CORPUS = [
    "反映A7县春华镇金鼎村水泥路到户的问题", "春华镇金鼎村自来水何时通", "春华镇的公交太少",
    "投诉A市丽发新城小区附近搅拌站噪音", "丽发新城附近搅拌站灰尘大", "在丽发新城二期门口施工扰民",
    "A市58车贷老板跑路了", "我们小区的路灯不亮", "过马路太危险",
]


def test_the_name_starts_where_the_corpus_says():
    finder = PlaceNameFinder().fit(CORPUS)
    assert [p.name for p in finder.find(CORPUS[0])] == ["春华镇", "金鼎村"]
    assert [p.name for p in finder.find(CORPUS[3])] == ["丽发新城"]
    assert [p.name for p in finder.find(CORPUS[5])] == ["丽发新城"]  # the phase 二期 is the same estate


def test_phrases_with_a_place_ending_are_no_places():
    finder = PlaceNameFinder().fit(CORPUS)
    for text in CORPUS[6:]:
        assert finder.find(text) == []


def test_the_regions_table_names_are_left_to_places():
    finder = PlaceNameFinder(cut=["春华镇"]).fit(CORPUS)
    assert [p.name for p in finder.find(CORPUS[1])] == ["金鼎村"]


def test_keys_drop_the_estate_suffix_and_the_phase():
    assert key_of("丽发新城小区") == "丽发新城"
    assert key_of("伊景园滨河苑二期") == "伊景园滨河苑"
    assert key_of("北辰小区") == "北辰小区"  # too short without it
