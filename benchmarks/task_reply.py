"""The time a proactive task's fan-out takes: creating a task with N member tickets waiting for dispatch (each
dispatched to the task's unit), the unit's reply (each member signed for and answered), the centre's approval
(each member approved, its follow-up clock started and its requester's message written) — each one transaction.

    .venv/bin/python benchmarks/task_reply.py [--members 50,200,500] [--db sqlite|postgres]

A scratch database (SQLite in a temporary JIESU_VAR_DIR, or a PostgreSQL database created and dropped here)
gets the demo city's units, accounts and catalogue; everything runs at a fixed working Monday morning. Prints
progress on stderr and one JSON object on stdout: per member count, the seconds of each of the three calls and
the events written.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jiesu_bench_task"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def setup_django(db: str) -> None:
    for key in [k for k in os.environ if k.startswith("JIESU_")]:
        del os.environ[key]
    os.environ["JIESU_VAR_DIR"] = tempfile.mkdtemp(prefix="jiesu-bench-task-")
    os.environ["JIESU_SMS_BACKEND"] = "file"  # the requesters' messages to files under the scratch folder
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["JIESU_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    os.environ.setdefault("DEMO_PASSWORD", "bench-only-password")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def drop(db: str) -> None:
    if db != "postgres":
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")


def timed(step: str, run) -> tuple[object, float]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    log(f"{step}: {seconds:.2f} s")
    return result, seconds


def one_run(n: int, category: str) -> dict[str, object]:
    from jiesu.core import clock
    from jiesu.core.models import Event
    from jiesu.org.models import User
    from jiesu.tickets import services
    from jiesu.tickets.services.proactive import create_task

    users = {u.username: u for u in User.objects.filter(username__in=["operator", "dispatcher", "supervisor",
                                                                     "handler-heating"])}
    with clock.at(MONDAY):
        members = [services.accept(users["operator"], {
            "title": f"阳光新城小区{k}号楼暖气不热", "content": "家里暖气不热，室温只有十二度。", "kind": "complaint",
            "channel": "phone", "category": category, "requester_phone": f"138{k:08d}"}) for k in range(n)]
        events = Event.objects.count()
        task, created = timed(f"{n} members: create", lambda: create_task(users["dispatcher"], {
            "title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating", "due_on": "2026-03-13",
            "members": [m.number for m in members]}))
        task = services.sign(users["handler-heating"], task)
        task, replied = timed(f"{n} members: reply", lambda: services.reply(users["handler-heating"], task,
                                                                          result="已更换循环泵"))
        _, approved = timed(f"{n} members: approve", lambda: services.review_reply(users["supervisor"], task,
                                                                                 decision="approve"))
    return {"members": n, "create_s": round(created, 3), "reply_s": round(replied, 3),
            "approve_s": round(approved, 3), "events": Event.objects.count() - events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="50,200,500")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    setup_django(args.db)
    try:
        from jiesu.catalog.models import Category
        from jiesu.demo.runner import run_demo

        run_demo(io.StringIO(), steps=["jiesu.org.demo", "jiesu.catalog.demo"])
        category = Category.objects.filter(level=3).order_by("code").values_list("code", flat=True)[0]
        runs = [one_run(int(n), category) for n in args.members.split(",")]
        print(json.dumps({"db": args.db, "runs": runs}, ensure_ascii=False))
    finally:
        drop(args.db)


if __name__ == "__main__":
    main()
