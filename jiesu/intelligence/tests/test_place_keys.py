"""The city's regions as retrieval place keys: texts about places on one chain below the city share a key,
texts about different districts share none (place conflict and the first-stage penalty)."""

from __future__ import annotations

from jiesu.intelligence.places import place_keys
from jiesu.intelligence.retrieval import REPLY, Document, RetrievalIndex, load, save
from jiesu.intelligence.retrieval.analysis import PlaceTable
from jiesu.intelligence.retrieval.index import Params
from jiesu.intelligence.tests.regions import siping  # noqa: F401  (fixture)

TIEXI, TIEDONG = "220302", "220303"


def _district_of(keys: dict[str, list[str]], name: str) -> set[str]:
    return {code for code in keys[name] if len(code) == 6}


def test_a_community_stands_for_itself_its_street_and_its_district_but_not_the_city(siping):  # noqa: F811
    keys = place_keys()
    assert _district_of(keys, "阳光新城小区") == {TIEXI}
    assert TIEXI in keys["铁西区"] and TIEDONG not in keys["铁西区"]
    assert "四平市" not in keys  # the city is above every ticket: naming it says nothing about which place
    assert place_keys() is keys  # the same table until the regions change


def test_an_alias_has_the_keys_of_its_region(siping):  # noqa: F811
    keys = place_keys()
    assert keys["伊通县"] == keys["伊通满族自治县"]


def test_texts_on_one_chain_share_a_key_and_other_districts_do_not(siping):  # noqa: F811
    table = PlaceTable(keys=place_keys())
    community, district, other = (table.find(text) for text in
                                  ("阳光新城小区8号楼停暖", "铁西区供热公司已抢修", "铁东区供热公司已抢修"))
    assert community & district
    assert not community & other
    assert table.find("全市供暖期延长") == frozenset()


def _heating_replies() -> list[Document]:
    return [Document("east", REPLY, "", "铁东区供热公司回复：经查小区换热站循环泵故障，已更换水泵，室温恢复。"),
            Document("west", REPLY, "", "铁西区供热公司回复：经查换热站循环泵故障，已维修，室温恢复。"),
            Document("bus", REPLY, "", "公交公司回复：已调整线路发车间隔。")]


def test_a_reply_about_another_district_is_damped_once_the_city_table_is_used(siping):  # noqa: F811
    built = RetrievalIndex(Params(max_df=1.0, place_penalty=0.5))
    built.add(_heating_replies())
    question = ("阳光新城小区暖气不热", "小区换热站循环泵故障，室温太低")
    assert built.search(*question, k=1)[0].doc_id == "east"  # more shared words, no place known
    assert built.use_places(place_keys()) is True
    assert built.search(*question, k=1)[0].doc_id == "west"
    assert built.use_places(place_keys()) is False


def test_the_city_table_is_saved_with_the_index(siping, tmp_path):  # noqa: F811
    built = RetrievalIndex()
    built.add(_heating_replies())
    built.use_places(place_keys())
    loaded = load(save(built, tmp_path / "idx"))
    assert loaded.params.place_keys == built.params.place_keys
    assert loaded.places == built.places
    assert loaded.places[0] and not loaded.places[2]
