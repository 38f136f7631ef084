"""Run by test_replica.py in a process of its own, against a primary and its streaming replica (env:
JIESU_DATABASE_URL, JIESU_REPLICA_DATABASE_URL): writes go to the primary, analytics read from the replica,
and without a usable replica analytics read from the primary. Prints REPLICA-OK when every check held."""

from __future__ import annotations

import json
import time
import uuid

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from jiesu.core import replica  # noqa: E402
from jiesu.tickets.models import Ticket  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    exec(SETUP, {})
    tokens = json.loads(open(TOKENS).read())  # noqa: SIM115
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['operator']}"}
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True, "the replica alias is not a standby"
    with replica.analytics_reads() as alias:
        assert alias == replica.REPLICA
        created = client.post("/api/v1/tickets", json.dumps(TICKET), content_type="application/json",
                              HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **auth)  # a write, even in analytics
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    deadline = time.monotonic() + 15
    while not Ticket.objects.using("replica").filter(number=number).exists():
        assert time.monotonic() < deadline, "the ticket did not reach the replica in 15 s"
        time.sleep(0.1)
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        found = client.get("/api/v1/tickets", {"q": number}, **auth)
    assert found.status_code == 200 and [t["number"] for t in found.json()["results"]] == [number]
    assert any("tickets_ticket" in q["sql"] for q in on_replica.captured_queries), "the search did not use the replica"
    assert not any("tickets_ticket" in q["sql"] for q in on_primary.captured_queries), "the search read the primary"
    with connections["replica"].cursor() as cursor:  # writes never reach the replica: it refuses them anyway
        try:
            cursor.execute("INSERT INTO core_configstamp (id, token) VALUES (2, 0)")
            raise AssertionError("the replica accepted a write")
        except django.db.Error:
            pass
    print("REPLICA-OK", flush=True)


TOKENS = "/dev/null"
SETUP = ""
TICKET: dict = {}

if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from api_throughput import SETUP as BENCH_SETUP  # the same minimal city
    from api_throughput import TICKET as BENCH_TICKET

    TOKENS = os.environ["REPLICA_PROBE_TOKENS"]
    SETUP = BENCH_SETUP.replace("print(json.dumps(tokens))", f"open({TOKENS!r}, 'w').write(json.dumps(tokens))")
    TICKET = BENCH_TICKET
    main()
