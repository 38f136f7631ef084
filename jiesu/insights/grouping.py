"""Grouping the messages of one place: average linkage on cosine similarity, cut at a threshold.

Two messages can end in one group only if a chain of pairs at least ``threshold`` alike joins them (a group's
average similarity is at least the threshold, so some pair in it is). The graph of such pairs is built with
sparse products in chunks and split into connected components; average linkage then runs inside each
component only, which gives exactly the groups of average linkage on the whole block at a fraction of the cost.
Within the pool of messages without a precise place, ``areas`` (the district each names, "" when none) adjust
the similarity: ``SAME_AREA_BONUS`` for two of one district, and two of different districts never group.
A component too large for the dense distance matrix (``MAX_DENSE``) is grouped greedily instead: each message,
in time order, joins the most similar group centroid at least ``threshold`` alike, else starts a group (sparse
centroids, ``Centroids``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.preprocessing import normalize as l2_normalize

CHUNK = 2000
MAX_DENSE = 3000
SAME_AREA_BONUS = 0.1


def similar_pairs(matrix: sp.csr_matrix, threshold: float) -> sp.csr_matrix:
    """The similarities of row pairs at least ``threshold`` alike, as a sparse matrix (rows L2-normalised)."""
    n = matrix.shape[0]
    transposed = matrix.T.tocsc()
    parts = []
    for start in range(0, n, CHUNK):
        product = (matrix[start:start + CHUNK] @ transposed).tocsr()
        product.data[product.data < threshold] = 0.0
        product.eliminate_zeros()
        parts.append(product)
    return sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, 0), dtype=np.float32)


def group(matrix: sp.csr_matrix, threshold: float, areas: Sequence[str] | None = None) -> list[list[int]]:
    """Groups of row indices (every row in exactly one group), rows in their given order (time order)."""
    n = matrix.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    area = np.asarray(areas if areas is not None else [""] * n, dtype=object)
    bonus = SAME_AREA_BONUS if areas is not None and any(areas) else 0.0
    count, labels = connected_components(similar_pairs(matrix, threshold - bonus), directed=False)
    out: list[list[int]] = []
    for component in range(count):
        rows = np.flatnonzero(labels == component)
        if len(rows) == 1:
            out.append([int(rows[0])])
        elif len(rows) <= MAX_DENSE:
            out.extend(_average_linkage(matrix, rows, threshold, area[rows]))
        else:
            out.extend(_greedy(matrix, [int(r) for r in rows], threshold))
    return out


def centroids(matrix: sp.csr_matrix, groups: list[list[int]]) -> sp.csr_matrix:
    """One L2-normalised mean row per group."""
    return l2_normalize(sp.vstack([sp.csr_matrix(matrix[g].sum(axis=0)) for g in groups], format="csr"))


def merge_alike(matrix: sp.csr_matrix, groups: list[list[int]], threshold: float,
                may_merge: Callable[[list[int], list[int]], bool] | None = None) -> list[list[int]]:
    """Groups whose centroids are at least ``threshold`` alike, joined; repeated until none are.

    Average linkage keeps apart two large groups worded differently (噪音扰民 / 灰尘污染, both about one mixing
    plant) because most of their pairs share no word; their centroids — what each group says on the whole —
    still meet. Each round joins disjoint pairs, most alike first. ``may_merge`` may forbid a pair."""
    groups = [list(g) for g in groups]
    while len(groups) > 1:
        alike = sp.triu(similar_pairs(centroids(matrix, groups), threshold), k=1).tocoo()
        taken: set[int] = set()
        joined = 0
        for k in np.argsort(-alike.data):
            i, j = int(alike.row[k]), int(alike.col[k])
            if i in taken or j in taken or (may_merge is not None and not may_merge(groups[i], groups[j])):
                continue
            groups[i] = sorted(groups[i] + groups[j])
            groups[j] = []
            taken.update((i, j))
            joined += 1
        if not joined:
            break
        groups = [g for g in groups if g]
    return groups


def _average_linkage(matrix: sp.csr_matrix, rows: np.ndarray, threshold: float, area: np.ndarray,
                     ) -> list[list[int]]:
    block = matrix[rows]
    similarity = (block @ block.T).toarray()
    known = area != ""
    if known.any():
        same = area[:, None] == area[None, :]
        both = known[:, None] & known[None, :]
        similarity = similarity + SAME_AREA_BONUS * (same & both) - 2.0 * (~same & both)
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in zip(rows, labels, strict=True):
        groups.setdefault(int(label), []).append(int(row))
    return list(groups.values())


class Centroids:
    """Sums of sparse vectors (one per group), scored by cosine against a vector with one sparse product: the
    sums are stacked now and then (``RESTACK``); those changed since are scored one by one. Serves the greedy
    grouping here and ``services.update`` (new tickets joining stored issues)."""

    RESTACK = 512

    def __init__(self, sums: Sequence[sp.csr_matrix] = (), width: int = 0) -> None:
        self.sums = [sp.csr_matrix(v, dtype=np.float32) for v in sums]
        self.width = self.sums[0].shape[1] if self.sums else width
        self.norms = [_norm(v) for v in self.sums]
        self._restack()

    def _restack(self) -> None:
        self.stacked = sp.vstack(self.sums, format="csr") if self.sums else None
        self.dirty: set[int] = set()

    def __len__(self) -> int:
        return len(self.sums)

    def scores(self, vector: sp.csr_matrix) -> np.ndarray:
        out = np.full(len(self.sums), -1.0)
        if self.stacked is not None:
            out[:self.stacked.shape[0]] = (self.stacked @ vector.T).toarray().ravel()
        for i in self.dirty:
            out[i] = float((self.sums[i] @ vector.T).toarray()[0, 0])
        return out / np.maximum(np.asarray(self.norms), 1e-9)

    def add(self, vector: sp.csr_matrix) -> int:
        self.sums.append(sp.csr_matrix(vector, dtype=np.float32))
        self.norms.append(_norm(self.sums[-1]))
        self.dirty.add(len(self.sums) - 1)
        self._maybe_restack()
        return len(self.sums) - 1

    def join(self, i: int, vector: sp.csr_matrix) -> None:
        self.sums[i] = self.sums[i] + vector
        self.norms[i] = _norm(self.sums[i])
        self.dirty.add(i)
        self._maybe_restack()

    def _maybe_restack(self) -> None:
        if len(self.dirty) >= self.RESTACK:
            self._restack()


def _norm(vector: sp.csr_matrix) -> float:
    return float(np.sqrt(vector.multiply(vector).sum()))


def _greedy(matrix: sp.csr_matrix, rows: Sequence[int], threshold: float) -> list[list[int]]:
    groups: list[list[int]] = []
    centroids = Centroids(width=matrix.shape[1])
    for row in rows:
        vector = matrix[row]
        if groups:
            scores = centroids.scores(vector)
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                groups[best].append(int(row))
                centroids.join(best, vector)
                continue
        groups.append([int(row)])
        centroids.add(vector)
    return groups
