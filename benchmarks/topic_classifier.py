"""The topic-classification protocol end to end, through the project's own commands.

    .venv/bin/python benchmarks/topic_classifier.py --data-dir ../shared/data/teddy2020c [--out DIR] [-- TRAIN-OPTIONS]

Trains with `jiesu model train --task topic --data topic_train_segmented.csv --text-cols text --label-col label`,
then `jiesu model eval` on topic_dev_raw.csv's raw subject + detail, and prints one JSON object: the
training wall time, the cross-validation figures from meta.json and the dev figures. Note: almost every
message of topic_dev_raw.csv is also in the training file, so the dev figure here is optimistic; the
held-out raw check is in benchmarks/topic_experiments.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JIESU = str(Path(sys.executable).with_name("jiesu"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="model directory (default: a temporary one)")
    parser.add_argument("train_options", nargs="*", help="extra options for jiesu model train (after --)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="jiesu-topic-")) / "model"
    train = [JIESU, "model", "train", "--task", "topic", "--data", str(args.data_dir / "topic_train_segmented.csv"),
             "--text-cols", "text", "--label-col", "label", "--out", str(out), "--no-register",
             *args.train_options]
    t0 = time.perf_counter()
    subprocess.run(train, check=True)
    seconds = time.perf_counter() - t0
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    evaluate = [JIESU, "model", "eval", "--model", str(out), "--data", str(args.data_dir / "topic_dev_raw.csv"),
                "--text-cols", "留言主题,留言详情", "--label-col", "label", "--json"]
    dev = json.loads(subprocess.run(evaluate, check=True, capture_output=True, text=True).stdout)
    cv = meta["metrics"].get("cv") or {}
    print(json.dumps({
        "train_command": " ".join(train[1:]), "train_wall_seconds": round(seconds, 1),
        "cv": {k: cv.get(k) for k in ("folds", "macro_f1", "accuracy", "n", "abstention")},
        "dev_raw": {k: dev[k] for k in ("macro_f1", "accuracy", "n", "abstention")},
        "model_dir": str(out), "version": meta["version"],
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
