"""Dense + lexical retrieval on the similar-reply protocol: the fusion weight and the encoder's windows.

    JIESU_ENCODER_CACHE_DIR=/work/cache/encoder .venv/bin/python benchmarks/retrieval_dense.py \
        --data ../shared/data/teddy2020c/replies_dev.csv --weights 0 0.5 0.65 0.75 0.85 1 --doc-chars 256 \
        --query-chars 128

Runs the product's `kb eval` protocol (2-fold cross-fitted re-ranker) once per setting, with vectors from the
cache (run benchmarks/encode_corpus.py first, or this encodes them), and prints one JSON line per setting
with hit@1/hit@5 of the re-ranked result, of the first stage, and hit@1 on each half of the queries.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

from jiesu.intelligence.retrieval import Params  # noqa: E402
from jiesu.intelligence.retrieval.evaluation import evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--weights", type=float, nargs="+", default=[0.75])
    parser.add_argument("--doc-chars", type=int, nargs="+", default=[256])
    parser.add_argument("--query-chars", type=int, nargs="+", default=[128])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for doc_chars in args.doc_chars:
        for query_chars in args.query_chars:
            for weight in args.weights:
                params = Params(dense_weight=weight, dense_doc_chars=doc_chars, dense_query_chars=query_chars)
                result = evaluate(args.data, ["留言主题", "留言详情"], "答复意见", 100, folds=2, seed=args.seed,
                                  dense=weight > 0, params=params, progress=lambda m: None)
                row = {"weight": weight, "doc_chars": doc_chars, "query_chars": query_chars,
                       "hit_at_1": result["hit_at_1"], "hit_at_5": result["hit_at_5"], "mrr": result["mrr"],
                       "first_stage": result["first_stage"], "halves_hit_at_1": result.get("halves_hit_at_1")}
                print(json.dumps(row, ensure_ascii=False), flush=True)
                print(f"done {weight} {doc_chars} {query_chars}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
