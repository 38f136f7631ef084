"""Dense + lexical fusion in the retrieval index: vectors stored with the index, used only with a query vector
of the same model, and a re-ranker for each kind of query."""

from __future__ import annotations

import numpy as np
import pytest

from jiesu.intelligence.encoder import FakeEncoder
from jiesu.intelligence.retrieval import REPLY, Document, Params, RetrievalIndex, load, save
from jiesu.intelligence.retrieval.dense import fuse
from jiesu.intelligence.retrieval.training import Example, fit_reranker

DOCS = [
    Document("a", REPLY, "", "阳光新城小区供热管网阀门堵塞，已疏通，室温恢复正常。"),
    Document("b", REPLY, "", "换热站循环泵故障已更换，用户家中温度达标。"),
    Document("c", REPLY, "", "北二小区门口路灯已更换灯泡，恢复照明。"),
]


def _unit(vector: list[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    return v / np.linalg.norm(v)


VECTORS = np.stack([_unit([1, 0, 0]), _unit([0, 1, 0.1]), _unit([0, 0, 1])])


def _index(weight: float = 0.75) -> RetrievalIndex:
    index = RetrievalIndex(Params(dense_weight=weight))
    index.add(DOCS, VECTORS, "toy-3")
    return index


def test_the_cosine_finds_what_shares_no_word_with_the_query():
    index = _index()
    # "暖气不热" shares no bigram with reply b, but the query vector is b's
    lexical = [hit.doc_id for hit in index.search("暖气不热", "阀门", k=3)]
    dense = [hit.doc_id for hit in index.search("暖气不热", "阀门", k=3, vector=_unit([0, 1, 0]))]
    assert lexical[0] == "a" and "b" not in lexical
    assert dense[0] == "b"


def test_a_query_vector_of_another_size_is_ignored():
    index = _index()
    assert index.query("暖气", "", np.ones(5, dtype=np.float32)).vector is None
    assert index.query("暖气", "", _unit([0, 1, 0])).vector is not None


def test_fusion_scales_both_sides_to_the_same_range():
    allowed = np.array([True, True, True, False])
    fused = fuse(np.array([2.0, 1.0, 0.0, 5.0]), np.array([0.80, 0.90, 0.85, 0.99]), allowed, 0.5)
    assert fused[:3].tolist() == pytest.approx([0.5, 0.75, 0.25])  # (1 − w)·lex ÷ best + w·min-max cosine


def test_documents_added_without_vectors_get_zero_rows_and_keep_the_model():
    index = _index()
    index.add([Document("d", REPLY, "", "燃气表坏了已维修。")])
    assert index.vectors.shape == (4, 3) and not index.vectors[3].any() and index.encoder_id == "toy-3"
    with pytest.raises(ValueError, match="rebuild"):
        index.add([Document("e", REPLY, "", "新答复")], VECTORS[:1], "another-model")


def test_vectors_and_both_rerankers_survive_save_and_load(tmp_path):
    index = _index()
    examples = [Example("阀门堵塞", "已疏通，恢复", frozenset({"a"}), _unit([1, 0, 0])),
                Example("循环泵故障", "已更换", frozenset({"b"}), _unit([0, 1, 0])),
                Example("路灯灯泡", "已更换，恢复照明", frozenset({"c"}), _unit([0, 0, 1]))]
    fit_reranker(index, examples)
    assert index.reranker is not None and index.dense_reranker is not None
    assert len(index.dense_reranker.features) == len(index.reranker.features) + 1
    loaded = load(save(index, tmp_path / "idx"))
    assert loaded.encoder_id == "toy-3" and np.allclose(loaded.vectors, VECTORS)
    assert loaded.dense_reranker is not None and loaded.dense_reranker.features == index.dense_reranker.features
    query = _unit([0, 1, 0])
    assert [h.doc_id for h in loaded.search("温度", "", k=1, vector=query)] == \
        [h.doc_id for h in index.search("温度", "", k=1, vector=query)]


def test_the_product_search_uses_a_vector_only_from_the_same_model(settings, tmp_path):
    from jiesu.intelligence.retrieval import product_index_dir, similar_cases

    settings.VAR_DIR = tmp_path
    save(_index(weight=1.0), product_index_dir())
    query = _unit([0, 1, 0])
    assert similar_cases("暖气不热", "阀门", k=1, vector=query, encoder_id="toy-3")[0].doc_id == "b"
    assert similar_cases("暖气不热", "阀门", k=1, vector=query, encoder_id="other")[0].doc_id == "a"


def test_the_fake_encoder_builds_a_searchable_dense_index():
    fake = FakeEncoder(dim=64)
    index = RetrievalIndex()
    index.add(DOCS, fake.encode([d.text for d in DOCS], query=False), fake.model_id)
    hits = index.search("路灯坏了", "", k=1, vector=fake.encode(["路灯坏了"], query=True)[0])
    assert hits[0].doc_id == "c"
