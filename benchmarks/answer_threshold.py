"""How the automatic-answer threshold trades answered questions against wrong answers, on real messages.

    .venv/bin/python benchmarks/answer_threshold.py --data ../shared/data/teddy2020c/replies_dev.csv \
        [--question-chars 80] [--seed 7]

The messages of the file whose reply has at least 100 characters are split in two halves (seeded). The
replies of the first half become published FAQ articles (subject as title and question, the reply as the
answer) in a scratch SQLite database holding the demo city and its 22 articles. Then every message asks its
question the way a caller would — the first ``--question-chars`` characters of its detail, not the subject
the article is titled with — through the product's ``suggest_articles``:

- a message of the first half *can* be answered: its own reply is in the base. Answered correctly when the
  top article is its own reply, wrongly when it is another article;
- a message of the second half has no reply in the base: any automatic answer is counted as wrong (an
  upper bound — a similar case's reply may in fact answer it).

For each threshold it prints the share answered automatically, the precision of those answers and the
wrong-answer rates; one JSON object on stdout, progress on stderr. The scratch database is removed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.answer_latency import (  # noqa: E402
    cleanup,
    insert,
    load_city,
    log,
    read_replies,
    setup_django,
    version_fields,
)

THRESHOLDS = [round(0.10 + 0.05 * i, 2) for i in range(15)]


def split(replies: list[dict[str, str]], seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    from jiesu.intelligence.text import normalize

    usable = [r for r in replies if len(normalize(r["答复意见"])) >= 100 and normalize(r.get("留言详情", ""))]
    random.Random(seed).shuffle(usable)
    half = len(usable) // 2
    return usable[:half], usable[half:]


def publish(in_base: list[dict[str, str]]) -> None:
    rows = []
    for n, row in enumerate(in_base):
        subject = " ".join(row["留言主题"].split())
        fields = version_fields(subject, row["答复意见"], [subject], [], f"答复 {n}（基准测试生成）")
        rows.append(("centre", "reply", fields, None))
    insert(rows)


def ask(rows: list[dict[str, str]], chars: int, label: str) -> list[tuple[float, str | None]]:
    """(confidence, the top article's source) for each row's question."""
    from jiesu.intelligence.text import normalize
    from jiesu.knowledge.answering import suggest_articles

    out = []
    for n, row in enumerate(rows, start=1):
        question = normalize(row["留言详情"])[:chars]
        best = next(iter(suggest_articles(question, "", k=1)), None)
        out.append((best.confidence, best.version.source_document) if best else (0.0, None))
        if n % 100 == 0:
            log(f"{label}：已提问 {n}/{len(rows)}")
    return out


def curve(answerable: list[tuple[float, str | None]], own: list[str],
          unanswerable: list[tuple[float, str | None]]) -> list[dict[str, float]]:
    rows = []
    for t in THRESHOLDS:
        answered = [(c, src, mine) for (c, src), mine in zip(answerable, own, strict=True) if c >= t]
        right = sum(src == mine for _, src, mine in answered)
        wrong_elsewhere = sum(c >= t for c, _ in unanswerable)
        rows.append({
            "threshold": t,
            "answered_share": round(len(answered) / len(answerable), 3),
            "precision": round(right / len(answered), 3) if answered else 1.0,
            "right_share": round(right / len(answerable), 3),
            "wrong_share_answerable": round((len(answered) - right) / len(answerable), 3),
            "answered_share_unanswerable": round(wrong_elsewhere / len(unanswerable), 3),
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="replies_dev.csv（留言主题、留言详情、答复意见）")
    parser.add_argument("--question-chars", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.data.is_file():
        parser.error(f"找不到数据文件：{args.data}")
    setup_django("sqlite")
    try:
        in_base, outside = split(read_replies(args.data), args.seed)
        load_city()
        publish(in_base)
        log(f"知识库：演示知识 + 答复 {len(in_base)} 条；可答提问 {len(in_base)}，库外提问 {len(outside)}")
        own = [f"答复 {n}（基准测试生成）" for n in range(len(in_base))]
        answerable = ask(in_base, args.question_chars, "可答")
        unanswerable = ask(outside, args.question_chars, "库外")
        print(json.dumps({"answerable": len(in_base), "unanswerable": len(outside),
                          "question_chars": args.question_chars, "seed": args.seed,
                          "curve": curve(answerable, own, unanswerable)}, ensure_ascii=False, indent=1))
    finally:
        cleanup("sqlite")


if __name__ == "__main__":
    main()
