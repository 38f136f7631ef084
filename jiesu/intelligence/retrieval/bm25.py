"""A BM25 index over one token stream, kept as a sparse document × term matrix (scipy).

Additions append term-frequency rows; the BM25 weight matrix (which depends on every document's length and
on document frequencies) is recomputed lazily on the next search, a vectorised step of a few tens of
milliseconds for ten thousand documents, so adding needs no re-tokenisation of what is already indexed.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse


class BM25Field:
    def __init__(self, k1: float = 1.2, b: float = 0.75, max_df: float = 1.0):
        self.k1, self.b, self.max_df = k1, b, max_df
        self.vocab: dict[str, int] = {}
        self._chunks: list[sparse.csr_matrix] = []
        self._tf: sparse.csr_matrix | None = None
        self._weights: sparse.csc_matrix | None = None
        self._rows: dict[str, np.ndarray] = {}  # data arrays sharing the tf matrix's structure (candidates)
        self.idf = np.zeros(0)

    @property
    def n_docs(self) -> int:
        return sum(chunk.shape[0] for chunk in self._chunks)

    def add(self, token_lists: list[list[str]]) -> None:
        rows, cols, vals = [], [], []
        for row, tokens in enumerate(token_lists):
            for token, count in Counter(tokens).items():
                rows.append(row)
                cols.append(self.vocab.setdefault(token, len(self.vocab)))
                vals.append(count)
        shape = (len(token_lists), max(len(self.vocab), 1))
        self._chunks.append(sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float32))
        self._tf = None
        self._weights = None
        self._rows = {}

    def term_frequencies(self) -> sparse.csr_matrix:
        if self._tf is None:
            width = max(len(self.vocab), 1)
            chunks = [_widen(chunk, width) for chunk in self._chunks]
            self._tf = sparse.vstack(chunks, format="csr") if chunks else sparse.csr_matrix((0, width))
            self._chunks = [self._tf]
        return self._tf

    def weights(self) -> sparse.csc_matrix:
        if self._weights is None:
            self._compute_matrices()
        return self._weights

    def _compute_matrices(self) -> None:
        """BM25 weights, L2-normalised TF-IDF (for cosine) and IDF mass shares (for document coverage)."""
        tf = self.term_frequencies()
        n = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        idf[df > self.max_df * n] = 0.0  # boilerplate: in most answers, carries nothing
        self.idf = idf
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        norm = self.k1 * (1 - self.b + self.b * lengths / max(lengths.mean(), 1e-9)) if n else lengths
        row_of = np.repeat(np.arange(n), np.diff(tf.indptr))
        term_idf = idf[tf.indices]
        bm25 = term_idf * tf.data * (self.k1 + 1) / (tf.data + norm[row_of])
        tfidf = (1 + np.log(np.maximum(tf.data, 1))) * term_idf
        self._rows = {
            "bm25": bm25.astype(np.float32),
            "cosine": (tfidf / _row_norms(tfidf, row_of, n, squared=True)[row_of]).astype(np.float32),
            "coverage": (term_idf / _row_norms(term_idf, row_of, n)[row_of]).astype(np.float32),
        }
        self._weights = _with_data(tf, bm25).tocsc()

    def query_vector(self, weighted_tokens: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        vocab = self.vocab
        pairs = [(vocab[token], weight) for token, weight in weighted_tokens.items() if token in vocab]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ids, values = zip(*pairs, strict=True)
        return np.asarray(ids, dtype=np.int64), np.asarray(values, dtype=np.float32)

    def scores(self, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """BM25 score of every document for a query vector (``query_vector``)."""
        return _product(self.weights(), *vector)

    def candidate_scores(self, rows: np.ndarray, vector: tuple[np.ndarray, np.ndarray]) -> dict[str, np.ndarray]:
        """For a few document rows: BM25, TF-IDF cosine (sub-linear tf on both sides) and coverage (the share
        of the document's IDF mass, over distinct terms, that the query contains)."""
        self.weights()
        ids, values = vector
        tf = self.term_frequencies()
        starts, lengths = tf.indptr[rows], tf.indptr[rows + 1] - tf.indptr[rows]
        positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        owner = np.repeat(np.arange(len(rows)), lengths)
        terms = tf.indices[positions]
        order = np.argsort(ids)
        ids, values = ids[order], values[order]
        slot = np.minimum(np.searchsorted(ids, terms), max(len(ids) - 1, 0))
        matched = ids[slot] == terms if len(ids) else np.zeros(len(terms), dtype=bool)
        positions, owner, slot = positions[matched], owner[matched], slot[matched]
        query = self.idf[ids] * values
        query_weights = {
            "bm25": values,
            "cosine": query / max(float(np.sqrt(query @ query)), 1e-9),
            "coverage": np.ones(len(ids), dtype=np.float32),
        }
        out = {}
        for name, weights in query_weights.items():
            products = self._rows[name][positions] * weights[slot]
            out[name] = np.bincount(owner, weights=products, minlength=len(rows))
        return out

    def state(self) -> dict:
        return {"k1": self.k1, "b": self.b, "max_df": self.max_df}

    @classmethod
    def restore(cls, state: dict, vocab: list[str], tf: sparse.csr_matrix) -> BM25Field:
        field = cls(state["k1"], state["b"], state["max_df"])
        field.vocab = {token: i for i, token in enumerate(vocab)}
        field._chunks = [tf]
        return field


def _product(matrix: sparse.csc_matrix, ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    if not len(ids):
        return np.zeros(matrix.shape[0], dtype=np.float32)
    return np.asarray(matrix[:, ids] @ values.astype(np.float32)).ravel()


def _with_data(matrix: sparse.csr_matrix, data: np.ndarray) -> sparse.csr_matrix:
    out = sparse.csr_matrix((data.astype(np.float32), matrix.indices.copy(), matrix.indptr.copy()), shape=matrix.shape)
    out.eliminate_zeros()  # a copy: the tf matrix keeps its structure, which the data arrays in _rows share
    return out


def _row_norms(data: np.ndarray, row_of: np.ndarray, n: int, squared: bool = False) -> np.ndarray:
    values = data * data if squared else data
    sums = np.bincount(row_of, weights=values, minlength=n)
    return np.maximum(np.sqrt(sums) if squared else sums, 1e-9)


def _widen(matrix: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    if matrix.shape[1] == width:
        return matrix
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))
