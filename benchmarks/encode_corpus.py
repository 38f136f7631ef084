"""Encode the data folder's texts once into the product's vector cache (long: run it before the benchmarks).

    JIESU_ENCODER_CACHE_DIR=/work/cache/encoder .venv/bin/python benchmarks/encode_corpus.py \
        --data-dir ../shared/data/teddy2020c --sets replies-q128 replies-d256 replies-dfull topic-dev topic-train

Each set is encoded exactly as the product prepares it (``jiesu.intelligence.embeddings.embed``), so `kb eval`,
`model train` and the benchmark scripts find every vector in the cache afterwards. Progress and the rate
(texts per second) go to stderr; a set already cached costs nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

from jiesu.intelligence.datasets import load_dataset  # noqa: E402
from jiesu.intelligence.embeddings import embed  # noqa: E402
from jiesu.intelligence.encoder import get_encoder  # noqa: E402
from jiesu.intelligence.features import looks_presegmented  # noqa: E402
from jiesu.intelligence.retrieval.dense import document_text, query_text  # noqa: E402
from jiesu.intelligence.retrieval.evaluation import load_protocol  # noqa: E402
from jiesu.intelligence.topic_features import encoder_texts  # noqa: E402


def retrieval_texts(data_dir: Path, which: str) -> tuple[list[str], bool]:
    docs, examples = load_protocol(data_dir / "replies_dev.csv", ["留言主题", "留言详情"], "答复意见", 100)
    if which == "queries":
        return [query_text(e.title, e.text) for e in examples], True
    return [document_text(d.title, d.text) for d in docs], False


def topic_texts(data_dir: Path, name: str, chars: int) -> list[str]:
    dataset = load_dataset(data_dir / name, "text" if "train" in name else "留言主题,留言详情", "label")
    return encoder_texts(dataset.texts, looks_presegmented(dataset.texts), chars)


def sets(data_dir: Path) -> dict:
    return {
        "replies-q128": lambda: (*retrieval_texts(data_dir, "queries"), 128),
        "replies-q256": lambda: (*retrieval_texts(data_dir, "queries"), 256),
        "replies-d256": lambda: (*retrieval_texts(data_dir, "docs"), 256),
        "replies-d512": lambda: (*retrieval_texts(data_dir, "docs"), 512),
        "replies-dfull": lambda: (*retrieval_texts(data_dir, "docs"), 0),
        "topic-dev": lambda: (topic_texts(data_dir, "topic_dev_raw.csv", 128), True, 0),
        "topic-train": lambda: (topic_texts(data_dir, "topic_train_segmented.csv", 128), True, 0),
        "topic-dev256": lambda: (topic_texts(data_dir, "topic_dev_raw.csv", 256), True, 0),
        "topic-train256": lambda: (topic_texts(data_dir, "topic_train_segmented.csv", 256), True, 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--sets", nargs="+", required=True)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    if get_encoder() is None:
        sys.exit("no encoder on this machine")
    table = sets(args.data_dir)
    for name in args.sets:
        texts, query, chars = table[name]()
        started = time.perf_counter()

        def report(done: int, total: int, name: str = name, started: float = started) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"\r{name}: {done}/{total} ({rate:.2f}/s)", end="", file=sys.stderr, flush=True)

        embed(texts, query=query, max_chars=chars, batch=args.batch, progress=report)
        print(f"\n{name}: {len(texts)} texts, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
