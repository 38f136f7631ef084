"""The similar-reply protocol: index every answer of a file, query with each message, score its own answer.

Every answer (short ones too, as distractors) is indexed; messages whose answer has at least
``min_answer_chars`` characters are queries. Identical answer texts are indistinguishable, so any of them
counts as the message's own. With ``folds`` ≥ 2 the re-ranker is cross-fitted: trained on the other folds'
message → answer pairs and applied to this fold, so no query is scored by a model that saw it.

With an encoder (``dense=True`` and one available), answers and messages are also encoded — through the
vector cache, so a second run costs no encoding — and the search is the product's dense + lexical fusion.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from jiesu.intelligence.retrieval.dense import document_text, query_text
from jiesu.intelligence.retrieval.documents import REPLY, Document
from jiesu.intelligence.retrieval.index import Params, RetrievalIndex
from jiesu.intelligence.retrieval.rerank import Reranker
from jiesu.intelligence.retrieval.tables import read_table
from jiesu.intelligence.retrieval.training import Example, candidate_features
from jiesu.intelligence.text import normalize

Progress = Callable[[str], None]


def load_protocol(path: str | Path, query_cols: list[str], answer_col: str, min_answer_chars: int):
    """Documents (one per row) and the query examples of a file."""
    rows = read_table(path, [*query_cols, answer_col])
    docs = [Document(f"row{i}", REPLY, "", row[answer_col]) for i, row in enumerate(rows)]
    same_text: dict[str, set[str]] = {}
    for doc in docs:
        same_text.setdefault(normalize(doc.text), set()).add(doc.doc_id)
    examples = []
    for row in rows:
        answer = normalize(row[answer_col])
        if len(answer) >= min_answer_chars:
            title, *rest = [row[col] for col in query_cols]
            examples.append(Example(title, " ".join(rest), frozenset(same_text[answer])))
    return docs, examples


def evaluate(path: str | Path, query_cols: list[str], answer_col: str, min_answer_chars: int = 100,
             folds: int = 2, seed: int = 0, progress: Progress | None = None, dense: bool = True,
             params: Params | None = None) -> dict:
    say = progress or (lambda message: None)
    docs, examples = load_protocol(path, query_cols, answer_col, min_answer_chars)
    if not examples:
        raise ValueError(f"没有答复长度达到 {min_answer_chars} 字的留言，无法评估")
    index = RetrievalIndex(params)
    vectors, examples, encoder_id = _vectors(index.params, docs, examples, say) if dense else (None, examples, "")
    started = time.perf_counter()
    index.add(docs, vectors, encoder_id)
    index.fields["c2"].weights()
    build_seconds = time.perf_counter() - started
    say(f"已建立索引：{len(docs)} 条答复，用时 {build_seconds:.1f} 秒")
    features, labels, query_ms = [], [], []
    for number, example in enumerate(examples, 1):
        started = time.perf_counter()
        matrix, label = candidate_features(index, example)
        query_ms.append((time.perf_counter() - started) * 1000)
        features.append(matrix)
        labels.append(label)
        if number % 200 == 0 or number == len(examples):
            say(f"查询 {number}/{len(examples)}")
    first = [_rank_of(label) for label in labels]
    final = _cross_fitted_ranks(features, labels, folds, seed) if folds >= 2 else first
    result = {**_metrics(final), "n": len(examples), "documents": len(docs)}
    half = len(final) // 2
    result["halves_hit_at_1"] = [_metrics(final[:half])["hit_at_1"], _metrics(final[half:])["hit_at_1"]]
    result["first_stage"] = _metrics(first)
    result["encoder"] = encoder_id or None
    if encoder_id:
        result.update(dense_weight=index.params.dense_weight, dense_doc_chars=index.params.dense_doc_chars,
                      dense_query_chars=index.params.dense_query_chars)
    result.update(reranker="cross-fitted" if folds >= 2 else "none", folds=folds if folds >= 2 else 0,
                  build_seconds=round(build_seconds, 2),
                  query_ms_p50=round(float(np.percentile(query_ms, 50)), 2),
                  query_ms_p95=round(float(np.percentile(query_ms, 95)), 2))
    return result


def _vectors(params: Params, docs: list[Document], examples: list[Example], say: Progress):
    """Answer vectors, the examples with their query vectors, and the encoder's id; (None, examples, "")
    without an encoder."""
    from jiesu.intelligence.embeddings import embed
    from jiesu.intelligence.encoder import get_encoder

    encoder = get_encoder()
    if encoder is None:
        say("没有可用的句向量模型：只做词法检索")
        return None, examples, ""

    def report(what: str):  # type: ignore[no-untyped-def]
        return lambda done, total: say(f"编码{what} {done}/{total}") if done == total or done % 160 == 0 else None

    vectors = embed([document_text(d.title, d.text) for d in docs], query=False,
                    max_chars=params.dense_doc_chars, progress=report("答复"))
    queries = embed([query_text(e.title, e.text) for e in examples], query=True,
                    max_chars=params.dense_query_chars, progress=report("留言"))
    assert vectors is not None and queries is not None
    return vectors, [replace(e, vector=q) for e, q in zip(examples, queries, strict=True)], encoder.model_id


def _cross_fitted_ranks(features: list, labels: list, folds: int, seed: int) -> list[int | None]:
    order = np.random.default_rng(seed).permutation(len(features))
    ranks: list[int | None] = [None] * len(features)
    for fold in range(folds):
        test = order[fold::folds]
        train = [i for i in np.setdiff1d(order, test) if labels[i].any()]
        model = Reranker.fit([features[i] for i in train], np.concatenate([labels[i] for i in train]))
        for i in test:
            if len(labels[i]):
                scores = model.score(features[i])
                ranks[i] = _rank_of(labels[i][np.argsort(-scores, kind="stable")])
    return ranks


def _rank_of(labels: np.ndarray) -> int | None:
    positions = np.flatnonzero(labels)
    return int(positions[0]) if len(positions) else None


def _metrics(ranks: list[int | None]) -> dict:
    n = max(len(ranks), 1)
    return {
        "hit_at_1": round(sum(r == 0 for r in ranks) / n, 4),
        "hit_at_5": round(sum(r is not None and r < 5 for r in ranks) / n, 4),
        "hit_at_10": round(sum(r is not None and r < 10 for r in ranks) / n, 4),
        "mrr": round(sum(1 / (r + 1) for r in ranks if r is not None) / n, 4),
    }
