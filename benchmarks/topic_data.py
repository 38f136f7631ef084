"""Loading the Teddy Cup 2020 C topic files for the benchmarks (never used by the project itself)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from jiesu.intelligence.datasets import load_dataset

TRAIN = "topic_train_segmented.csv"
DEV = "topic_dev_raw.csv"
DEV_TEXT_COLS = "留言主题,留言详情"


def load_teddy(data_dir: Path) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    train = load_dataset(data_dir / TRAIN, "text", "label")
    dev = load_dataset(data_dir / DEV, DEV_TEXT_COLS, "label")
    return train.texts, np.array(train.labels, dtype=object), dev.texts, np.array(dev.labels, dtype=object)


def overlap_with_dev(docs: list[list[str]], dev_docs: list[list[str]], containment: float = 0.8) -> np.ndarray:
    """Training rows that are the segmented copy of a dev message: most of their words occur in it.

    (The published training file contains almost every message of topic_dev_raw.csv.)
    """
    dev_sets = [set(d) for d in dev_docs]
    index: dict[str, list[int]] = {}
    for j, words in enumerate(dev_sets):
        for w in words:
            index.setdefault(w, []).append(j)
    flags = np.zeros(len(docs), dtype=bool)
    for i, doc in enumerate(docs):
        words = set(doc)
        if not words:
            continue
        hits: dict[int, int] = {}
        for w in words:
            postings = index.get(w, ())
            if len(postings) < 50:
                for j in postings:
                    hits[j] = hits.get(j, 0) + 1
        if not hits:
            continue
        best = max(hits, key=hits.__getitem__)
        flags[i] = len(words & dev_sets[best]) / len(words) >= containment
    return flags
