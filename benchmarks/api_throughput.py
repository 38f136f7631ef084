"""Ticket creation + dispatch through the JSON API, with concurrent clients, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/api_throughput.py [--db sqlite|postgres|both] [--clients 20] [--seconds 30]
    .venv/bin/python benchmarks/api_throughput.py --compare /work/wt/baseline --rounds 3   # side by side

For each database: a scratch database (SQLite in a temporary JIESU_VAR_DIR; PostgreSQL: a database created
and dropped here), migrations, a minimal city (units, an operator and a dispatcher with tokens, a category),
then gunicorn (gthread workers) on 127.0.0.1 and N client threads that each repeat: POST /tickets, then
POST /tickets/{number}/actions/dispatch. Prints one JSON object per database: tickets per second (created and
dispatched), p50/p95 latency of each call and of the pair. Loopback only; bounded in time; stops its server.
Needs gunicorn (a main dependency: `pip install -e .`).

`--server dev` measures Django's development server (`jiesu serve --dev`) instead of gunicorn.
`--root DIR` serves another checkout of jiesu (with its own `.venv`); `--compare DIR` measures that checkout
(the baseline) and this one alternately, the same load on the same machine, `--rounds` times, the order of the
two swapped each round, and prints the medians and their ratio (this one ÷ the baseline) last.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")

SETUP = """
import json
from jiesu.api.tokens import create_token
from jiesu.catalog.models import Category
from jiesu.org.models import Membership, Unit, User
centre = Unit.objects.create(code="centre", name="热线中心", kind=Unit.Kind.CENTRE)
Unit.objects.create(code="heating", name="供热公司", kind=Unit.Kind.UTILITY)
parent = Category.objects.create(code="B1", name="城乡建设", level=1)
Category.objects.create(code="B1-01", name="供热", level=2, parent=parent)
tokens = {}
for name in ("operator", "dispatcher"):
    user = User.objects.create_user(username=f"bench-{name}", display_name=name)
    Membership.objects.create(user=user, unit=centre, role=name, scope="city")
    tokens[name] = create_token(user, name="benchmark")[1]
print(json.dumps(tokens))
"""

TICKET = {"title": "小区暖气不热", "content": "家里暖气一直不热，室温只有十二度。", "kind": "complaint",
          "channel": "phone", "category": "B1-01", "address": "阳光新城小区3号楼",
          "requester_name": "张三", "requester_phone": "13812345678"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jiesu_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIESU_")}
    env.update(JIESU_VAR_DIR=str(var_dir), JIESU_DATABASE_URL=database_url, JIESU_DEBUG="0",
               JIESU_SECRET_KEY="benchmark-only-secret-key-" + "x" * 30, JIESU_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SETTINGS_MODULE="jiesu.settings")
    return env


def prepare(root: Path, env: dict[str, str]) -> dict[str, str]:
    log("migrating the scratch database")
    subprocess.run([str(root / ".venv/bin/jiesu"), "migrate", "-v", "0"], env=env, check=True, cwd=root)
    log("loading a minimal city and tokens")
    code = f"import django; django.setup()\n{SETUP}"
    out = subprocess.run([str(root / ".venv/bin/python"), "-c", code], env=env, check=True, cwd=root,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_server(root: Path, env: dict[str, str], port: int, workers: int,
                 threads: int, kind: str = "gunicorn") -> subprocess.Popen[bytes]:
    cmd = [str(root / ".venv/bin/gunicorn"), "jiesu.wsgi:application", "-b", f"127.0.0.1:{port}", "-k",
           "gthread", "-w", str(workers), "--threads", str(threads), "--log-level", "warning", "--timeout", "60"]
    if kind == "dev":  # Django's development server, as `jiesu serve --dev` runs it (reloader and all)
        cmd = [str(root / ".venv/bin/jiesu"), "serve", "--dev", "--port", str(port)]
    return wait_until_healthy(subprocess.Popen(cmd, env=env, cwd=root, start_new_session=True), port, 60)


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, seconds: int) -> subprocess.Popen[bytes]:
    """The server once /api/v1/health answers 200; killed (its whole group) if it does not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, 9)
    raise RuntimeError(f"the server did not start within {seconds} s")


class Client:
    def __init__(self, port: int, tokens: dict[str, str]):
        self.port, self.tokens = port, tokens
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, path: str, body: dict, role: str, extra: dict[str, str] | None = None) -> tuple[int, dict, float]:
        headers = {"Authorization": f"Bearer {self.tokens[role]}", "Content-Type": "application/json",
                   **(extra or {})}
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, json.dumps(body), headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, {}, time.perf_counter() - started
        return response.status, json.loads(data or b"{}"), time.perf_counter() - started


def client_loop(client: Client, stop_at: float, out: dict[str, list], lock: threading.Lock) -> None:
    while time.monotonic() < stop_at:
        status, ticket, created_s = client.post("/api/v1/tickets", TICKET, "operator",
                                                {"Idempotency-Key": uuid.uuid4().hex})
        if status != 201:
            with lock:
                out["errors"].append(status)
            continue
        path = f"/api/v1/tickets/{ticket['number']}/actions/dispatch"
        status, _, dispatch_s = client.post(path, {"version": ticket["version"], "lead_unit": "heating"},
                                            "dispatcher")
        with lock:
            out["create"].append(created_s)
            if status == 200:
                out["dispatch"].append(dispatch_s)
                out["pair"].append(created_s + dispatch_s)
            else:
                out["errors"].append(status)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0] * 1000, 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000, 1)


def run_load(port: int, tokens: dict[str, str], clients: int, seconds: float) -> dict:
    out: dict[str, list] = {"create": [], "dispatch": [], "pair": [], "errors": []}
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=client_loop, args=(Client(port, tokens), stop_at, out, lock), daemon=True)
               for _ in range(clients)]
    for t in threads:
        t.start()
    next_report = started + 5
    while any(t.is_alive() for t in threads) and time.monotonic() < stop_at + 120:
        for t in threads:
            t.join(timeout=0.2)
        if time.monotonic() >= next_report:
            next_report += 5
            log(f"  {len(out['pair'])} tickets created and dispatched, {len(out['errors'])} errors")
    elapsed = time.monotonic() - started  # until the last client finished its last pair
    result = {"clients": clients, "seconds": round(elapsed, 1), "tickets": len(out["pair"]),
              "tickets_per_second": round(len(out["pair"]) / elapsed, 1), "errors": len(out["errors"]),
              "error_statuses": sorted(set(out["errors"]))}
    for name in ("create", "dispatch", "pair"):
        result[f"{name}_ms"] = {"p50": pct(out[name], 50), "p95": pct(out[name], 95)}
    return result


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def bench_one(root: Path, db: str, args: argparse.Namespace) -> dict:
    var_dir = Path(tempfile.mkdtemp(prefix="jiesu-bench-"))
    pg_name = f"jiesu_bench_api_{os.getpid()}"
    if db == "postgres":
        pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    server = None
    try:
        env = jiesu_env(var_dir, url)
        tokens = prepare(root, env)
        port = free_port()
        label = "jiesu serve --dev (runserver)" if args.server == "dev" else \
            f"gunicorn gthread -w {args.workers} --threads {args.threads}"
        log(f"{db} @ {root}: {label}, port {port}")
        server = start_server(root, env, port, args.workers, args.threads, args.server)
        load = os.getloadavg()[0]
        log(f"{db}: {args.clients} clients for {args.seconds} s (load average {load:.2f})")
        result = run_load(port, tokens, args.clients, args.seconds)
        return {"database": db, "tree": str(root), "commit": commit_of(root), "load_at_start": round(load, 2),
                "server": label, **result}
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        if db == "postgres":
            pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


def commit_of(root: Path) -> str:
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip()


def summarise(runs: list[dict], baseline: Path) -> dict:
    """Medians per database and tree, and the ratio of this tree's medians to the baseline's."""
    summary: dict = {}
    for db in sorted({r["database"] for r in runs}):
        mine = [r for r in runs if r["database"] == db]
        figures = {}
        for label, tree in (("baseline", str(baseline)), ("new", str(ROOT))):
            of_tree = [r for r in mine if r["tree"] == tree]
            figures[label] = {
                "commit": of_tree[0]["commit"], "runs": len(of_tree),
                "tickets_per_second": [r["tickets_per_second"] for r in of_tree],
                "median_tickets_per_second": round(statistics.median(r["tickets_per_second"] for r in of_tree), 1),
                "median_create_p95_ms": round(statistics.median(r["create_ms"]["p95"] or 0 for r in of_tree)),
                "median_pair_p95_ms": round(statistics.median(r["pair_ms"]["p95"] or 0 for r in of_tree)),
                "errors": sum(r["errors"] for r in of_tree),
            }
        base = figures["baseline"]["median_tickets_per_second"]
        figures["ratio"] = round(figures["new"]["median_tickets_per_second"] / base, 2) if base else None
        summary[db] = figures
    return summary


def compare(args: argparse.Namespace, databases: list[str]) -> None:
    baseline = Path(args.compare).resolve()
    runs = []
    for round_no in range(args.rounds):
        trees = [baseline, ROOT] if round_no % 2 == 0 else [ROOT, baseline]
        for db in databases:
            for tree in trees:
                log(f"round {round_no + 1}/{args.rounds}: {db} on {commit_of(tree)}")
                result = bench_one(tree, db, args)
                print(json.dumps(result, ensure_ascii=False), flush=True)
                runs.append(result)
    print(json.dumps({"summary": summarise(runs, baseline)}, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=10, help="threads per gunicorn worker")
    parser.add_argument("--server", choices=["gunicorn", "dev"], default="gunicorn",
                        help="gunicorn (as jiesu serve) or dev: Django's development server (jiesu serve --dev)")
    parser.add_argument("--root", default=str(ROOT), help="the checkout of jiesu to serve (its own .venv)")
    parser.add_argument("--compare", metavar="BASELINE", help="another checkout measured alternately with this one")
    parser.add_argument("--rounds", type=int, default=3, help="with --compare: rounds of baseline + this one")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for tree in [Path(args.root)] + ([Path(args.compare)] if args.compare else []):
        if not (tree / ".venv/bin/gunicorn").exists():
            sys.exit(f"gunicorn is missing in {tree}: .venv/bin/pip install -e .")
    if args.compare:
        compare(args, databases)
        return
    for db in databases:
        print(json.dumps(bench_one(Path(args.root).resolve(), db, args), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
