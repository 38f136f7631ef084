"""Live queues: what N open desks polling their counts cost the server (gunicorn gthread, as in production).

    .venv/bin/python benchmarks/desk_polling.py [--desks 500] [--every 15] [--seconds 60] [--changes 2]

A scratch demo city (SQLite in a temporary JIESU_VAR_DIR), gunicorn with gthread workers on 127.0.0.1, and N
simulated desks, spread over the demo's handler and centre accounts, each asking
`/desk/<slug>/counts/?stamp=…` every --every seconds (the desk page's poll) with the stamp of its last answer:
an unchanged desk gets an empty 204 (one aggregate query), a changed one the tabs with fresh counts. Meanwhile
--changes tickets a second are accepted and dispatched (through the services, in this process), so some desks
really change. Reports requests a second, p50/p95/max latency of 204s and of 200s, the server's CPU seconds
per request and per second (from /proc), and the share of one core the polling takes.

Server-sent events were not chosen: with gunicorn's gthread workers each open event stream holds a thread for
as long as the desk is open, so 500 desks would need 500 threads (`-w 2 --threads 8` serves 16 at once), or an
ASGI server next to the WSGI one. Loopback only; bounded in time; stops its server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "jiesu-demo"
DESKS = [("handler-heating", "unit"), ("handler-water", "unit"), ("handler-urban", "unit"),
         ("handler-housing", "unit"), ("handler-civil", "unit"), ("handler-tiexi", "unit"),
         ("handler-renxing", "unit"), ("dispatcher", "dispatch"), ("supervisor", "supervision"),
         ("visitor", "followup")]
STAMP = re.compile(r'data-stamp="([^"]*)"')


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def session_cookie(port: int, username: str) -> str:
    """Signs in through the login page; returns the Cookie header of the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    cookies = {c.split("=", 1)[0]: c.split(";")[0].split("=", 1)[1] for c in response.headers.get_all("Set-Cookie")}
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    conn.request("POST", "/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}/login/"})
    response = conn.getresponse()
    response.read()
    for c in response.headers.get_all("Set-Cookie") or []:
        name, value = c.split(";")[0].split("=", 1)
        cookies[name] = value
    conn.close()
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError):
            continue
    return total


def server_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *[int(p) for p in children.read_text().split()]] if children.exists() else [master]


class Load:
    def __init__(self, port: int, desks: list[dict[str, Any]], every: float, seconds: float):
        self.port, self.desks, self.every, self.seconds = port, desks, every, seconds
        self.lat: dict[int, list[float]] = {200: [], 204: []}
        self.errors = 0
        self.lock = threading.Lock()

    def poll(self, conn: http.client.HTTPConnection, desk: dict[str, Any]) -> http.client.HTTPConnection:
        url = f"/desk/{desk['slug']}/counts/?queue={desk['queue']}&stamp={desk['stamp']}"
        t = time.perf_counter()
        try:
            conn.request("GET", url, headers={"Cookie": desk["cookie"], "HX-Request": "true"})
            response = conn.getresponse()
            body = response.read().decode()
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.errors += 1
            conn.close()
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        elapsed = time.perf_counter() - t
        with self.lock:
            if response.status in self.lat:
                self.lat[response.status].append(elapsed)
            else:
                self.errors += 1
        if response.status == 200:
            found = STAMP.search(body)
            desk["stamp"] = found.group(1) if found else ""
        return conn

    def worker(self, mine: list[dict[str, Any]], stop: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.monotonic() < stop:
            now = time.monotonic()
            due = [d for d in mine if d["next"] <= now]
            for desk in due:
                conn = self.poll(conn, desk)
                desk["next"] += self.every
            time.sleep(max(0.0, min(d["next"] for d in mine) - time.monotonic()))
        conn.close()

    def run(self, threads: int) -> float:
        start = time.monotonic()
        for desk in self.desks:
            desk["next"] = start + random.uniform(0, self.every)
        stop = start + self.seconds
        groups = [self.desks[i::threads] for i in range(threads)]
        pool = [threading.Thread(target=self.worker, args=(g, stop)) for g in groups if g]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return time.monotonic() - start


def churn(env: dict[str, str], per_second: float, seconds: float) -> subprocess.Popen[bytes]:
    """Another process that accepts and dispatches tickets at a steady rate, as the centre does all day."""
    code = f"""
import time
from jiesu.org.models import User
from jiesu.tickets import services
op, disp = User.objects.get(username="operator"), User.objects.get(username="dispatcher")
units = ["heating", "water", "urban", "housing", "civil"]
stop, n = time.monotonic() + {seconds}, 0
while time.monotonic() < stop:
    t = services.accept(op, {{"title": "压测来电", "content": "压测工单内容", "kind": "complaint", "channel": "phone",
                            "category": "010101", "region": "220302001001"}})
    services.dispatch(disp, t, lead_unit=units[n % len(units)])
    n += 1
    time.sleep(max(0.0, 1 / {per_second} - 0.02))
print(n)
"""
    return subprocess.Popen([str(BIN / "jiesu"), "shell", "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE)


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desks", type=int, default=500)
    parser.add_argument("--every", type=float, default=15.0, help="seconds between two polls of one desk")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--changes", type=float, default=2.0, help="tickets accepted+dispatched a second")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--port", type=int, default=8094)
    args = parser.parse_args()
    if not (BIN / "gunicorn").exists():
        sys.exit("gunicorn is missing: .venv/bin/pip install -e .")
    var = tempfile.mkdtemp(prefix="jiesu-polling-")
    env = {**os.environ, "JIESU_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "jiesu.settings"}
    env.pop("JIESU_DATABASE_URL", None)
    server = None
    try:
        for command in (["migrate", "--noinput", "-v0"], ["demo"]):
            log(f"jiesu {' '.join(command)} …")
            subprocess.run([str(BIN / "jiesu"), *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen([str(BIN / "gunicorn"), "jiesu.wsgi:application", "-b", f"127.0.0.1:{args.port}",
                                   "-k", "gthread", "-w", "2", "--threads", "8", "--log-level", "warning"],
                                  env=env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/login/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        cookies = {u: session_cookie(args.port, u) for u, _slug in DESKS}
        first = {"unit": "to_sign", "dispatch": "dispatching", "supervision": "overdue", "followup": "visiting"}
        desks = [{"user": u, "slug": s, "queue": first[s], "cookie": cookies[u], "stamp": ""}
                 for u, s in (DESKS[i % len(DESKS)] for i in range(args.desks))]
        log(f"{args.desks} desks, a poll every {args.every} s each, {args.changes} tickets/s changing, "
            f"{args.seconds:.0f} s")
        load = Load(args.port, desks, args.every, args.seconds)
        changes = churn(env, args.changes, args.seconds) if args.changes > 0 else None
        pids = server_pids(server.pid)
        cpu0 = cpu_seconds(pids)
        elapsed = load.run(args.threads)
        cpu = cpu_seconds(pids) - cpu0
        changed = int((changes.communicate(timeout=120)[0] or b"0").decode().strip().splitlines()[-1]) if changes else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(var, ignore_errors=True)
    requests = len(load.lat[200]) + len(load.lat[204])
    print(json.dumps({
        "desks": args.desks, "poll_every_s": args.every, "seconds": round(elapsed, 1),
        "server": "gunicorn gthread -w 2 --threads 8, SQLite", "tickets_changed": changed,
        "requests": requests, "requests_per_s": round(requests / elapsed, 1), "errors": load.errors,
        "unchanged_204": {"n": len(load.lat[204]), "p50_ms": pct(load.lat[204], 0.5), "p95_ms": pct(load.lat[204], 0.95),
                          "max_ms": pct(load.lat[204], 1.0)},
        "changed_200": {"n": len(load.lat[200]), "p50_ms": pct(load.lat[200], 0.5), "p95_ms": pct(load.lat[200], 0.95),
                        "max_ms": pct(load.lat[200], 1.0)},
        "server_cpu_s": round(cpu, 1), "server_cpu_ms_per_request": round(cpu / max(1, requests) * 1000, 2),
        "server_cores_used": round(cpu / elapsed, 2),
        "mean_latency_ms": round(statistics.mean(load.lat[200] + load.lat[204]) * 1000, 1) if requests else 0,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
