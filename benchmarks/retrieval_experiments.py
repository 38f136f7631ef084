"""Ablations behind the retrieval design, on the similar-reply protocol (first stage and re-ranker).

    .venv/bin/python benchmarks/retrieval_experiments.py --data ../shared/data/teddy2020c/replies_dev.csv

Prints one JSON line per variant: hit@1, hit@5, MRR over all queries and hit@1 on each half of the queries
(split by row order), so that a change is kept only if it helps on both halves. Every reply is indexed;
queries are subject + detail of messages whose reply has ≥ 100 characters; identical replies count alike.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

from jiesu.intelligence.retrieval.analysis import analyze, clean  # noqa: E402
from jiesu.intelligence.retrieval.bm25 import BM25Field  # noqa: E402
from jiesu.intelligence.retrieval.evaluation import _cross_fitted_ranks, load_protocol  # noqa: E402
from jiesu.intelligence.retrieval.index import RetrievalIndex, _weighted  # noqa: E402
from jiesu.intelligence.retrieval.rerank import FEATURES  # noqa: E402
from jiesu.intelligence.retrieval.training import candidate_features  # noqa: E402


def figures(name: str, ranks: list) -> dict:
    def hit(part, k):
        return round(sum(r is not None and r < k for r in part) / len(part), 4)

    half = len(ranks) // 2
    out = {"variant": name, "hit_at_1": hit(ranks, 1), "hit_at_5": hit(ranks, 5),
           "mrr": round(sum(1 / (r + 1) for r in ranks if r is not None) / len(ranks), 4),
           "hit_at_1_halves": [hit(ranks[:half], 1), hit(ranks[half:], 1)]}
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return out


class Setup:
    def __init__(self, path: Path):
        self.docs, self.examples = load_protocol(path, ["留言主题", "留言详情"], "答复意见", 100)
        self.texts = [clean(doc.text) for doc in self.docs]
        self.relevant = [np.array([doc.doc_id in ex.relevant for doc in self.docs]) for ex in self.examples]
        self.cache: dict = {}

    def tokens(self, analyzer: str):
        if analyzer not in self.cache:
            docs = [analyze(text, analyzer) for text in self.texts]
            queries = [(analyze(clean(ex.title), analyzer), analyze(clean(ex.text), analyzer)) for ex in self.examples]
            self.cache[analyzer] = (docs, queries)
        return self.cache[analyzer]

    def scores(self, analyzer: str, k1=1.2, b=1.0, max_df=0.5, boost=2.0, qtf="log") -> np.ndarray:
        docs, queries = self.tokens(analyzer)
        field = BM25Field(k1, b, max_df)
        field.add(docs)
        rows = []
        for title, text in queries:
            weights = _weighted(title, text, boost)
            if qtf == "raw":
                weights = {t: boost * title.count(t) + text.count(t) for t in weights}
            rows.append(field.scores(field.query_vector(weights)))
        return np.stack(rows)

    def ranks(self, scores: np.ndarray) -> list:
        out = []
        for row, relevant in zip(scores, self.relevant, strict=True):
            order = np.argsort(-row, kind="stable")[:50]
            hits = np.flatnonzero(relevant[order])
            out.append(int(hits[0]) if len(hits) else None)
        return out


def by_best(scores: np.ndarray) -> np.ndarray:
    return scores / np.maximum(scores.max(axis=1, keepdims=True), 1e-9)


def first_stage(setup: Setup) -> None:
    for analyzer in ("c1", "c2", "c3", "w"):
        figures(f"bm25 {analyzer}, subject×2 + detail", setup.ranks(setup.scores(analyzer)))
    figures("bm25 w, detail only, b=0.75", setup.ranks(setup.scores("w", b=0.75, boost=0.0)))
    figures("bm25 c2, subject×1", setup.ranks(setup.scores("c2", boost=1.0)))
    figures("bm25 c2, raw query tf", setup.ranks(setup.scores("c2", qtf="raw")))
    figures("bm25 c2, no boilerplate cut (max_df=1)", setup.ranks(setup.scores("c2", max_df=1.0)))
    for k1, b in ((1.2, 0.75), (1.2, 0.9), (0.8, 1.0), (1.6, 1.0)):
        figures(f"bm25 c2, k1={k1} b={b}", setup.ranks(setup.scores("c2", k1=k1, b=b)))
    fields = {name: by_best(setup.scores(name)) for name in ("c1", "c2", "c3", "w")}
    ranked = {name: np.argsort(np.argsort(-s, axis=1), axis=1) for name, s in fields.items()}
    figures("fusion c2+w (score/best, summed) = product first stage", setup.ranks(fields["c2"] + fields["w"]))
    figures("fusion c2+w, b=0.9", setup.ranks(by_best(setup.scores("c2", b=0.9)) + by_best(setup.scores("w", b=0.9))))
    figures("fusion c2+w, reciprocal rank (k=60)",
            setup.ranks(1 / (60 + ranked["c2"]) + 1 / (60 + ranked["w"])))
    figures("fusion c2+w+c3", setup.ranks(fields["c2"] + fields["w"] + fields["c3"]))
    figures("fusion c1+c2+w", setup.ranks(fields["c1"] + fields["c2"] + fields["w"]))


def reranker(setup: Setup) -> None:
    index = RetrievalIndex()
    index.add(setup.docs)
    features, labels = zip(*(candidate_features(index, ex) for ex in setup.examples), strict=True)
    figures("first stage (product)", [_first(label) for label in labels])
    figures("re-ranker, all features, 2-fold cross-fitted", _cross_fitted_ranks(list(features), list(labels), 2, 0))
    figures("re-ranker, seed 1", _cross_fitted_ranks(list(features), list(labels), 2, 1))
    for j, name in enumerate(FEATURES):
        kept = [f[:, [c for c in range(len(FEATURES)) if c != j]] for f in features]
        figures(f"re-ranker without {name}", _cross_fitted_ranks(kept, list(labels), 2, 0))


def _first(label: np.ndarray):
    hits = np.flatnonzero(label)
    return int(hits[0]) if len(hits) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--only", choices=["first-stage", "reranker"])
    args = parser.parse_args()
    setup = Setup(args.data)
    print(f"{len(setup.docs)} replies, {len(setup.examples)} queries", file=sys.stderr)
    if args.only != "reranker":
        first_stage(setup)
    if args.only != "first-stage":
        reranker(setup)


if __name__ == "__main__":
    main()
