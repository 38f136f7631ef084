"""Similar-case retrieval on small synthetic replies (no external data)."""

from __future__ import annotations

import pytest

from jiesu.intelligence.retrieval import (
    ARTICLE,
    REPLY,
    Document,
    Example,
    RetrievalIndex,
    fit_reranker,
    load,
    save,
    similar_cases,
)

GREETING = "网友您好！您的留言已收悉。现将有关情况回复如下："
THANKS = "感谢您对我们工作的支持、理解与监督！"

TOPICS = [
    ("平城区幸福路路灯不亮", "幸福路的路灯一个月都不亮，晚上走路很危险。",
     "经平城区城管局核实，幸福路路灯线路老化，已更换电缆，路灯已恢复照明。"),
    ("东湖小区物业乱收停车费", "东湖小区物业每月多收停车费两百元，没有任何依据。",
     "经区住建局调查，东湖小区物业停车收费未备案，已责令其退还多收费用并公示收费标准。"),
    ("城西中学食堂卫生差", "城西中学食堂饭菜有异味，学生多次拉肚子。",
     "区教育局与市场监管局联合检查城西中学食堂，责令停业整顿，更换承包方。"),
    ("滨江工地夜间施工噪音扰民", "滨江工地每天夜里施工到凌晨两点，噪音太大无法睡觉。",
     "生态环境局对滨江工地夜间施工进行查处，未取得夜间施工许可，已依法处罚并停止夜间作业。"),
    ("申请公租房需要什么材料", "想申请公租房，请问需要准备哪些材料，到哪里办理？",
     "申请公租房需提供身份证、户口簿、收入证明和住房情况证明，到户籍所在街道政务服务中心办理。"),
]


def reply(i: int) -> Document:
    title, _, answer = TOPICS[i]
    return Document(f"r{i}", REPLY, "", f"{GREETING}{answer}{THANKS}", {"topic": title})


@pytest.fixture
def index() -> RetrievalIndex:
    built = RetrievalIndex()
    built.add(reply(i) for i in range(len(TOPICS)))
    built.add([Document("short", REPLY, "", "留言已收悉")])
    return built


@pytest.mark.parametrize("i", range(len(TOPICS)))
def test_the_matching_reply_ranks_first(index, i):
    title, text, _ = TOPICS[i]
    hits = index.search(title, text, k=3)
    assert hits[0].doc_id == f"r{i}"
    assert hits[0].kind == REPLY
    assert hits[0].score >= hits[-1].score
    assert hits[0].terms and all(term in hits[0].snippet or term in reply(i).text for term in hits[0].terms)


def test_empty_query_and_empty_index_return_nothing(index):
    assert index.search("", "") == []
    assert RetrievalIndex().search("路灯不亮", "幸福路") == []


def test_incremental_add_is_searchable_and_replaces_same_id(index):
    index.search("路灯", "")  # weights computed before the addition
    index.add([Document("a1", ARTICLE, "垃圾分类投放时间", "居民生活垃圾分类投放时间为每天早七点至九点。")])
    assert index.search("垃圾分类几点投放", "", k=1)[0].doc_id == "a1"
    index.add([Document("a1", ARTICLE, "垃圾分类", "厨余垃圾请投放到绿色垃圾桶。")])
    assert len(index) == len(TOPICS) + 2
    assert index.document("a1").text.startswith("厨余垃圾")
    assert [h.doc_id for h in index.search("厨余垃圾投放", "", k=10)].count("a1") == 1


def test_kinds_filter(index):
    index.add([Document("a1", ARTICLE, "路灯报修", "路灯不亮可拨打城管热线报修，幸福路路灯由城管局维护。")])
    title, text, _ = TOPICS[0]
    assert {h.kind for h in index.search(title, text, kinds=[ARTICLE])} == {ARTICLE}
    assert all(h.kind == REPLY for h in index.search(title, text, kinds=[REPLY]))
    assert index.search(title, text, kinds=["nothing"]) == []


def test_save_and_load_round_trip(index, tmp_path):
    fit_reranker(index, examples())
    index.add([Document("r0", REPLY, "", "幸福路路灯已经修好。")])
    save(index, tmp_path / "idx")
    loaded = load(tmp_path / "idx")
    assert len(loaded) == len(index)
    assert loaded.reranker is not None
    for i, (title, text, _) in enumerate(TOPICS):
        assert [h.doc_id for h in loaded.search(title, text)] == [h.doc_id for h in index.search(title, text)], i
    assert loaded.document("r0").text == "幸福路路灯已经修好。"


def examples() -> list[Example]:
    return [Example(title, text, frozenset({f"r{i}"})) for i, (title, text, _) in enumerate(TOPICS)]


def test_reranker_keeps_the_matching_reply_first(index):
    stats = fit_reranker(index, examples())
    assert stats["examples"] == len(TOPICS)
    for i, (title, text, _) in enumerate(TOPICS):
        assert index.search(title, text, k=1)[0].doc_id == f"r{i}"


def test_similar_cases_without_an_index_is_empty(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert similar_cases("路灯不亮", "幸福路") == []


def test_similar_cases_uses_the_saved_product_index(settings, tmp_path, index):
    settings.VAR_DIR = tmp_path
    save(index, tmp_path / "index" / "retrieval")
    title, text, _ = TOPICS[1]
    assert similar_cases(title, text, k=1)[0].doc_id == "r1"


def test_places_are_coded_units_and_given_names():
    from jiesu.intelligence.retrieval.analysis import PlaceTable

    assert PlaceTable().find("J11市A3区的路灯，西地省") == {"J11市", "A3区"}
    city = PlaceTable({"平城区": ["140213"], "东城区": ["140214"]})
    assert city.find("平城区幸福路路灯") == {"140213"}
    assert city.find("路灯不亮") == frozenset()


def test_place_conflict_marks_replies_about_another_place_only():
    from jiesu.intelligence.retrieval.index import Params
    from jiesu.intelligence.retrieval.rerank import FEATURES

    built = RetrievalIndex(Params(max_df=1.0))  # three documents: keep the shared terms' weight
    built.add([Document("a", REPLY, "", "A3区公租房申请材料：身份证、户口簿。"),
               Document("b", REPLY, "", "J11市公租房申请材料：身份证、户口簿。"),
               Document("c", REPLY, "", "公租房申请材料：身份证、户口簿、收入证明。")])
    query = built.query("A3区公租房申请", "需要什么材料")
    candidates, fused = built.first_stage(query)
    conflict = built.features(query, candidates, fused)[:, FEATURES.index("place_conflict")]
    by_id = {built.docs[row].doc_id: value for row, value in zip(candidates, conflict, strict=True)}
    assert by_id == {"a": 0.0, "b": 1.0, "c": 0.0}


def test_an_index_saved_with_a_retired_parameter_still_loads(tmp_path):
    import json

    built = RetrievalIndex()
    built.add([reply(0)])
    directory = save(built, tmp_path / "idx")
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    meta["params"]["place_names"] = ["平城区"]  # what indexes saved before place_keys carry
    (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    loaded = load(directory)
    assert loaded.params == built.params and len(loaded) == 1


def test_first_stage_prefers_the_reply_about_the_same_place():
    from jiesu.intelligence.retrieval.index import Params

    docs = [Document("other", REPLY, "", "J11市公租房申请材料：身份证、户口簿、收入证明、社保证明。"),
            Document("same", REPLY, "", "A3区公租房申请：身份证。")]
    first = {}
    for penalty in (0.0, 0.9):
        built = RetrievalIndex(Params(max_df=1.0, place_penalty=penalty))
        built.add(docs)
        first[penalty] = built.search("公租房申请材料", "A3区要身份证、户口簿、收入证明、社保证明吗", k=1)[0].doc_id
    assert first == {0.0: "other", 0.9: "same"}
