"""Database connections a server holds on PostgreSQL under requests without keep-alive, and how fast it answers.

    .venv/bin/python benchmarks/db_connections.py [--requests 300] [--clients 20] [--modes dev,gunicorn,pool]

A scratch PostgreSQL database (created and dropped here), migrations, then for each mode a server on 127.0.0.1
started as an operator would: `jiesu serve --dev` (Django's runserver, a thread per connection), `jiesu serve`
(gunicorn gthread, 3 workers × 4 threads, CONN_MAX_AGE 60 with health checks) and `jiesu serve` with
JIESU_DB_POOL_SIZE=4 (psycopg's pool, 4 a worker). N client threads send GET /login/ (it reads the database),
each request on a new TCP connection (`Connection: close`). Sampled every 0.1 s: the connections to the scratch
database in pg_stat_activity; printed per mode: the most seen, those left 2 s after the run, requests per
second, p50/p95, statuses. Loopback only; bounded; stops its servers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from api_throughput import PG_ADMIN_URL, free_port, jiesu_env, log  # noqa: E402

PSQL_ADMIN = ["psql", PG_ADMIN_URL, "-qAtX", "-c"]
MODES = {
    "dev": (["serve", "--dev"], {}),
    "gunicorn": (["serve", "--workers", "3", "--threads", "4", "--access-log", ""], {}),
    "pool": (["serve", "--workers", "3", "--threads", "4", "--access-log", ""], {"JIESU_DB_POOL_SIZE": "4"}),
}


def connections(db: str) -> int:
    out = subprocess.run([*PSQL_ADMIN, f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}'"],
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip() or 0)


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start within 60 s")


def one_request(port: int) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/login/", headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, time.perf_counter() - started
    except (OSError, http.client.HTTPException):
        return 0, time.perf_counter() - started


def load(port: int, total: int, clients: int, db: str) -> dict:
    results: list[tuple[int, float]] = []
    lock, counter, peak, running = threading.Lock(), [total], [0], [True]

    def client() -> None:
        while True:
            with lock:
                if counter[0] == 0:
                    return
                counter[0] -= 1
            result = one_request(port)
            with lock:
                results.append(result)

    def sampler() -> None:
        while running[0]:
            peak[0] = max(peak[0], connections(db))
            time.sleep(0.1)

    watch = threading.Thread(target=sampler)
    watch.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    time.sleep(2)
    running[0] = False
    watch.join()
    latencies = sorted(s for _, s in results)
    statuses: dict[str, int] = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {"requests": len(results), "statuses": statuses, "per_second": round(len(results) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
            "connections_peak": peak[0], "connections_after_2s": connections(db)}


def run_mode(mode: str, env: dict[str, str], args: argparse.Namespace, db: str) -> dict:
    command, extra = MODES[mode]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "jiesu.cli", *command, "--port", str(port)],
                              env={**env, **extra}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_until_up(port, server)
        before = connections(db)
        log(f"{mode}: up on {port}, {before} connections before the load")
        return {"mode": mode, "command": " ".join(["jiesu", *command]), **extra, "connections_idle": before,
                **load(port, args.requests, args.clients, db)}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--modes", default="dev,gunicorn,pool")
    args = parser.parse_args()
    db = f"jiesu_bench_conn_{os.getpid()}"
    subprocess.run([*PSQL_ADMIN, f"CREATE DATABASE {db}"], check=True)
    try:
        env = jiesu_env(Path(os.environ.get("TMPDIR", "/tmp")) / db, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{db}")
        env["PYTHONPATH"] = str(ROOT)
        env["JIESU_WARM_UP"] = "0"
        subprocess.run([sys.executable, "-m", "jiesu.cli", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        for mode in args.modes.split(","):
            print(json.dumps(run_mode(mode, env, args, db), ensure_ascii=False), flush=True)
    finally:
        subprocess.run([*PSQL_ADMIN, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=False)


if __name__ == "__main__":
    main()
