"""Extra re-ranker features tried one at a time on the similar-reply protocol (latent semantic cosine).

    .venv/bin/python benchmarks/retrieval_semantic.py --data ../shared/data/teddy2020c/replies_dev.csv

Computes the product's candidates and features once, then adds one candidate feature per variant and
cross-fits the re-ranker (2 folds, seed 0 — as `kb eval`). LSA variants:
  replies      — TF-IDF + TruncatedSVD fitted on every indexed reply (what the index knows at build time);
  replies+msgs — fitted on replies and the messages of the training fold (cross-fitted: refit per fold).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

from sklearn.decomposition import TruncatedSVD  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.preprocessing import normalize as l2  # noqa: E402

from jiesu.intelligence.retrieval.analysis import analyze, clean  # noqa: E402
from jiesu.intelligence.retrieval.evaluation import _metrics, _rank_of, load_protocol  # noqa: E402
from jiesu.intelligence.retrieval.index import RetrievalIndex  # noqa: E402
from jiesu.intelligence.retrieval.rerank import Reranker  # noqa: E402


def collect(path: Path):
    docs, examples = load_protocol(path, ["留言主题", "留言详情"], "答复意见", 100)
    index = RetrievalIndex()
    index.add(docs)
    rows, features, labels = [], [], []
    for number, example in enumerate(examples, 1):
        query = index.query(example.title, example.text)
        candidates, fused = index.first_stage(query)
        rows.append(candidates)
        features.append(index.features(query, candidates, fused))
        labels.append(np.array([index.docs[r].doc_id in example.relevant for r in candidates]))
        if number % 300 == 0:
            print(f"  features {number}/{len(examples)}", flush=True)
    return docs, examples, rows, features, labels


def vectorizer(analyzer: str, title_boost: int = 2):
    def tokens(pair):
        title, text = pair
        return analyze(clean(title), analyzer) * title_boost + analyze(clean(text), analyzer)
    return TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=2, max_df=0.5)


def lsa_cosines(docs, examples, rows, fit_queries, analyzer: str, dims: int) -> list[np.ndarray]:
    """Cosine in LSA space of each query vs its candidates; SVD fitted on replies (+ ``fit_queries``)."""
    doc_pairs = [(d.title, d.text) for d in docs]
    query_pairs = [(e.title, e.text) for e in examples]
    tfidf = vectorizer(analyzer).fit(doc_pairs + [query_pairs[i] for i in fit_queries])
    d = tfidf.transform(doc_pairs)
    svd = TruncatedSVD(dims, random_state=0).fit(
        d if not len(fit_queries) else tfidf.transform(doc_pairs + [query_pairs[i] for i in fit_queries]))
    dv = l2(svd.transform(d))
    qv = l2(svd.transform(tfidf.transform(query_pairs)))
    return [dv[cand] @ qv[i] for i, cand in enumerate(rows)]


def cross_fit(features, labels, extra=None, folds=2, seed=0, extra_per_fold=None):
    order = np.random.default_rng(seed).permutation(len(features))
    ranks = [None] * len(features)
    for fold in range(folds):
        test = order[fold::folds]
        col = extra_per_fold(fold, np.setdiff1d(order, test)) if extra_per_fold else extra
        mats = features if col is None else [np.column_stack([f, c]) for f, c in zip(features, col, strict=True)]
        train = [i for i in np.setdiff1d(order, test) if labels[i].any()]
        model = Reranker.fit([mats[i] for i in train], np.concatenate([labels[i] for i in train]))
        for i in test:
            if len(labels[i]):
                ranks[i] = _rank_of(labels[i][np.argsort(-model.score(mats[i]), kind="stable")])
    return ranks


def report(name, ranks):
    m = _metrics(ranks)
    half = len(ranks) // 2
    h1 = [_metrics(part)["hit_at_1"] for part in (ranks[:half], ranks[half:])]
    print(f"{name:45s} hit@1 {m['hit_at_1']:.3f} hit@5 {m['hit_at_5']:.3f} hit@10 {m['hit_at_10']:.3f} "
          f"MRR {m['mrr']:.3f}  halves {h1[0]:.3f}/{h1[1]:.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--dims", type=int, nargs="+", default=[100, 200, 300])
    parser.add_argument("--analyzers", nargs="+", default=["c2", "w"])
    parser.add_argument("--with-messages", action="store_true", help="also fit the SVD on training-fold messages")
    args = parser.parse_args()
    started = time.perf_counter()
    docs, examples, rows, features, labels = collect(args.data)
    print(f"candidates and features: {time.perf_counter() - started:.0f} s", flush=True)
    report("product features (baseline)", cross_fit(features, labels))
    for analyzer in args.analyzers:
        for dims in args.dims:
            started = time.perf_counter()
            cos = lsa_cosines(docs, examples, rows, [], analyzer, dims)
            report(f"+ LSA {analyzer} {dims}d, replies ({time.perf_counter() - started:.0f} s)",
                   cross_fit(features, labels, cos))
            if args.with_messages:
                per_fold = lambda fold, train, a=analyzer, k=dims: lsa_cosines(docs, examples, rows, train, a, k)  # noqa: E731
                report(f"+ LSA {analyzer} {dims}d, replies + train msgs", cross_fit(features, labels,
                                                                                   extra_per_fold=per_fold))


if __name__ == "__main__":
    main()
