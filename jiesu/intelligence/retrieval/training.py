"""Training the re-ranker from past pairs: a message (subject, detail) and the ids of its reply documents."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from jiesu.intelligence.retrieval.index import RetrievalIndex
from jiesu.intelligence.retrieval.rerank import Reranker


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    relevant: frozenset[str]  # doc ids that answer the message (identical texts count alike)


def candidate_features(index: RetrievalIndex, example: Example) -> tuple[np.ndarray, np.ndarray]:
    """Features and 0/1 labels of the first-stage candidates of one example."""
    query = index.query(example.title, example.text)
    candidates, fused = index.first_stage(query)
    labels = np.array([index.docs[row].doc_id in example.relevant for row in candidates])
    return index.features(query, candidates, fused), labels


def fit_reranker(index: RetrievalIndex, examples: Iterable[Example],
                 progress: Callable[[int], None] | None = None) -> dict:
    """Learn the re-ranker weights; examples whose reply is not among the candidates teach nothing."""
    matrices, label_lists = [], []
    used = 0
    for number, example in enumerate(examples, 1):
        features, labels = candidate_features(index, example)
        if labels.any():
            matrices.append(features)
            label_lists.append(labels)
            used += 1
        if progress:
            progress(number)
    if not matrices:
        raise ValueError("没有可用于训练的样本（答复不在候选结果中）")
    index.reranker = Reranker.fit(matrices, np.concatenate(label_lists))
    return {"examples": used, "rows": int(sum(len(labels) for labels in label_lists))}
