"""Grouping by similarity: average linkage inside components, the greedy fallback and the centroid index."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from jiesu.insights import grouping


def _three_topics(per: int = 6, seed: int = 3) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    rows = []
    for topic in range(3):
        for _ in range(per):
            v = np.zeros(30)
            v[topic * 10:(topic + 1) * 10] = rng.uniform(0.5, 1.0, 10)
            rows.append(v)
    return sp.csr_matrix(normalize(np.asarray(rows)), dtype=np.float32)


def _as_sets(groups: list[list[int]]) -> set[frozenset[int]]:
    return {frozenset(g) for g in groups}


def test_three_topics_make_three_groups():
    expected = {frozenset(range(t * 6, (t + 1) * 6)) for t in range(3)}
    assert _as_sets(grouping.group(_three_topics(), 0.5)) == expected


def test_a_component_too_large_for_the_dense_matrix_is_grouped_greedily_alike(monkeypatch):
    monkeypatch.setattr(grouping, "MAX_DENSE", 2)
    monkeypatch.setattr(grouping.Centroids, "RESTACK", 2)  # restacks while it runs
    expected = {frozenset(range(t * 6, (t + 1) * 6)) for t in range(3)}
    matrix = _three_topics()
    merged = sp.csr_matrix(np.vstack([matrix.toarray(), np.full((1, 30), 1 / np.sqrt(30))]), dtype=np.float32)
    groups = grouping.group(merged, 0.5)  # the even row links the three into one component
    assert expected <= _as_sets(groups) | {frozenset(g) - {18} for g in groups}


def test_centroid_scores_are_the_cosine_of_the_sums_after_joins_and_restacks(monkeypatch):
    monkeypatch.setattr(grouping.Centroids, "RESTACK", 3)
    matrix = _three_topics()
    index = grouping.Centroids(width=30)
    sums: list[np.ndarray] = []
    for i in range(matrix.shape[0]):
        if i % 3 == 0:
            index.add(matrix[i])
            sums.append(matrix[i].toarray().ravel())
        else:
            index.join(len(sums) - 1, matrix[i])
            sums[-1] = sums[-1] + matrix[i].toarray().ravel()
    probe = matrix[7]
    dense = np.asarray([s @ probe.toarray().ravel() / np.linalg.norm(s) for s in sums])
    assert np.allclose(index.scores(probe), dense, atol=1e-5)
