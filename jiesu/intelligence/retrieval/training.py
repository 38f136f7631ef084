"""Training the re-ranker from past pairs: a message (subject, detail) and the ids of its reply documents."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from jiesu.intelligence.retrieval.index import RetrievalIndex
from jiesu.intelligence.retrieval.rerank import Reranker


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    relevant: frozenset[str]  # doc ids that answer the message (identical texts count alike)
    vector: np.ndarray | None = None  # the message's encoder vector (query side), when dense


def candidate_features(index: RetrievalIndex, example: Example) -> tuple[np.ndarray, np.ndarray]:
    """Features and 0/1 labels of the first-stage candidates of one example."""
    query = index.query(example.title, example.text, example.vector)
    candidates, fused = index.first_stage(query)
    labels = np.array([index.docs[row].doc_id in example.relevant for row in candidates])
    return index.features(query, candidates, fused), labels


def fit_reranker(index: RetrievalIndex, examples: Iterable[Example],
                 progress: Callable[[int], None] | None = None) -> dict:
    """Learn the re-ranker weights; examples whose reply is not among the candidates teach nothing.

    With a dense index and examples that carry vectors, two are learned: one with the cosine (for queries
    that bring a vector) and one without (for queries that do not, e.g. while the encoder is busy)."""
    examples = list(examples)
    dense = index.dense and all(example.vector is not None for example in examples)
    lexical = [replace(example, vector=None) for example in examples]
    index.reranker, result = _fit(index, lexical, progress)
    if dense:
        index.dense_reranker, dense_result = _fit(index, examples, None)
        result["dense_examples"] = dense_result["examples"]
    return result


def _fit(index: RetrievalIndex, examples: list[Example],
         progress: Callable[[int], None] | None) -> tuple[Reranker, dict]:
    matrices, label_lists = [], []
    for number, example in enumerate(examples, 1):
        features, labels = candidate_features(index, example)
        if labels.any():
            matrices.append(features)
            label_lists.append(labels)
        if progress:
            progress(number)
    if not matrices:
        raise ValueError("没有可用于训练的样本（答复不在候选结果中）")
    model = Reranker.fit(matrices, np.concatenate(label_lists))
    return model, {"examples": len(matrices), "rows": int(sum(len(labels) for labels in label_lists))}
