"""kill -9 under load: every acknowledged ticket survives, with its merge-index keys, and a retry adds no duplicate.

    .venv/bin/python benchmarks/kill9_durability.py [--rounds 3] [--clients 12] [--before-kill 6] [--after 3]

A scratch PostgreSQL database (created and dropped here), migrations, a minimal city (the operator's API token
and a category, as api_throughput.py), then `jiesu serve` (gunicorn, 2 workers × 4 threads) and N client
threads posting tickets through `POST /api/v1/tickets`, each with its own Idempotency-Key. In each round the
server's whole process group is killed with SIGKILL at a random moment while the clients post, then started
again; the clients keep posting (refused while it is down) and go on after the restart. At the end: every
request whose answer was lost is sent again with its key, then in the database: each acknowledged (201) ticket
found, tickets per key (a retry must not create a second one), and every ticket's merge-index entries compared
with the keys its text gives (`TicketSignature` and every `DuplicateKey`). Progress on standard error, the
figures as JSON. Loopback only; bounded; stops its server and drops the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from api_throughput import PG_ADMIN_URL, SETUP, TICKET, free_port, jiesu_env, log, wait_until_healthy  # noqa: E402

PSQL_ADMIN = ["psql", PG_ADMIN_URL, "-qAtX", "-c"]

CHECK = """
import json, sys
from collections import Counter
from jiesu.intelligence.signature_models import DuplicateKey, TicketSignature
from jiesu.intelligence.signatures import signature_of
from jiesu.tickets.models import Ticket
sent = json.load(open(sys.argv[1]))
sent["acknowledged"].update(sent["retried"])
rows = list(Ticket.objects.values_list("pk", "number", "idempotency_key", "title", "content"))
numbers = {number for _, number, _, _, _ in rows}
per_key = Counter(key.split(":", 1)[1] for _, _, key, _, _ in rows if key)
signed = set(TicketSignature.objects.values_list("ticket_id", flat=True))
stored = {}
for ticket_id, key in DuplicateKey.objects.values_list("ticket_id", "key"):
    stored.setdefault(ticket_id, set()).add(key)
missing_keys = without_keys = 0
for pk, _, _, title, content in rows:
    expected = set(signature_of(title, content).keys)
    lost = expected - stored.get(pk, set())
    missing_keys += len(lost)
    without_keys += bool(lost) or pk not in signed
print(json.dumps({
    "tickets_in_database": len(rows),
    "acknowledged_or_retried_found": sum(n in numbers for n in sent["acknowledged"].values()),
    "acknowledged_missing": sorted(n for n in sent["acknowledged"].values() if n not in numbers),
    "keys_with_two_tickets": sum(c > 1 for c in per_key.values()),
    "tickets_without_signature": sum(pk not in signed for pk, *_ in rows),
    "tickets_with_missing_index_keys": without_keys,
    "index_keys_missing": missing_keys,
    "index_keys_stored": sum(len(v) for v in stored.values()),
}))
"""


class Load:
    """Client threads posting tickets until stopped; what each Idempotency-Key got back."""

    def __init__(self, port: int, token: str, clients: int) -> None:
        self.port, self.token, self.clients = port, token, clients
        self.acknowledged: dict[str, str] = {}  # key → ticket number (201)
        self.unanswered: dict[str, int] = {}  # key → call number of the requests that got no answer
        self.retried: dict[str, str] = {}  # unanswered key → the ticket its retry answered with
        self.retry_statuses: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.lock, self.running = threading.Lock(), True
        self.threads = [threading.Thread(target=self._client, args=(i,)) for i in range(clients)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()

    def post(self, key: str, n: int) -> tuple[int, dict]:
        body = {**TICKET, "title": f"{TICKET['title']}（第{n}次来电）", "content": f"{TICKET['content']} 来电序号{n}。"}
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("POST", "/api/v1/tickets", json.dumps(body, ensure_ascii=False).encode(),
                         {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                          "Idempotency-Key": key})
            response = conn.getresponse()
            data = response.read()
            conn.close()
            return response.status, json.loads(data or b"{}")
        except (OSError, http.client.HTTPException, ValueError):
            return 0, {}

    def _client(self, i: int) -> None:
        n = 0
        while self.running:
            n += 1
            key = f"k9-{i}-{n}-{uuid.uuid4().hex[:8]}"
            status, body = self.post(key, i * 100_000 + n)
            with self.lock:
                if status == 201:
                    self.acknowledged[key] = body["number"]
                elif status == 0:
                    self.unanswered[key] = i * 100_000 + n
                    time.sleep(0.2)  # the server is down: do not spin
                else:
                    self.other[str(status)] = self.other.get(str(status), 0) + 1

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return len(self.acknowledged), len(self.unanswered)


def start_server(env: dict[str, str], port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    return wait_until_healthy(subprocess.Popen(
        [sys.executable, "-m", "jiesu.cli", "serve", "--port", str(port), "--workers", str(args.workers),
         "--threads", str(args.threads), "--access-log", ""],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True), port, 120)


def rounds_of_kills(env: dict[str, str], port: int, load: Load, args: argparse.Namespace) -> None:
    server = start_server(env, port, args)
    load.start()
    try:
        for round_no in range(1, args.rounds + 1):
            time.sleep(random.uniform(args.before_kill / 2, args.before_kill))
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            acknowledged, unanswered = load.counts()
            log(f"round {round_no}: kill -9 with {acknowledged} acknowledged, {unanswered} unanswered so far")
            server = start_server(env, port, args)
            log(f"round {round_no}: restarted")
        time.sleep(args.after)
    finally:
        load.stop()
    acknowledged, unanswered = load.counts()
    log(f"load stopped: {acknowledged} acknowledged, {unanswered} unanswered; retrying the unanswered")
    for key, n in load.unanswered.items():  # the same request again: the ticket if it was committed, else a new
        status, body = load.post(key, n)  # one, never two
        load.retry_statuses[str(status)] = load.retry_statuses.get(str(status), 0) + 1
        if status in (200, 201):
            load.retried[key] = body["number"]
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="kills (each followed by a restart)")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--before-kill", type=float, default=6.0, help="seconds of load before a kill (at most)")
    parser.add_argument("--after", type=float, default=3.0, help="seconds of load after the last restart")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    db = f"jiesu_bench_kill_{os.getpid()}"
    subprocess.run([*PSQL_ADMIN, f"CREATE DATABASE {db}"], check=True)
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = jiesu_env(Path(var_dir), PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{db}")
            env.update(PYTHONPATH=str(ROOT), JIESU_WARM_UP="0", JIESU_ENCODER="none", JIESU_SMS_BACKEND="file")
            log("migrating the scratch database")
            subprocess.run([sys.executable, "-m", "jiesu.cli", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
            tokens = json.loads(subprocess.run(
                [sys.executable, "-c", f"import django; django.setup()\n{SETUP}"], env=env, check=True, cwd=ROOT,
                capture_output=True, text=True).stdout.strip().splitlines()[-1])
            load = Load(free_port(), tokens["operator"], args.clients)
            rounds_of_kills(env, load.port, load, args)
            sent = Path(var_dir) / "sent.json"
            sent.write_text(json.dumps({"acknowledged": load.acknowledged, "retried": load.retried}))
            log("checking the database")
            found = json.loads(subprocess.run(
                [sys.executable, "-c", f"import django; django.setup()\n{CHECK}", str(sent)], env=env, check=True,
                cwd=ROOT, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    finally:
        subprocess.run([*PSQL_ADMIN, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=False)
    print(json.dumps({"kills": args.rounds, "clients": args.clients, "workers": args.workers,
                      "threads": args.threads, "acknowledged": len(load.acknowledged),
                      "unanswered_then_retried": len(load.unanswered), "retry_statuses": load.retry_statuses,
                      "other_statuses": load.other, **found,
                      "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"},
                     ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
