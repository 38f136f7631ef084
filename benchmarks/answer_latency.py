"""Latency of POST /api/v1/answer with a knowledge base of 12,000 published articles.

    .venv/bin/python benchmarks/answer_latency.py --data ../shared/data/teddy2020c/replies_dev.csv \
        [--articles 12000] [--requests 600] [--db sqlite|postgres]

A scratch database (SQLite in a temporary JIESU_VAR_DIR, or a PostgreSQL database created and dropped here)
gets the demo city's units and the 22 demo articles, then published variants of them for every county,
district and street (the way each county's office keeps its own copy), and one FAQ per reply of the data
file (subject as title and question, the reply as the answer), with region-specific copies, until
``--articles`` are published. Articles are written with bulk inserts (the review workflow is not what is
measured). Then ``--requests`` questions — the demo questions, subjects of the data file's messages and a few
unrelated ones, shuffled with a fixed seed — go through the Django test client with a bearer token, one at a
time, as a voice front end would send them. Prints progress on stderr and one JSON object on stdout: the
time to build the in-memory index (the first request), then p50/p95/p99/mean/max of the rest and the share
answered automatically. The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jiesu_bench_answer"
UNRELATED = ["公积金怎么提取", "孩子上学划片怎么查", "小区门口修路太吵了", "护照在哪里办", "楼下饭店油烟太大",
             "驾驶证到期怎么换证", "房产证加名字怎么办理", "电动车在哪里上牌"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def setup_django(db: str) -> None:
    for key in [k for k in os.environ if k.startswith("JIESU_")]:
        del os.environ[key]
    os.environ["JIESU_VAR_DIR"] = tempfile.mkdtemp(prefix="jiesu-bench-answer-")
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["JIESU_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def read_replies(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("留言主题") and row.get("答复意见")]
    log(f"{len(rows)} 条答复读自 {path}")
    return rows


def load_city() -> None:
    """The demo city with its articles (organisation, catalog and knowledge steps only)."""
    import io

    from jiesu.demo.runner import run_demo

    run_demo(io.StringIO(), steps=["jiesu.org.demo", "jiesu.catalog.demo", "jiesu.knowledge.demo"])


def version_fields(title: str, body_html: str, questions: list[str], keywords: list[str], source: str) -> dict:
    from jiesu.knowledge.content import plain_text, sanitize_html

    clean = sanitize_html(body_html)
    return {"title": title[:200], "body_html": clean, "body_text": plain_text(clean), "questions": questions,
            "keywords": keywords, "source_document": source[:300], "status": "published"}


def generate(replies: list[dict[str, str]], total: int) -> list[tuple[str, str, dict, str | None]]:
    """(unit code, kind, version fields, region code) for ``total`` articles, demo variants first."""
    from jiesu.knowledge.models import Article
    from jiesu.org.models import Region

    regions = list(Region.objects.filter(level__in=[3, 4]).order_by("code").values_list("code", "name"))
    base = list(Article.objects.filter(status="published").select_related("current", "unit"))
    out: list[tuple[str, str, dict, str | None]] = []
    for code, name in regions:
        for article in base:
            v = article.current
            out.append((article.unit.code, article.kind, version_fields(
                f"{name}：{v.title}", v.body_html.replace("四平市", f"四平市{name}"),
                [f"{name}{q}" for q in v.questions], v.keywords, f"{v.source_document}（{name}版，基准测试生成）"), code))
    copies = 0
    while len(out) < total:
        for row in replies:
            if len(out) >= total:
                break
            code, name = (None, "") if copies == 0 else regions[(copies * 7 + len(out)) % len(regions)]
            subject = " ".join(row["留言主题"].split())
            out.append(("centre", "reply", version_fields(
                f"{name}{subject}", row["答复意见"], [subject], [], "网络问政答复（基准测试生成）"), code))
        copies += 1
    log(f"生成 {len(out[:total])} 条知识（演示知识变体 {len(regions) * len(base)} 条，其余为答复）")
    return out[:total]


def insert(rows: list[tuple[str, str, dict, str | None]], batch: int = 2000) -> None:
    from django.db import transaction
    from django.utils import timezone

    from jiesu.knowledge.models import Article, ArticleVersion
    from jiesu.org.models import Region, Unit

    units = dict(Unit.objects.values_list("code", "pk"))
    regions = dict(Region.objects.values_list("code", "pk"))
    now = timezone.now()
    through = Article.regions.through
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        with transaction.atomic():
            articles = Article.objects.bulk_create([Article(unit_id=units[u], kind=k, status="published",
                                                            index_changed_at=now, external_key=f"bench-{start + i}")
                                                    for i, (u, k, _, _) in enumerate(chunk)])
            versions = ArticleVersion.objects.bulk_create([ArticleVersion(article=a, number=1, published_at=now, **f)
                                                           for a, (_, _, f, _) in zip(articles, chunk, strict=True)])
            for a, v in zip(articles, versions, strict=True):
                a.current = v
            Article.objects.bulk_update(articles, ["current"])
            through.objects.bulk_create([through(article_id=a.pk, region_id=regions[r])
                                         for a, (_, _, _, r) in zip(articles, chunk, strict=True) if r])
        log(f"已写入 {min(start + batch, len(rows))}/{len(rows)}")


def questions(replies: list[dict[str, str]], n: int) -> list[str]:
    from jiesu.knowledge.demo import QUESTIONS

    rng = random.Random(12345)
    pool = [q for q, *_ in QUESTIONS] + UNRELATED
    pool += [" ".join(r["留言主题"].split()) for r in rng.sample(replies, min(len(replies), n))]
    rng.shuffle(pool)
    return (pool * (n // len(pool) + 1))[:n]


def measure(asked: list[str]) -> dict:
    from django.test import Client

    from jiesu.api.tokens import create_token
    from jiesu.org.models import User

    _, raw = create_token(User.objects.get(username="operator"), name="benchmark")
    client, headers = Client(HTTP_HOST="localhost"), {"Authorization": f"Bearer {raw}"}
    latencies, answered = [], 0
    for n, question in enumerate(asked, start=1):
        started = time.perf_counter()
        response = client.post("/api/v1/answer", {"question": question, "channel": "voice"},
                               content_type="application/json", headers=headers)
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        answered += response.json()["answered"]
        if n % 100 == 0:
            log(f"已请求 {n}/{len(asked)}")
    first, rest = latencies[0], sorted(latencies[1:])
    pick = lambda q: round(rest[min(len(rest) - 1, int(q * len(rest)))] * 1000, 1)  # noqa: E731
    return {"first_request_ms": round(first * 1000), "requests": len(rest), "p50_ms": pick(0.50),
            "p95_ms": pick(0.95), "p99_ms": pick(0.99), "mean_ms": round(statistics.fmean(rest) * 1000, 1),
            "max_ms": round(rest[-1] * 1000, 1), "answered_share": round(answered / len(asked), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="replies_dev.csv（留言主题、答复意见）")
    parser.add_argument("--articles", type=int, default=12000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if not args.data.is_file():
        parser.error(f"找不到数据文件：{args.data}")
    setup_django(args.db)
    replies = read_replies(args.data)
    load_city()
    from jiesu.knowledge.models import Article

    insert(generate(replies, args.articles - Article.objects.filter(status="published").count()))
    published = Article.objects.filter(status="published").count()
    log(f"已发布知识 {published} 条；开始请求")
    try:
        result = {"db": args.db, "published_articles": published, **measure(questions(replies, args.requests))}
        print(json.dumps(result, ensure_ascii=False))
    finally:
        cleanup(args.db)


def cleanup(db: str) -> None:
    """Drops the scratch database and its folder."""
    import shutil

    from django.db import connections

    connections.close_all()
    shutil.rmtree(os.environ["JIESU_VAR_DIR"], ignore_errors=True)
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
