"""The similar-reply protocol and the retrieval index's speed, on a file of messages with replies.

    .venv/bin/python benchmarks/retrieval_eval.py --data ../shared/data/teddy2020c/replies_dev.csv [--synthetic 12000]

Prints one JSON object:
- "protocol": `jiesu kb eval`'s figures (every reply indexed, queries = subject + detail of messages whose
  reply has ≥ 100 characters, re-ranker cross-fitted on 2 folds) plus the same with the first stage alone;
  "halves": the figures on each half of the file separately (robustness of the parameters);
- "speed": build time and per-query p50/p95 of `RetrievalIndex.search` (re-ranker trained on all pairs, k=5)
  for the file's index and for a synthetic index of --synthetic documents (the file's replies, each copy
  with its sentences shuffled and its digits changed), plus incremental add and save/load times.
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
import django  # noqa: E402

django.setup()

from jiesu.intelligence.retrieval import Document, RetrievalIndex, fit_reranker, load, save  # noqa: E402
from jiesu.intelligence.retrieval.evaluation import evaluate, load_protocol  # noqa: E402

COLUMNS = ["留言主题", "留言详情"]
ANSWER = "答复意见"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def protocol(path: Path) -> dict:
    result = evaluate(path, COLUMNS, ANSWER, 100, folds=2, progress=say)
    halves = {}
    rows = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as tmp:
        import csv
        import io

        records = list(csv.reader(io.StringIO("".join(rows))))
        header, body = records[0], records[1:]
        for name, part in (("first_half", body[: len(body) // 2]), ("second_half", body[len(body) // 2 :])):
            half = Path(tmp) / f"{name}.csv"
            with half.open("w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerows([header, *part])
            figures = evaluate(half, COLUMNS, ANSWER, 100, folds=2)
            halves[name] = {k: figures[k] for k in ("hit_at_1", "hit_at_5", "mrr", "n")}
            halves[name]["first_stage"] = figures["first_stage"]
    return {"protocol": result, "halves": halves}


def timed_queries(index: RetrievalIndex, queries: list, repeat: int = 1) -> dict:
    times = []
    for _ in range(repeat):
        for example in queries:
            started = time.perf_counter()
            index.search(example.title, example.text, k=5)
            times.append((time.perf_counter() - started) * 1000)
    return {"queries": len(times), "p50_ms": round(float(np.percentile(times, 50)), 2),
            "p95_ms": round(float(np.percentile(times, 95)), 2)}


_DIGITS = re.compile(r"\d")
_SENTENCE = re.compile(r"(?<=[。！？；])")


def synthetic(docs: list[Document], count: int, seed: int = 0) -> list[Document]:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        doc = docs[len(out) % len(docs)]
        sentences = [s for s in _SENTENCE.split(doc.text) if s]
        rng.shuffle(sentences)
        text = _DIGITS.sub(lambda _: str(rng.randrange(10)), "".join(sentences))
        out.append(Document(f"syn{len(out)}", doc.kind, "", text))
    return out


def speed(path: Path, synthetic_count: int) -> dict:
    docs, examples = load_protocol(path, COLUMNS, ANSWER, 100)
    queries = examples[:400]
    result = {}
    for name, corpus in (("file", docs), (f"synthetic_{synthetic_count}", synthetic(docs, synthetic_count))):
        say(f"速度：{name}（{len(corpus)} 条）")
        started = time.perf_counter()
        index = RetrievalIndex()
        index.add(corpus)
        index.fields["c2"].weights()
        build = time.perf_counter() - started
        if name != "file":
            index.add(docs)  # the real replies too, so the training pairs have their answers
        fit_reranker(index, examples)
        index.search("预热", "")
        figures = {"documents": len(index), "build_seconds": round(build, 2), **timed_queries(index, queries)}
        started = time.perf_counter()
        index.add([Document("new-reply", "reply", "", examples[0].text)])
        index.search(examples[0].title, examples[0].text)
        figures["add_one_then_search_ms"] = round((time.perf_counter() - started) * 1000, 1)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            save(index, Path(tmp) / "index")
            figures["save_seconds"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            loaded = load(Path(tmp) / "index")
            loaded.search("预热", "")
            figures["load_seconds"] = round(time.perf_counter() - started, 2)
            figures["size_mb"] = round(sum(f.stat().st_size for f in (Path(tmp) / "index").iterdir()) / 1e6, 1)
        result[name] = figures
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--synthetic", type=int, default=12000, help="documents in the synthetic speed index")
    parser.add_argument("--skip-protocol", action="store_true")
    args = parser.parse_args()
    machine = {"python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
               "cores": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]}
    out = {} if args.skip_protocol else protocol(args.data)
    out["speed"] = speed(args.data, args.synthetic)
    out["machine"] = machine
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
