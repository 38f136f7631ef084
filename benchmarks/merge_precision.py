"""Merge candidates on real messages: propose pairs for labelling, then score precision from the labels.

    # 1. propose: every message of the files becomes a ticket (created at its 留言时间) in a scratch SQLite
    #    database; for a random sample, the product's merge_candidates (30-day window before the message) gives
    #    its best candidate. Writes a CSV to label (column `label`: 1 = the same problem at the same place, a
    #    merge the centre would make; 0 = not; `same_message_in_both_files`: 1 when both are one message
    #    listed in both files, which are trivially right and reported apart).
    .venv/bin/python benchmarks/merge_precision.py propose --data ../shared/data/teddy2020c \
        --sample 120 --out benchmarks/data/merge_sample.csv
    # 2. after labelling by reading: precision overall and per band of similarity
    .venv/bin/python benchmarks/merge_precision.py score --labels benchmarks/data/merge_sample.csv

The messages come from messages_with_votes.csv and messages_unlabelled.csv (7,096 messages, 2010–2020).
Only message numbers, similarities and the labels are written (no message text is copied into the project).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
FILES = ("messages_with_votes.csv", "messages_unlabelled.csv")
TZ = ZoneInfo("Asia/Shanghai")


def setup() -> None:
    var = tempfile.mkdtemp(prefix="jiesu-merge-precision-")
    os.environ["JIESU_VAR_DIR"] = var
    os.environ.pop("JIESU_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def read(data: Path) -> list[dict[str, str]]:
    rows = []
    for name in FILES:
        with (data / name).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append({"id": f"{name[:4]}-{row['留言编号']}", "title": row["留言主题"].strip(),
                             "content": " ".join(row["留言详情"].split()), "time": row["留言时间"].strip()})
    return rows


def parse_time(text: str) -> datetime:
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=TZ)
        except ValueError:
            continue
    raise ValueError(text)


def store(rows: list[dict[str, str]]) -> dict[str, str]:
    """The messages as tickets (state 已受理); returns ticket number → message id."""
    from jiesu.catalog.models import Channel
    from jiesu.intelligence import signature_index
    from jiesu.tickets.models import Ticket

    channel = Channel.objects.get(code="phone")
    tickets = []
    for n, row in enumerate(rows):
        at = parse_time(row["time"])
        tickets.append(Ticket(number=f"M{n:08d}", query_code="00000000", status="received", kind="complaint",
                              channel=channel, title=row["title"][:200], content=row["content"], created_at=at,
                              clock_started_at=at))
    Ticket.objects.bulk_create(tickets, batch_size=1000)
    signature_index.rebuild(progress=lambda done, total: print(f"\r  {done}/{total}", end="", file=sys.stderr))
    print(file=sys.stderr)
    return {t.number: row["id"] for t, row in zip(tickets, rows, strict=True)}


def propose(args: argparse.Namespace) -> None:
    setup()
    from jiesu.core import clock
    from jiesu.intelligence.duplicates import merge_candidates
    from jiesu.org.models import User

    rows = read(Path(args.data))
    ids = store(rows)
    user = User.objects.create_superuser("precision", password=None)
    rng = random.Random(args.seed)
    out, queried = [], 0
    for n in rng.sample(range(len(rows)), len(rows)):
        row, queried = rows[n], queried + 1
        with clock.at(parse_time(row["time"]) + timedelta(seconds=1)):
            found = merge_candidates(user, {"title": row["title"], "content": row["content"],
                                            "exclude_ticket": f"M{n:08d}"}, limit=1)
        if found:
            best = found[0]
            out.append({"query": row["id"], "candidate": ids[best.number], "similarity": best.similarity,
                        "reason": best.reason, "label": ""})
        if len(out) >= args.sample:
            break
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    print(json.dumps({"messages": len(rows), "queried": queried, "with_a_candidate": len(out)}, ensure_ascii=False))


def score(args: argparse.Namespace) -> None:
    with open(args.labels, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["label"] in {"0", "1"}]
    bands = {"≥0.9": lambda s: s >= 0.9, "0.6–0.9": lambda s: 0.6 <= s < 0.9, "<0.6": lambda s: s < 0.6}
    result = {"labelled": len(rows), "precision": round(sum(r["label"] == "1" for r in rows) / len(rows), 3)}
    distinct = [r for r in rows if r.get("same_message_in_both_files") != "1"]
    if distinct:  # the two files share some messages: those pairs are trivially right
        result["precision_without_shared_messages"] = {
            "n": len(distinct), "precision": round(sum(r["label"] == "1" for r in distinct) / len(distinct), 3)}
    for name, test in bands.items():
        chosen = [r for r in rows if test(float(r["similarity"]))]
        result[name] = {"n": len(chosen), "precision": round(sum(r["label"] == "1" for r in chosen)
                                                             / len(chosen), 3) if chosen else None}
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("propose")
    p.add_argument("--data", required=True)
    p.add_argument("--sample", type=int, default=150)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", required=True)
    s = sub.add_parser("score")
    s.add_argument("--labels", required=True)
    args = parser.parse_args()
    (propose if args.action == "propose" else score)(args)


if __name__ == "__main__":
    main()
