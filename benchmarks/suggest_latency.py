"""Merge candidates and the full suggestion call at 1 million tickets on PostgreSQL: p50/p95/p99.

    # once: fill a dedicated database (migrate + demo city + N generated tickets + `jiesu index rebuild`)
    .venv/bin/python benchmarks/suggest_latency.py generate \
        --db postgres://postgres@127.0.0.1:5432/jiesu_bench_1m --data ../shared/data/teddy2020c --tickets 1000000
    # then, as often as needed:
    .venv/bin/python benchmarks/suggest_latency.py measure \
        --db postgres://postgres@127.0.0.1:5432/jiesu_bench_1m --data ../shared/data/teddy2020c --queries 1000

Tickets are generated from the real messages of the data folder (subject + detail), with the pseudonymised
places replaced by the demo city's, digits re-drawn, sentences dropped and a few characters edited, spread
over the last 365 days (older tickets mostly closed, recent ones often open), in random demo regions.
They are written with COPY in one process, with progress. ``measure`` builds a similar-case index of the
data's replies in a scratch JIESU_VAR_DIR, then times ``merge_candidates`` and ``suggest_for_draft`` for an
operator with city-wide scope on drafts of three sorts: edited copies of recent stored tickets, fresh
variants of the messages, and short title-only drafts. It prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import string
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ("messages_with_votes.csv", "messages_unlabelled.csv", "replies_dev.csv", "topic_dev_raw.csv")
OPEN = ["received", "dispatching", "assigned", "in_progress", "replied", "visiting"]
DISTRICTS = ["铁西区", "铁东区", "梨树县", "伊通县", "双辽市"]
CHARS = "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"


def setup_django(db: str, var_dir: str | None = None) -> None:
    os.environ["JIESU_DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    if var_dir:
        os.environ["JIESU_VAR_DIR"] = var_dir
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def read_messages(data: Path) -> list[tuple[str, str]]:
    out = []
    for name in FILES:
        with (data / name).open(encoding="utf-8-sig", newline="") as rows:
            for row in csv.DictReader(rows):
                title, detail = clean(row.get("留言主题", "")), clean(row.get("留言详情", ""))
                if title and detail:
                    out.append((title, detail))
    return out


def clean(text: str) -> str:
    import unicodedata

    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def localise(text: str, rng: random.Random) -> str:
    text = re.sub(r"A\d+(区|县)", lambda _: rng.choice(DISTRICTS), text)
    text = text.replace("A市", "四平市").replace("西地省", "吉林省")
    return re.sub(r"\d", lambda _: rng.choice(string.digits), text)


def vary(title: str, detail: str, rng: random.Random, edits: int) -> tuple[str, str]:
    sentences = [s for s in re.split(r"(?<=[。！？!?])", detail) if s]
    if len(sentences) > 2 and rng.random() < 0.5:
        del sentences[rng.randrange(len(sentences))]
    detail = "".join(sentences)[:600]
    return localise(title, rng)[:200], edit(localise(detail, rng), rng, edits)


def edit(text: str, rng: random.Random, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(max(1, len(chars)))
        op = rng.choice("idr")
        if op == "i":
            chars.insert(at, rng.choice(CHARS))
        elif op == "d" and len(chars) > 1:
            del chars[at]
        elif chars:
            chars[at] = rng.choice(CHARS)
    return "".join(chars)


# ---- generate --------------------------------------------------------------------------------------------------

def generate(args: argparse.Namespace) -> None:
    env = {**os.environ, "JIESU_DATABASE_URL": args.db}
    jiesu = str(ROOT / ".venv" / "bin" / "jiesu")
    subprocess.run([jiesu, "migrate", "-v0"], check=True, env=env)
    subprocess.run([jiesu, "demo"], check=True, env=env)
    setup_django(args.db)
    messages = read_messages(Path(args.data))
    print(f"{len(messages)} messages read", file=sys.stderr, flush=True)
    started = time.monotonic()
    copy_tickets(messages, args.tickets, random.Random(args.seed))
    print(f"\n{args.tickets} tickets written in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    started = time.monotonic()
    subprocess.run([jiesu, "index", "rebuild", "--batch", "10000"], check=True, env=env)
    print(f"index rebuilt in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def copy_tickets(messages: list[tuple[str, str]], count: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from jiesu.catalog.models import Channel
    from jiesu.org.models import Region

    regions = list(Region.objects.filter(level__gte=3).values_list("pk", flat=True))
    channel = Channel.objects.get(code="phone").pk
    now = datetime.now(UTC)
    columns = ("number", "query_code", "status", "version", "requester_name", "requester_phone", "is_anonymous",
               "is_whistleblower", "kind", "address", "urgency", "title", "content", "closing_type", "answer_text",
               "reject_reason", "reject_route", "reopen_count", "created_at", "updated_at", "clock_started_at",
               "closed_at", "channel_id", "region_id")
    phones = [f"13{rng.randrange(10**9):09d}" for _ in range(count // 3)]
    sql = f"COPY tickets_ticket ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for n in range(count):
            copy.write_row(ticket_row(n, messages, rng, now, regions, channel, phones))
            if n % 20000 == 0:
                print(f"\r  {n}/{count} tickets", end="", file=sys.stderr, flush=True)


def ticket_row(n, messages, rng, now, regions, channel, phones):  # type: ignore[no-untyped-def]
    title, detail = vary(*rng.choice(messages), rng, rng.randint(0, 6))
    created = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
    age_days = (now - created).days
    closed_share = 0.97 if age_days > 15 else 0.4
    status = "closed" if rng.random() < closed_share else rng.choice(OPEN)
    closed_at = created + timedelta(days=rng.uniform(0.5, 10)) if status == "closed" else None
    return (f"BM{n:010d}", f"{rng.randrange(10**8):08d}", status, 1, "", rng.choice(phones), False, False,
            rng.choice(["complaint", "help", "consultation", "report", "suggestion"]), "", "normal", title,
            detail, "handled" if closed_at else "", "", "", "", 0, created, created, created, closed_at, channel,
            rng.choice(regions))


# ---- measure ---------------------------------------------------------------------------------------------------

def measure(args: argparse.Namespace) -> None:
    setup_django(args.db, tempfile.mkdtemp(prefix="jiesu-bench-var-"))
    from jiesu.core.permissions import Role
    from jiesu.intelligence.duplicates import merge_candidates
    from jiesu.intelligence.suggest import suggest_for_draft

    rng = random.Random(args.seed + 1)
    messages = read_messages(Path(args.data))
    build_case_index(Path(args.data))
    user = bench_operator(Role.OPERATOR)
    drafts = make_drafts(messages, rng, args.queries)
    for draft in drafts[:30]:  # warm-up: caches, connection, jieba dictionary
        suggest_for_draft(user, draft)
    merge_ms, suggest_ms, found = [], [], 0
    for index, draft in enumerate(drafts, 1):
        started = time.perf_counter()
        candidates = merge_candidates(user, draft)
        merge_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        suggest_for_draft(user, draft)
        suggest_ms.append((time.perf_counter() - started) * 1000)
        if draft.get("_source") and any(c.number == draft["_source"] for c in candidates):
            found += 1
        if index % 100 == 0:
            print(f"\r  {index}/{len(drafts)} drafts", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    copies = sum(1 for d in drafts if d.get("_source"))
    print(json.dumps({"tickets": ticket_count(), "queries": len(drafts), "merge_candidates_ms": summary(merge_ms),
                      "suggest_for_draft_ms": summary(suggest_ms),
                      "edited_copies_of_open_tickets": copies, "edited_copies_found": found}, ensure_ascii=False))


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": round(pick(0.5), 2), "p95": round(pick(0.95), 2), "p99": round(pick(0.99), 2),
            "mean": round(statistics.fmean(values), 2), "max": round(ordered[-1], 2)}


def ticket_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'tickets_ticket'")
        return int(cursor.fetchone()[0])


def bench_operator(role: str):  # type: ignore[no-untyped-def]
    from jiesu.org.models import Membership, Unit, User

    user, _ = User.objects.get_or_create(username="bench-operator", defaults={"display_name": "压测话务员"})
    centre = Unit.objects.filter(kind=Unit.Kind.CENTRE).first()
    Membership.objects.get_or_create(user=user, unit=centre, role=role, defaults={"scope": "city"})
    return User.objects.get(pk=user.pk)


def build_case_index(data: Path) -> None:
    from jiesu.intelligence.retrieval import Document, RetrievalIndex, product_index_dir, save

    docs = []
    with (data / "replies_dev.csv").open(encoding="utf-8-sig", newline="") as rows:
        for row in csv.DictReader(rows):
            docs.append(Document(f"r{row['留言编号']}", "reply", clean(row["留言主题"]), clean(row["答复意见"])))
    index = RetrievalIndex()
    index.add(docs)
    save(index, product_index_dir())


def make_drafts(messages, rng, count):  # type: ignore[no-untyped-def]
    from jiesu.tickets.models import Ticket

    since = datetime.now(UTC) - timedelta(days=30)
    recent = list(Ticket.objects.filter(created_at__gte=since, status__in=OPEN)
                  .values_list("number", "title", "content", "requester_phone")[:20000])
    drafts = []
    for n in range(count):
        kind = n % 5
        if kind < 2 and recent:
            number, title, content, phone = rng.choice(recent)
            drafts.append({"title": edit(title, rng, 1), "content": edit(content, rng, 2),
                           "requester_phone": phone, "_source": number})
        elif kind < 4:
            title, detail = vary(*rng.choice(messages), rng, 3)
            drafts.append({"title": title, "content": detail, "address": rng.choice(DISTRICTS) + "阳光新城小区"})
        else:
            drafts.append({"title": vary(*rng.choice(messages), rng, 0)[0]})
    return drafts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["generate", "measure"])
    parser.add_argument("--db", required=True, help="PostgreSQL URL of a database used only by this benchmark")
    parser.add_argument("--data", required=True, help="folder with the teddy2020c CSV files")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    if not args.db.startswith("postgres"):
        parser.error("--db must be a PostgreSQL URL")
    (generate if args.action == "generate" else measure)(args)


if __name__ == "__main__":
    main()
