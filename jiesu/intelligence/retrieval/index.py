"""RetrievalIndex: similar past replies and knowledge articles for what the operator has typed.

First stage: BM25 over character bigrams and over words, each scaled by its best score and summed. When the
index holds sentence-encoder vectors of its documents and the query brings its own (``Query.vector``), the
lexical score (÷ its best) and the cosine (min-max over the documents) are summed with ``Params.dense_weight``
on the dense side (see dense.py). Documents that name places, none of them the message's (another district's
case), are damped a little. Second stage (when a re-ranker has been trained on message → reply pairs): the top
candidates are re-ordered by logistic regression over finer similarities (rerank.FEATURES, with the cosine
as one more feature when the query is dense).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import log

import numpy as np
from scipy import sparse

from jiesu.intelligence.retrieval.analysis import PlaceTable, analyze, clean
from jiesu.intelligence.retrieval.bm25 import BM25Field
from jiesu.intelligence.retrieval.dense import fuse, present, with_vectors
from jiesu.intelligence.retrieval.documents import Document, Hit
from jiesu.intelligence.retrieval.rerank import Reranker

FIELDS = ("c1", "c2", "c3", "w")
FIRST_STAGE = ("c2", "w")
SNIPPET_CHARS = 120


@dataclass
class Query:
    title: str
    text: str
    tokens: dict[str, dict[str, float]]  # field → token → weight (title boosted, log term frequency)
    vectors: dict[str, tuple]  # field → (term ids, weights) in that field's vocabulary
    title_vector: tuple  # title bigrams alone
    words: set[str]
    places: frozenset[str]
    vector: np.ndarray | None = None  # the query's encoder vector (same model as the index's), or lexical-only


@dataclass
class Params:
    k1: float = 1.2
    b: float = 1.0
    max_df: float = 0.5
    title_boost: float = 2.0
    candidates: int = 50
    # besides coded places (A市): the city's place names → region keys (the region and its ancestors below the
    # city), see use_places
    place_keys: dict[str, list[str]] = field(default_factory=dict)
    place_penalty: float = 0.15  # first stage: fused score × (1 − this) for documents about other places only
    dense_weight: float = 0.7  # first stage: share of the encoder's cosine in the fused score (plateau 0.6–0.9)
    dense_doc_chars: int = 256  # documents are cut to this many characters (0 = whole; cost grows with length)
    dense_query_chars: int = 128  # queries are cut to this many characters (cost grows with length)


class RetrievalIndex:
    def __init__(self, params: Params | None = None):
        self.params = params or Params()
        self.docs: list[Document] = []
        self.rows: dict[str, int] = {}
        self.active = np.zeros(0, dtype=bool)
        self.lengths = np.zeros(0)
        self.places: list[frozenset[str]] = []
        self._place_table = PlaceTable(self.params.place_keys)
        self._place_source: object = self.params.place_keys
        self._place_matrix: tuple | None = None  # (rows covered, place → column, row × place matrix, named)
        self.fields = {name: self._new_field() for name in FIELDS}
        self.reranker: Reranker | None = None  # on lexical features (queries without a vector)
        self.dense_reranker: Reranker | None = None  # with the cosine (queries with a vector)
        self.vectors: np.ndarray | None = None  # (rows, dim) float32, zeros where a document has none
        self.encoder_id = ""  # the encoder model the vectors come from
        self._vector_mask: np.ndarray | None = None

    def _new_field(self) -> BM25Field:
        return BM25Field(self.params.k1, self.params.b, self.params.max_df)

    def __len__(self) -> int:
        return int(self.active.sum())

    def add(self, docs: Iterable[Document], vectors: np.ndarray | None = None, encoder_id: str = "") -> int:
        """Index documents (with their encoder vectors, from the model ``encoder_id``, when given); a document
        whose id is already indexed replaces the old version."""
        docs = list(docs)
        if not docs:
            return 0
        self.vectors, self.encoder_id = with_vectors(self.vectors, self.encoder_id, len(self.docs), len(docs),
                                                     vectors, encoder_id)
        texts = [clean(f"{doc.title} {doc.text}") for doc in docs]
        for name, bm25_field in self.fields.items():
            bm25_field.add([analyze(text, name) for text in texts])
        start = len(self.docs)
        for offset, doc in enumerate(docs):
            old = self.rows.get(doc.doc_id)
            if old is not None:
                self.active[old] = False
            self.rows[doc.doc_id] = start + offset
        self.docs.extend(docs)
        self.active = np.concatenate([self.active, np.ones(len(docs), dtype=bool)])
        self.lengths = np.concatenate([self.lengths, [log(1 + len(text)) for text in texts]])
        self.places.extend(self.places_of(text) for text in texts)
        return len(docs)

    def places_of(self, cleaned_text: str) -> frozenset[str]:
        return self._place_table.find(cleaned_text)

    def use_places(self, keys: dict[str, list[str]]) -> bool:
        """Reads places with the city's table (name → region keys) from now on, re-reading every document;
        returns whether anything changed."""
        if keys is self._place_source or keys == self.params.place_keys:
            self._place_source = keys
            return False
        self._place_source = keys
        self.params.place_keys = dict(keys)
        self._place_table = PlaceTable(self.params.place_keys)
        self.places = [self.places_of(clean(f"{doc.title} {doc.text}")) for doc in self.docs]
        self._place_matrix = None
        return True

    @property
    def dense(self) -> bool:
        return self.vectors is not None and bool(self.encoder_id)

    def query(self, title: str, text: str, vector: np.ndarray | None = None) -> Query:
        """The analysed query; ``vector`` (its encoder vector) is kept only when it fits the index's vectors."""
        if not self.dense or vector is None or len(vector) != self.vectors.shape[1]:  # type: ignore[union-attr]
            vector = None
        title, text = clean(title), clean(text)
        tokens = {name: _weighted(analyze(title, name), analyze(text, name), self.params.title_boost)
                  for name in FIELDS}
        vectors = {name: self.fields[name].query_vector(tokens[name]) for name in FIELDS}
        title_vector = self.fields["c2"].query_vector(_weighted(analyze(title, "c2"), [], 1.0))
        return Query(title, text, tokens, vectors, title_vector, set(tokens["w"]), self.places_of(f"{title} {text}"),
                     vector)

    def search(self, query_title: str, query_text: str = "", k: int = 10,
               kinds: Iterable[str] | None = None, vector: np.ndarray | None = None) -> list[Hit]:
        if not len(self) or not (query_title or query_text):
            return []
        query = self.query(query_title, query_text, vector)
        candidates, scores = self.rank(query, kinds)
        return [self._hit(row, float(score), query) for row, score in zip(candidates[:k], scores[:k], strict=False)]

    def rank(self, query: Query, kinds: Iterable[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Candidate rows, best first, and their scores (re-ranked when a re-ranker is trained)."""
        candidates, fused = self.first_stage(query, kinds)
        reranker = self.reranker_for(query)
        if reranker is None or not len(candidates):
            return candidates, fused[candidates]
        scores = reranker.score(self.features(query, candidates, fused))
        order = np.argsort(-scores, kind="stable")
        return candidates[order], scores[order]

    def first_stage(self, query: Query, kinds: Iterable[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top candidate rows by fused BM25, and the fused score of every row (-inf if excluded)."""
        bm25 = {name: self.fields[name].scores(query.vectors[name]) for name in FIRST_STAGE}
        fused = sum(bm25[name] / max(float(bm25[name].max()), 1e-9) for name in FIRST_STAGE)
        allowed = self._allowed(kinds)
        if query.vector is not None:
            fused = fuse(fused, self.vectors @ query.vector, allowed, self.params.dense_weight,  # type: ignore[operator,arg-type]
                         self._with_vector())
        if query.places and self.params.place_penalty:
            fused = fused * (1.0 - self.params.place_penalty * self._conflicting(query.places))
        fused = np.where(allowed & (fused > 0), fused, -np.inf)
        top = min(self.params.candidates, int(np.isfinite(fused).sum()))
        if top == 0:
            return np.zeros(0, dtype=np.int64), fused
        candidates = np.argpartition(-fused, top - 1)[:top]
        return candidates[np.argsort(-fused[candidates], kind="stable")], fused

    def _allowed(self, kinds: Iterable[str] | None) -> np.ndarray:
        if kinds is None:
            return self.active
        wanted = set(kinds)
        return self.active & np.fromiter((doc.kind in wanted for doc in self.docs), bool, len(self.docs))

    def features(self, query: Query, candidates: np.ndarray, fused: np.ndarray) -> np.ndarray:
        """One row per candidate, columns as rerank.FEATURES (scores scaled by the best candidate)."""
        scores = {name: self.fields[name].candidate_scores(candidates, query.vectors[name]) for name in FIELDS}
        title = self.fields["c2"].candidate_scores(candidates, query.title_vector)["bm25"]
        columns = [
            fused[candidates],
            np.log1p(np.arange(len(candidates))),
            *(_by_best(scores[name]["bm25"]) for name in FIELDS),
            _by_best(title),
            scores["c2"]["cosine"],
            scores["c3"]["cosine"],
            scores["w"]["cosine"],
            scores["c2"]["coverage"],
            self.lengths[candidates],
            self._place_conflicts(query.places, candidates),
        ]
        if query.vector is not None:
            columns.append(self.vectors[candidates] @ query.vector)  # type: ignore[index]
        return np.column_stack(columns).astype(np.float64)

    def set_vector(self, row: int, vector: np.ndarray) -> None:
        """Give a document its vector once it has been encoded (an article the encode task reached later)."""
        assert self.vectors is not None
        if not self.vectors.flags.writeable:
            self.vectors = np.array(self.vectors)
        self.vectors[row] = vector
        self._vector_mask = None

    def _with_vector(self) -> np.ndarray:
        """Rows that have a vector, recomputed when documents were added."""
        assert self.vectors is not None
        if self._vector_mask is None or len(self._vector_mask) != len(self.vectors):
            self._vector_mask = present(self.vectors)
        return self._vector_mask

    def reranker_for(self, query: Query) -> Reranker | None:
        return self.dense_reranker if query.vector is not None else self.reranker

    def _conflicting(self, wanted: frozenset[str]) -> np.ndarray:
        """Over all documents: 1 where the document names places and none of ``wanted``."""
        if self._place_matrix is None or self._place_matrix[0] != len(self.places):
            vocab: dict[str, int] = {}
            pairs = [(row, vocab.setdefault(p, len(vocab))) for row, names in enumerate(self.places) for p in names]
            rows, cols = zip(*pairs, strict=True) if pairs else ((), ())
            matrix = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.places), max(len(vocab), 1)))
            named = np.diff(matrix.tocsr().indptr) > 0
            self._place_matrix = (len(self.places), vocab, matrix, named)
        _, vocab, matrix, named = self._place_matrix
        ids = [vocab[p] for p in wanted if p in vocab]
        shared = np.asarray(matrix[:, ids].sum(axis=1)).ravel() > 0 if ids else np.zeros(len(named), dtype=bool)
        return (named & ~shared).astype(np.float64)

    def _place_conflicts(self, wanted: frozenset[str], candidates: np.ndarray) -> np.ndarray:
        """1 where both the query and the document name places and none is shared (another district's case)."""
        return np.array([float(bool(wanted) and bool(self.places[row]) and not wanted & self.places[row])
                         for row in candidates])

    def _hit(self, row: int, score: float, query: Query) -> Hit:
        doc = self.docs[row]
        terms = _matched_terms(self.fields["w"], row, query.words)
        return Hit(doc.doc_id, score, doc.kind, doc.title, _snippet(doc.text, terms), terms, doc.metadata)

    def document(self, doc_id: str) -> Document | None:
        row = self.rows.get(doc_id)
        return None if row is None or not self.active[row] else self.docs[row]


def _by_best(values: np.ndarray) -> np.ndarray:
    return values / max(float(values.max()), 1e-9) if len(values) else values


def _weighted(title_tokens: list[str], text_tokens: list[str], boost: float) -> dict[str, float]:
    counts: dict[str, float] = {}
    for token in title_tokens:
        counts[token] = counts.get(token, 0.0) + boost
    for token in text_tokens:
        counts[token] = counts.get(token, 0.0) + 1.0
    return {token: 1.0 + log(count) if count >= 1 else count for token, count in counts.items()}


def _matched_terms(field: BM25Field, row: int, words: set[str], limit: int = 8) -> tuple[str, ...]:
    tf = field.term_frequencies()
    present = set(tf.indices[tf.indptr[row] : tf.indptr[row + 1]].tolist())
    matched = [(field.idf[field.vocab[w]], w) for w in words if len(w) > 1 and field.vocab.get(w) in present]
    return tuple(word for _, word in sorted(matched, reverse=True)[:limit])


def _snippet(text: str, terms: tuple[str, ...]) -> str:
    text = clean(text)
    position = min((p for p in (text.find(term) for term in terms) if p >= 0), default=0)
    start = max(0, position - SNIPPET_CHARS // 4)
    snippet = text[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + snippet + ("…" if start + SNIPPET_CHARS < len(text) else "")
