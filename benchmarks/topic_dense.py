"""The topic classifier with and without the sentence encoder, through the product's training code.

    JIESU_ENCODER_CACHE_DIR=/work/cache/encoder .venv/bin/python benchmarks/topic_dense.py \
        --data-dir ../shared/data/teddy2020c [--dense-weight 1.0] [--dense-chars 128]

Trains `jiesu.intelligence.training.train` (the code behind `jiesu model train`, 3-fold CV) on the training
rows that are not copies of dev messages (benchmarks/topic_data.overlap_with_dev) and predicts the 449 raw dev
messages ("held-out raw"), lexical and dense from the same artefact; prints one JSON object with both CV
figures (from the same folds), both held-out figures and the training time. Vectors come from the cache
(benchmarks/encode_corpus.py --sets topic-train topic-dev), so the time is that of training after the first
encoding pass.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from benchmarks.topic_data import DEV, DEV_TEXT_COLS, TRAIN, overlap_with_dev  # noqa: E402
from jiesu.intelligence.datasets import Dataset, load_dataset  # noqa: E402
from jiesu.intelligence.features import TextFeaturizer  # noqa: E402
from jiesu.intelligence.training import TrainConfig, evaluate, train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--dense-weight", type=float, default=1.0)
    parser.add_argument("--dense-chars", type=int, default=128)
    parser.add_argument("--all-rows", action="store_true", help="train on every row (the plain protocol)")
    args = parser.parse_args()
    full = load_dataset(args.data_dir / TRAIN, "text", "label")
    dev = load_dataset(args.data_dir / DEV, DEV_TEXT_COLS, "label")
    featurizer = TextFeaturizer()
    copies = overlap_with_dev(featurizer.tokenize_all(full.texts), featurizer.tokenize_all(dev.texts))
    keep = np.ones(len(full.texts), dtype=bool) if args.all_rows else ~copies
    counts: dict[str, int] = {}
    labels = [label for label, k in zip(full.labels, keep, strict=True) if k]
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    data = Dataset([t for t, k in zip(full.texts, keep, strict=True) if k], labels,
                   {**full.summary, "rows": len(labels), "label_counts": counts})
    started = time.perf_counter()
    cfg = TrainConfig(dense_weight=args.dense_weight, dense_chars=args.dense_chars)
    model = train(data, "topic", cfg, progress=lambda m: print(m, file=sys.stderr, flush=True))
    seconds = time.perf_counter() - started
    cv = model.meta["metrics"]["cv"]
    lexical, dense = evaluate(model, dev, dense=False), evaluate(model, dev)
    print(json.dumps({
        "train_rows": len(labels), "training_seconds": round(seconds, 1), "encoder": model.encoder_id,
        "dense_weight": args.dense_weight, "dense_chars": args.dense_chars,
        "cv_lexical": {k: cv[k] for k in ("macro_f1", "accuracy")},
        "cv_dense": {k: cv["dense"][k] for k in ("macro_f1", "accuracy")} if "dense" in cv else None,
        "heldout_raw_lexical": {k: lexical[k] for k in ("macro_f1", "accuracy", "n")},
        "heldout_raw_dense": {k: dense[k] for k in ("macro_f1", "accuracy", "n")},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
