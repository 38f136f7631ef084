"""Where the time of one create + dispatch goes: queries per request and a CPU profile, in one process.

    .venv/bin/python benchmarks/hot_path_profile.py [--db sqlite|postgres] [--pairs 300] [--sql] [--top 25]
    /work/wt/baseline/.venv/bin/python benchmarks/hot_path_profile.py ...   # the same for another checkout

Runs the product's WSGI application in this process (Django's test client: the whole middleware stack, token
auth, the API, the services) against a scratch database (SQLite in a temporary folder, or a PostgreSQL database
created and dropped here), with the minimal city of `api_throughput.py`. After a warm-up it repeats
POST /api/v1/tickets and POST /api/v1/tickets/{number}/actions/dispatch, counts the SQL statements of each
request, times `--pairs` pairs (CPU of this process and wall time), then profiles as many again with cProfile
(CPU time). Prints JSON: CPU ms per pair without the profiler, queries per request (and with
`--sql` the statements of one pair), and the functions with the most own and cumulative time. The checkout
measured is the one whose virtualenv runs the script.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from api_throughput import PG_ADMIN_URL, SETUP, TICKET, pg_admin  # noqa: E402


def configure(db: str) -> tuple[Path, str | None]:
    var_dir = Path(tempfile.mkdtemp(prefix="jiesu-profile-"))
    pg_name = None
    if db == "postgres":
        pg_name = f"jiesu_bench_profile_{os.getpid()}"
        pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        url = f"sqlite:///{var_dir / 'profile.sqlite3'}"
    for key in [k for k in os.environ if k.startswith("JIESU_")]:
        del os.environ[key]
    os.environ.update(JIESU_VAR_DIR=str(var_dir), JIESU_DATABASE_URL=url, JIESU_DEBUG="0",
                      JIESU_SECRET_KEY="benchmark-only-secret-key-" + "x" * 30,
                      JIESU_ALLOWED_HOSTS="127.0.0.1,testserver", DJANGO_SETTINGS_MODULE="jiesu.settings")
    return var_dir, pg_name


class QueryLog:
    """Counts (and keeps) the SQL statements run while it is installed on the default connection."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.statements.append(sql)
        return execute(sql, params, many, context)


def shape(sql: str) -> str:
    return re.sub(r"\s+", " ", sql)[:160]


def run(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    out = io.StringIO()
    sys.stdout, saved = out, sys.stdout
    try:
        exec(SETUP, {})
    finally:
        sys.stdout = saved
    tokens = json.loads(out.getvalue().strip().splitlines()[-1])
    client = Client()
    auth = {role: {"HTTP_AUTHORIZATION": f"Bearer {token}"} for role, token in tokens.items()}

    def pair(log: QueryLog | None = None) -> tuple[int, int]:
        counts = []
        before = len(log.statements) if log else 0
        response = client.post("/api/v1/tickets", json.dumps(TICKET), content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **auth["operator"])
        assert response.status_code == 201, response.content
        ticket = response.json()
        counts.append(len(log.statements) - before if log else 0)
        before = len(log.statements) if log else 0
        response = client.post(f"/api/v1/tickets/{ticket['number']}/actions/dispatch",
                               json.dumps({"version": ticket["version"], "lead_unit": "heating"}),
                               content_type="application/json", **auth["dispatcher"])
        assert response.status_code == 200, response.content
        counts.append(len(log.statements) - before if log else 0)
        return counts[0], counts[1]

    for _ in range(args.warmup):
        pair()
    log = QueryLog()
    with connection.execute_wrapper(log):
        create_q, dispatch_q = pair(log)
    one_pair_sql = [shape(s) for s in log.statements]

    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for _ in range(args.pairs):  # measured without the profiler, whose own cost is large for small calls
        pair()
    cpu_ms = (time.process_time() - cpu_started) * 1000 / args.pairs
    wall_ms = (time.perf_counter() - wall_started) * 1000 / args.pairs
    profiler = cProfile.Profile(time.process_time)  # CPU of this process; waits for the database are not in it
    profiler.enable()
    for _ in range(args.pairs):
        pair()
    profiler.disable()
    if args.pstats:
        profiler.dump_stats(args.pstats)
    return {
        "database": args.db, "pairs": args.pairs, "cpu_ms_per_pair": round(cpu_ms, 2),
        "wall_ms_per_pair": round(wall_ms, 2), "queries": {"create": create_q, "dispatch": dispatch_q},
        "top_own": top(profiler, "tottime", args.top), "top_cumulative": top(profiler, "cumulative", args.top),
        **({"sql": one_pair_sql} if args.sql else {}),
    }


def top(profiler: cProfile.Profile, key: str, n: int) -> list[str]:
    stats = pstats.Stats(profiler)
    stats.sort_stats(key)
    rows = []
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    for func in stats.fcn_list[:n]:  # type: ignore[attr-defined]
        cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
        filename, line, name = func
        where = re.sub(r".*/site-packages/", "", filename)
        where = re.sub(r".*/(jiesu/)", r"\1", where)
        rows.append(f"{tt / total * 100:5.1f}% own {ct / total * 100:5.1f}% cum {nc:>7} {where}:{line} {name}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print the statements of one pair")
    parser.add_argument("--pstats", help="write the cProfile data to this file (for snakeviz / pstats)")
    args = parser.parse_args()
    var_dir, pg_name = configure(args.db)
    try:
        print(json.dumps(run(args), ensure_ascii=False, indent=1))
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
