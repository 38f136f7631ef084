"""A province's volume on partitioned PostgreSQL: lookups and the month's figures at 1 M and 10 M tickets.

    .venv/bin/python benchmarks/scale_partitions.py --tickets 1000000 [--events-per-ticket 5] [--months 24] [--keep]

Creates a scratch database (dropped at the end unless --keep), migrates it (tickets, assignments and events
partitioned by month), a small city (40 units), then streams the tickets, one assignment each and their events
into the partitioned tables with COPY (progress on stderr), spread evenly over the last ``--months`` months;
event payloads are compact but of the real shape (status and deadlines changed). Then, in this process through
the product's own code (Django test client for the API, the queries module for the rest), 200 samples each:

- ticket page: GET /api/v1/tickets/{number} and /events for a random ticket (as the centre);
- desk queue: a unit handler's 待签收 queue, first page, and its count;
- search by number (GET /api/v1/tickets?q=<number>) and by the caller's phone (intake's caller history);
- the month's figures: tickets received, dispatched, closed and overdue by lead unit for the last full month,
  GROUP BY over its partitions (the figures engine of issue 11 replaces this when it lands).

Prints JSON with p50/p95 per operation, row counts and the database size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from api_throughput import PG_ADMIN_URL, pg_admin  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
UNITS = 40
SAMPLES = 200


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def configure(name: str) -> None:
    var_dir = tempfile.mkdtemp(prefix="jiesu-scale-")
    for key in [k for k in os.environ if k.startswith("JIESU_")]:
        del os.environ[key]
    os.environ.update(JIESU_VAR_DIR=var_dir, JIESU_DATABASE_URL=PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
                      JIESU_DEBUG="0", JIESU_SECRET_KEY="benchmark-only-secret-key-" + "x" * 30,
                      JIESU_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="jiesu.settings")


def city() -> dict:
    from jiesu.api.tokens import create_token
    from jiesu.catalog.models import Category, Channel
    from jiesu.org.models import Membership, Unit, User

    centre = Unit.objects.create(code="centre", name="热线中心", kind=Unit.Kind.CENTRE)
    units = [Unit.objects.create(code=f"u{n:02d}", name=f"承办单位{n:02d}", kind=Unit.Kind.DEPARTMENT)
             for n in range(UNITS)]
    parent = Category.objects.create(code="B1", name="城乡建设", level=1)
    category = Category.objects.create(code="B1-01", name="供热", level=2, parent=parent)
    operator = User.objects.create_user(username="scale-operator", display_name="operator")
    Membership.objects.create(user=operator, unit=centre, role="operator", scope="city")
    Membership.objects.create(user=operator, unit=centre, role="dispatcher", scope="city")
    handler = User.objects.create_user(username="scale-handler", display_name="handler")
    Membership.objects.create(user=handler, unit=units[0], role="handler", scope="unit")
    return {"units": [u.pk for u in units], "category": category.pk, "channel": Channel.objects.get(code="phone").pk,
            "operator": operator, "handler": handler, "token": create_token(operator, name="scale")[1]}


def _columns(cursor, table: str) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
                   "WHERE table_name = %s ORDER BY ordinal_position", [table])
    return cursor.fetchall()


def _line(columns: list[tuple[str, str, bool]], values: dict) -> str:  # type: ignore[type-arg]
    out = []
    for name, kind, nullable in columns:
        if name in values and not name.startswith("_"):
            value = values[name]
        elif nullable:
            value = None
        else:
            value = {"boolean": "f", "integer": 0, "smallint": 0, "bigint": 0, "jsonb": "{}",
                     "timestamp with time zone": values.get("_moment", "")}.get(kind, "")
        out.append("\\N" if value is None else str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " "))
    return "\t".join(out) + "\n"


def generate(world: dict, tickets: int, events_per_ticket: int, months: int) -> dict:  # type: ignore[type-arg]
    from django.conf import settings
    from django.db import connection

    from jiesu.core import partitions

    end = datetime.now(TZ).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=30.4 * months)
    partitions.ensure(end.date(), months_ahead=1, since=start.date())
    step = (end - start) / tickets
    rng = random.Random(17)
    with connection.cursor() as cursor:
        cols = {t: _columns(cursor, t) for t in ("tickets_ticket", "tickets_assignment", "core_event")}
        cursor.execute("SELECT nextval('tickets_ticket_id_seq'), nextval('tickets_assignment_id_seq'), "
                       "nextval('core_event_id_seq')")
        first_t, first_a, first_e = cursor.fetchone()
    per_day: dict[date, int] = {}
    raw = connection.connection  # psycopg connection under Django's
    batch = 50_000
    done = 0
    started = time.monotonic()
    while done < tickets:
        count = min(batch, tickets - done)
        lines = {"tickets_ticket": [], "tickets_assignment": [], "core_event": []}  # type: dict[str, list[str]]
        for i in range(done, done + count):
            created = start + step * i
            day = created.date()
            per_day[day] = per_day.get(day, 0) + 1
            tid, aid = first_t + i, first_a + i
            unit = world["units"][rng.randrange(UNITS)]
            closed = created < end - timedelta(days=10) and rng.random() < 0.96
            status = "closed" if closed else rng.choice(["assigned", "in_progress", "replied"])
            dispatched, due = created + timedelta(minutes=20), created + timedelta(days=5)
            lines["tickets_ticket"].append(_line(cols["tickets_ticket"], {
                "id": tid, "number": f"{settings.CITY_CODE}{day:%Y%m%d}{per_day[day]:06d}",
                "query_code": f"{rng.randrange(10**6):06d}", "status": status, "version": 4,
                "requester_name": "张三", "requester_phone": f"13{rng.randrange(10**9):09d}", "kind": "complaint",
                "category_id": world["category"], "channel_id": world["channel"], "urgency": "normal",
                "title": "小区暖气不热", "content": "家里暖气一直不热，室温只有十二度，请尽快处理。", "address": "阳光新城小区",
                "lead_unit_id": unit, "created_at": created.isoformat(), "clock_started_at": created.isoformat(),
                "dispatched_at": dispatched.isoformat(), "dispatch_due_at": (created + timedelta(minutes=30)).isoformat(),
                "closed_at": (created + timedelta(days=4)).isoformat() if closed else None,
                "next_due_at": None if closed else due.isoformat(), "reopen_count": 0, "_moment": created.isoformat(),
            }))
            lines["tickets_assignment"].append(_line(cols["tickets_assignment"], {
                "id": aid, "ticket_id": tid, "unit_id": unit, "role": "lead",
                "status": "replied" if closed else "pending_sign", "is_current": "t",
                "dispatched_at": dispatched.isoformat(), "sign_due_at": (dispatched + timedelta(hours=2)).isoformat(),
                "reply_due_at": due.isoformat(), "extension_count": 0, "urge_count": 0, "_moment": dispatched.isoformat(),
            }))
            for n in range(events_per_ticket):
                action = ["accept", "dispatch", "sign", "reply", "close"][n % 5]
                after = json.dumps({"status": status if n == events_per_ticket - 1 else action, "version": n + 1},
                                   separators=(",", ":"))
                lines["core_event"].append(_line(cols["core_event"], {
                    "id": first_e + i * events_per_ticket + n, "occurred_at": (created + timedelta(hours=n * 6)).isoformat(),
                    "subject_type": "ticket", "subject_id": tid, "action": action, "actor_unit_name": "",
                    "actor_role": "operator", "before": "{}", "after": after, "reason": "", "data": "{}",
                    "request_id": "",
                }))
        for table, rows in lines.items():
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table} ({', '.join(c[0] for c in cols[table])}) FROM STDIN") as copy:
                copy.write("".join(rows))
        raw.commit()
        done += count
        rate = done / (time.monotonic() - started)
        log(f"  {done:,}/{tickets:,} tickets ({rate:,.0f}/s, {done * events_per_ticket:,} events)")
    with connection.cursor() as cursor:
        for seq, used in (("tickets_ticket_id_seq", first_t + tickets), ("tickets_assignment_id_seq", first_a + tickets),
                          ("core_event_id_seq", first_e + tickets * events_per_ticket)):
            cursor.execute(f"SELECT setval('{seq}', {used})")
        log("ANALYZE")
        cursor.execute("ANALYZE tickets_ticket, tickets_assignment, core_event")
    return {"start": start, "end": end, "first_ticket": first_t}


def timed(samples: int, run) -> dict:  # type: ignore[no-untyped-def]
    spent = []
    for n in range(samples):
        began = time.perf_counter()
        run(n)
        spent.append((time.perf_counter() - began) * 1000)
    q = statistics.quantiles(spent, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2)}


def measure(world: dict, made: dict, tickets: int) -> dict:  # type: ignore[type-arg]
    from django.db import connection
    from django.test import Client

    from jiesu.intelligence.suggest import requester_history
    from jiesu.tickets import queries

    client, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    rng = random.Random(5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, requester_phone FROM tickets_ticket TABLESAMPLE SYSTEM (1) LIMIT %s",
                       [SAMPLES * 3])
        picks = cursor.fetchall()
    rng.shuffle(picks)

    def page(n: int) -> None:
        number = picks[n][0]
        assert client.get(f"/api/v1/tickets/{number}", **auth).status_code == 200
        assert client.get(f"/api/v1/tickets/{number}/events", **auth).status_code == 200

    def desk(n: int) -> None:
        qs = queries.queue(world["handler"], "to_sign").order_by("next_due_at")
        list(qs[:50])
        qs.count()

    def by_number(n: int) -> None:
        found = client.get("/api/v1/tickets", {"q": picks[n][0], "page_size": 10}, **auth)
        assert found.status_code == 200

    def by_phone(n: int) -> None:
        requester_history(world["operator"], picks[n][1])

    last_month_end = made["end"].date().replace(day=1)
    last_month = (last_month_end - timedelta(days=1)).replace(day=1)

    def figures(n: int) -> None:
        start = datetime.combine(last_month, datetime.min.time(), tzinfo=TZ)
        stop = datetime.combine(last_month_end, datetime.min.time(), tzinfo=TZ)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT lead_unit_id, count(*), count(dispatched_at), count(closed_at), "
                "count(*) FILTER (WHERE next_due_at < now()) FROM tickets_ticket "
                "WHERE created_at >= %s AND created_at < %s GROUP BY lead_unit_id", [start, stop])
            cursor.fetchall()

    page(0)  # warm the process's copies
    return {
        "ticket_page": timed(SAMPLES, page), "desk_queue": timed(SAMPLES, desk),
        "search_by_number": timed(SAMPLES, by_number), "search_by_phone": timed(SAMPLES, by_phone),
        "month_figures": timed(20, figures), "month": f"{last_month:%Y-%m}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--events-per-ticket", type=int, default=5)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    name = f"jiesu_bench_scale_{os.getpid()}"
    pg_admin(f'CREATE DATABASE "{name}"')
    configure(name)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        log(f"migrating {name}")
        call_command("migrate", verbosity=0)
        world = city()
        log(f"generating {args.tickets:,} tickets with COPY")
        began = time.monotonic()
        made = generate(world, args.tickets, args.events_per_ticket, args.months)
        generated_s = time.monotonic() - began
        log("measuring")
        result = measure(world, made, args.tickets)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        print(json.dumps({"tickets": args.tickets, "events": args.tickets * args.events_per_ticket,
                          "months": args.months, "generate_s": round(generated_s), "database_size": size, **result},
                         ensure_ascii=False), flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            log(f"kept database {name}")


if __name__ == "__main__":
    main()
