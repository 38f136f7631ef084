"""The figures engine at a province's scale: the month's figures from the daily facts against the naive GROUP BY.

    .venv/bin/python benchmarks/figures_engine.py --tickets 5000000 [--months 24] [--units 400] [--keep]
    .venv/bin/python benchmarks/figures_engine.py --reuse jiesu_bench_engine_123 [--rebuild]  # measure a kept one again

Creates a scratch PostgreSQL database (dropped at the end unless --keep), migrates it (tickets, assignments and
events partitioned by month), a city of --units units (职能部门), 8 first-level categories with 3 sub-categories
each and 10 districts with 5 streets each, then generates the tickets inside PostgreSQL (INSERT … SELECT over
generate_series, every draw a hash of the ticket id, so a run is repeatable): per ticket its lead assignment,
reply, follow-up call and events (受理、派单、签收、答复、回访、办结; 2 % answered directly, 0.6 % not accepted;
late dispatches, signs, contacts and replies, returns asked and refused, approved extensions, urges and re-openings
at a few per cent each), spread evenly over the last --months months. Progress on stderr.

Then, through the product's own code:
- `jiesu figures rebuild` (facts.rebuild: every figure's items to facts, then the daily sums), timed;
- the month before last — a closed month — for all units: `queries.compute(city, month, group_by="unit")` from the
  daily facts (--runs times) and naively (the same figures as GROUP BYs over tickets, assignments, replies, follow-up
  calls and events, --naive-runs times), and the city's headline figures both ways; the two results compared cell by
  cell (they must be equal);
- `facts.refresh()` with nothing stale (what every page pays before reading).

Prints JSON: p50/max per operation, the ratio naive/facts, whether they are equal, row counts and sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from api_throughput import pg_admin  # noqa: E402
from scale_partitions import configure  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
CHUNK = 250_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def city(units: int) -> dict[str, Any]:
    from jiesu.catalog.models import Category, Channel
    from jiesu.org.models import Membership, Region, Unit, User

    centre = Unit.objects.create(code="centre", name="热线中心", kind=Unit.Kind.CENTRE)
    made = Unit.objects.bulk_create([Unit(code=f"bench{n:04d}", name=f"承办单位{n:04d}", kind=Unit.Kind.DEPARTMENT)
                                     for n in range(units)])
    categories = []
    for n in range(8):
        top = Category.objects.create(code=f"B{n}", name=f"大类{n}", level=1)
        categories += [Category.objects.create(code=f"B{n}-{m}", name=f"小类{n}-{m}", level=2, parent=top).pk
                       for m in range(3)]
    city_region = Region.objects.create(code="980000000000", name="基准市", level=Region.Level.CITY)
    streets = []
    for n in range(10):
        district = Region.objects.create(code=f"99{n:02d}00000000", name=f"区{n}", level=Region.Level.DISTRICT,
                                         parent=city_region)
        streets += [Region.objects.create(code=f"99{n:02d}{m + 1:03d}00000", name=f"街道{n}-{m}",
                                          level=Region.Level.STREET, parent=district).pk for m in range(5)]
    operator = User.objects.create_user(username="engine-operator", display_name="operator")
    Membership.objects.create(user=operator, unit=centre, role="operator", scope="city")
    return {"units": sorted(u.pk for u in made), "categories": categories, "streets": streets,
            "channels": sorted(Channel.objects.values_list("pk", flat=True)), "user": operator.pk}


def _pick(values: list[int], salt: int) -> str:
    """One of ``values``, chosen by a hash of the ticket id (column g)."""
    return f"(ARRAY[{','.join(map(str, values))}])[1 + (hashint8extended(g, {salt}) & 2147483647) %% {len(values)}]"


def _r(salt: int, column: str = "g") -> str:
    """A draw in 0..1023 from a hash of ``column``."""
    return f"(hashint8extended({column}, {salt}) & 1023)"


def _ticket_sql(world: dict[str, Any]) -> str:
    kind = (f"CASE WHEN {_r(6)} < 30 THEN 'praise' WHEN {_r(6)} < 520 THEN 'complaint' WHEN {_r(6)} < 760 "
            f"THEN 'help' WHEN {_r(6)} < 920 THEN 'consultation' ELSE 'suggestion' END")
    return f"""
    INSERT INTO tickets_ticket (id, number, query_code, status, version, requester_name, requester_phone,
        is_anonymous, is_whistleblower, kind, address, urgency, title, content, closing_type, answer_text,
        reject_reason, reject_route, reopen_count, created_at, updated_at, clock_started_at, closed_at,
        dispatch_due_at, dispatch_overdue_at, dispatched_at, next_due_at, category_id, channel_id, lead_unit_id,
        region_id)
    SELECT g, 'B' || lpad(g::text, 12, '0'), lpad(((hashint8extended(g, 3) & 1048575) %% 1000000)::text, 6, '0'),
        CASE WHEN ending < 20 THEN 'closed' WHEN ending < 26 THEN 'rejected'
             WHEN created < %(recent)s THEN 'closed' ELSE 'in_progress' END,
        4, '张三', '13' || lpad(((hashint8extended(g, 4) & 1073741823) %% 1000000000)::text, 9, '0'),
        {_r(5)} < 20, false, {kind}, '阳光新城小区', 'normal', '小区暖气不热', '家里暖气一直不热，室温只有十二度。',
        CASE WHEN ending < 20 THEN 'answered' WHEN ending >= 26 AND created < %(recent)s THEN 'handled' ELSE '' END,
        '', '', '', 0, created, created, created,
        CASE WHEN ending < 26 THEN created + interval '10 minutes'
             WHEN created < %(recent)s THEN created + interval '1 day' * (2 + {_r(7)} %% 5) END,
        created + interval '30 minutes',
        CASE WHEN ending >= 26 AND late_dispatch THEN created + interval '30 minutes' END,
        CASE WHEN ending >= 26 THEN created + CASE WHEN late_dispatch THEN interval '55 minutes'
                                                   ELSE interval '12 minutes' END END,
        CASE WHEN ending >= 26 AND created >= %(recent)s THEN created + interval '5 days' END,
        {_pick(world["categories"], 8)}, {_pick(world["channels"], 9)},
        CASE WHEN ending >= 26 THEN {_pick(world["units"], 1)} END, {_pick(world["streets"], 10)}
    FROM (SELECT g, %(start)s + (g - %(first)s) * %(step)s * interval '1 second' AS created,
                 {_r(2)} AS ending, {_r(11)} < 40 AS late_dispatch
          FROM generate_series(%(lo)s, %(hi)s) g) s"""


ASSIGNMENT_SQL = f"""
    INSERT INTO tickets_assignment (id, role, status, is_current, dispatched_at, note, sign_due_at, sign_overdue_at,
        signed_at, contact_due_at, contacted_at, reply_due_at, reply_overdue_at, replied_at, return_reason,
        extension_count, extension_reason, urge_count, unit_id, ticket_id)
    SELECT g, 'lead', CASE WHEN closed_at IS NULL THEN 'signed' ELSE 'done' END, true, dispatched_at, '',
        dispatched_at + interval '2 hours',
        CASE WHEN {_r(12)} < 60 THEN dispatched_at + interval '2 hours' END,
        dispatched_at + CASE WHEN {_r(12)} < 60 THEN interval '3 hours' ELSE interval '30 minutes' END,
        dispatched_at + interval '1 day',
        dispatched_at + CASE WHEN {_r(13)} < 50 THEN interval '30 hours' ELSE interval '4 hours' END,
        CASE WHEN closed_at IS NULL OR {_r(14)} >= 50 THEN dispatched_at + interval '5 days'
             ELSE closed_at - interval '2 days' END,
        CASE WHEN closed_at IS NOT NULL AND {_r(14)} < 50 THEN closed_at - interval '2 days' END,
        closed_at - interval '1 day', '', CASE WHEN {_r(15)} < 20 THEN 1 ELSE 0 END, '', 0, lead_unit_id, g
    FROM (SELECT id AS g, dispatched_at, closed_at, lead_unit_id FROM tickets_ticket
          WHERE id BETWEEN %(lo)s AND %(hi)s AND lead_unit_id IS NOT NULL) t"""

REPLY_SQL = """
    INSERT INTO tickets_reply (id, result, basis, created_at, review_decision, review_note, assignment_id,
        created_by_id)
    SELECT id, '已处理', '', replied_at, 'approve', '', id, %(user)s FROM tickets_assignment
    WHERE id BETWEEN %(lo)s AND %(hi)s AND replied_at IS NOT NULL"""

VISIT_SQL = f"""
    INSERT INTO tickets_visit (id, outcome, resolution, satisfaction, note, created_at, created_by_id, ticket_id)
    SELECT g, CASE WHEN {_r(16)} < 150 THEN 'unreachable' ELSE 'reached' END,
        CASE WHEN {_r(16)} < 150 THEN '' WHEN {_r(17)} < 900 THEN 'resolved' WHEN {_r(17)} < 960 THEN 'partly'
             ELSE 'unresolved' END,
        CASE WHEN {_r(16)} < 150 THEN '' WHEN {_r(18)} < 850 THEN 'satisfied' WHEN {_r(18)} < 960 THEN 'basic'
             ELSE 'dissatisfied' END,
        '', closed_at - interval '2 hours', %(user)s, g
    FROM (SELECT id AS g, closed_at FROM tickets_ticket
          WHERE id BETWEEN %(lo)s AND %(hi)s AND closing_type = 'handled') t"""

# (action, moment, condition, data) — one INSERT each; every event names its ticket and, where the figures read
# it, the assignment (the assignment's id is the ticket's here).
EVENTS = [
    ("accept", "t.created_at", "true", "'{}'"),
    ("dispatch", "t.dispatched_at", "t.dispatched_at IS NOT NULL", "jsonb_build_object('assignment', t.id)"),
    ("sign", "a.signed_at", "a.id IS NOT NULL", "jsonb_build_object('assignment', t.id)"),
    ("request_return", "a.signed_at + interval '1 hour'", f"a.id IS NOT NULL AND {_r(19, 't.id')} < 30",
     "jsonb_build_object('assignment', t.id)"),
    ("review_return", "a.signed_at + interval '3 hours'", f"a.id IS NOT NULL AND {_r(19, 't.id')} < 15",
     "jsonb_build_object('assignment', t.id, 'decision', 'refuse')"),
    ("review_extension", "a.signed_at + interval '1 day'", "a.extension_count > 0",
     "jsonb_build_object('assignment', t.id, 'decision', 'approve')"),
    ("urge", "a.signed_at + interval '20 hours'", f"a.id IS NOT NULL AND {_r(20, 't.id')} < 20", "'{}'"),
    ("reply", "a.replied_at", "a.replied_at IS NOT NULL", "jsonb_build_object('assignment', t.id)"),
    ("visit", "t.closed_at - interval '2 hours'", "t.closing_type = 'handled'", "'{}'"),
    ("reopen", "t.closed_at - interval '1 hour'", f"t.closing_type = 'handled' AND {_r(21, 't.id')} < 10", "'{}'"),
    ("close", "t.closed_at", "t.closing_type = 'handled'", "'{}'"),
    ("answer", "t.closed_at", "t.closing_type = 'answered'", "'{}'"),
    ("reject", "t.closed_at", "t.status = 'rejected'", "'{}'"),
]


def _event_sql(action: str, moment: str, condition: str, data: str) -> str:
    return f"""
    INSERT INTO core_event (occurred_at, subject_type, subject_id, action, actor_unit_name, actor_role, before,
        after, reason, data, request_id)
    SELECT {moment}, 'ticket', t.id::text, '{action}', '', 'operator', '{{}}', '{{}}', '', {data}, ''
    FROM tickets_ticket t LEFT JOIN tickets_assignment a ON a.id = t.id AND a.ticket_id = t.id
    WHERE t.id BETWEEN %(lo)s AND %(hi)s AND {condition}"""


def generate(world: dict[str, Any], tickets: int, months: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from jiesu.core import partitions

    end = datetime.now(TZ).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=round(30.4 * months))
    partitions.ensure(end.date(), months_ahead=1, since=start.date())
    first = 1
    params = {"start": start, "first": first, "step": (end - start).total_seconds() / tickets,
              "recent": end - timedelta(days=10), "user": world["user"]}
    statements = [_ticket_sql(world), ASSIGNMENT_SQL, REPLY_SQL, VISIT_SQL, *[_event_sql(*e) for e in EVENTS]]
    began = time.monotonic()
    for lo in range(first, first + tickets, CHUNK):
        hi = min(lo + CHUNK, first + tickets) - 1
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, {**params, "lo": lo, "hi": hi})
        done = hi - first + 1
        log(f"  {done:,}/{tickets:,} tickets ({done / (time.monotonic() - began):,.0f}/s)")
    with connection.cursor() as cursor:
        for table in ("tickets_ticket", "tickets_assignment", "tickets_reply", "tickets_visit"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
        log("ANALYZE")
        cursor.execute("ANALYZE")
    return {"start": start.isoformat(), "end": end.isoformat()}


def timed(runs: int, work: Any) -> tuple[dict[str, float], Any]:
    spent, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        spent.append((time.perf_counter() - began) * 1000)
    return {"p50_ms": round(statistics.median(spent), 1), "max_ms": round(max(spent), 1)}, result


def counts() -> dict[str, Any]:
    from django.db import connection

    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in ("tickets_ticket", "tickets_assignment", "tickets_reply", "tickets_visit", "core_event",
                      "evaluation_fact", "evaluation_factday"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            out[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), "
                       "pg_size_pretty(pg_total_relation_size('evaluation_factday'))")
        out["database_size"], out["factday_size"] = cursor.fetchone()
    return out


def measure(runs: int, naive_runs: int) -> dict[str, Any]:
    from django.utils import timezone

    from jiesu.evaluation import facts
    from jiesu.evaluation.periods import Period
    from jiesu.evaluation.queries import FigureScope, compute
    from jiesu.evaluation.tests.conftest import comparable

    first = timezone.localdate().replace(day=1)
    month_end = (first - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    month = Period(month_end.replace(day=1), month_end)
    scope = FigureScope(None, viewer_city_wide=True)
    out: dict[str, Any] = {"month": f"{month.start:%Y-%m}"}
    log(f"measuring {out['month']}: facts ×{runs}")
    out["refresh_nothing_stale"], _ = timed(runs, lambda: facts.refresh())
    out["facts_by_unit"], fast = timed(runs, lambda: compute(scope, month, group_by="unit", fresh=False))
    out["facts_headline"], fast_total = timed(runs, lambda: compute(scope, month, fresh=False))
    out["units_listed"] = len(fast.groups)
    out["month_tickets"] = fast.city["accepted"].denominator
    if not naive_runs:  # --naive-runs 0: the facts only (a kept database measured again)
        return out
    log(f"naive ×{naive_runs}")
    out["naive_by_unit"], naive = timed(naive_runs, lambda: compute(scope, month, group_by="unit", naive=True))
    out["naive_headline"], naive_total = timed(naive_runs, lambda: compute(scope, month, naive=True))
    out["ratio_by_unit"] = round(out["naive_by_unit"]["p50_ms"] / out["facts_by_unit"]["p50_ms"], 1)
    out["ratio_headline"] = round(out["naive_headline"]["p50_ms"] / out["facts_headline"]["p50_ms"], 1)
    out["equal"] = comparable(fast) == comparable(naive) and comparable(fast_total) == comparable(naive_total)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--reuse", help="measure a database kept by an earlier run (nothing generated)")
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: rebuild the facts first")
    args = parser.parse_args()
    name = args.reuse or f"jiesu_bench_engine_{os.getpid()}"
    if not args.reuse:
        pg_admin(f'CREATE DATABASE "{name}"')
    configure(name)
    result: dict[str, Any] = {} if args.reuse else {"tickets": args.tickets, "months": args.months,
                                                     "units": args.units}  # a kept database: counts() says
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from jiesu.evaluation import facts

        if not args.reuse:
            log(f"migrating {name}")
            call_command("migrate", verbosity=0)
            world = city(args.units)
            log(f"generating {args.tickets:,} tickets in the database")
            began = time.monotonic()
            result["span"] = generate(world, args.tickets, args.months)
            result["generate_s"] = round(time.monotonic() - began)
        if not args.reuse or args.rebuild:
            log("jiesu figures rebuild")
            began = time.monotonic()
            result["facts_written"] = facts.rebuild(progress=log)
            result["rebuild_s"] = round(time.monotonic() - began)
        result.update(measure(args.runs, args.naive_runs))
        result.update(counts())
        result["measured_at"] = datetime.now(TZ).isoformat(timespec="minutes")
        result["load_1min"] = round(os.getloadavg()[0], 1)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep and not args.reuse:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            log(f"kept database {name}")


if __name__ == "__main__":
    main()
