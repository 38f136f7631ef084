"""The figures pages on the demo city: server time to render the dashboard, a unit's page and a ticket list.

    .venv/bin/python benchmarks/figures_pages.py [--runs 20] [--keep DIR]
    JIESU_DATABASE_URL=postgres://… .venv/bin/python benchmarks/figures_pages.py --scale-units 400 --days 730

With --scale-units, the database of JIESU_DATABASE_URL (migrated, with the demo city: it is emptied of figures)
gets that many synthetic units (职能部门, marked demo) and --days of daily facts for each — every unit-level
figure a day, and the city's totals by category and district — written with COPY, as a province's two years
would leave them; the pages then read the month before last.

A scratch demo city (SQLite in a temporary JIESU_VAR_DIR, `jiesu migrate` + `jiesu demo`, which also fills the
figures' facts), then each page requested --runs times in this process through Django's test client as the
demo account that opens it (the whole request: middleware, session, the facts' refresh check, every query, the
template). Reports p50/p95/max milliseconds and the SQL statements per request, as JSON. The first request of a
page is reported apart (it builds the per-process caches).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PAGES = [  # (name, demo account, path)
    ("dashboard, this month", "analyst", "/figures/"),
    ("dashboard, last month", "analyst", "/figures/?period=month&on={last_month}"),
    ("dashboard, one unit with sub-units", "analyst", "/figures/?period=month&on={last_month}&unit=tiexi&subunits=1"),
    ("dashboard, a range of 30 days", "supervisor", "/figures/?period=range&from={from_30}&to={today}"),
    ("unit page as its handler", "handler-heating", "/figures/units/heating/?period=month&on={last_month}"),
    ("tickets behind a figure", "analyst",
     "/figures/tickets/?figure=accepted&from={from_30}&to={today}&part=denominator"),
]


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


SCALE_PAGES = [
    ("dashboard, a month of all units", "analyst", "/figures/?period=month&on={before_last}"),
    ("dashboard, 30 days", "analyst", "/figures/?period=range&from={from_30}&to={today}"),
    ("dashboard, a month, all units listed", "analyst", "/figures/?period=month&on={before_last}&units=all"),
    ("a synthetic unit's page", "supervisor", "/figures/units/bench0007/?period=month&on={before_last}"),
    ("the API's month for all units", "analyst", "/api/v1/figures?from={before_last}&group_by=unit"),
]


def measure(runs: int, scale: bool = False) -> list[dict[str, Any]]:
    import django
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    django.setup()
    from jiesu.org.models import User

    today = timezone.localdate()
    first = today.replace(day=1)
    values = {"today": today.isoformat(), "from_30": (today - timezone.timedelta(days=29)).isoformat(),
              "last_month": f"{(first - timezone.timedelta(days=1)):%Y-%m}",
              "before_last": f"{((first - timezone.timedelta(days=1)).replace(day=1) - timezone.timedelta(days=1)):%Y-%m}"}
    results = []
    for name, username, template in SCALE_PAGES if scale else PAGES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        path = template.format(**values)
        times, queries = [], 0
        for n in range(runs + 1):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} as {username}: {response.status_code}")
            if n == 0:
                cold = elapsed
            else:
                times.append(elapsed)
                queries = len(captured.captured_queries)
        times.sort()
        results.append({"page": name, "user": username, "path": path, "first_ms": round(cold, 1),
                        "p50_ms": round(statistics.median(times), 1),
                        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                        "max_ms": round(times[-1], 1), "queries": queries,
                        "bytes": len(response.content)})
        log(f"{name}: p50 {results[-1]['p50_ms']} ms, {queries} queries")
    return results


SCALE_CODES = ("assigned", "sign_timely", "reply_timely", "response_rate", "satisfaction_rate", "resolution_rate",
               "handling_satisfaction", "return_rate", "overdue", "extension_rate", "praise", "urged")


def scale_up(units: int, days: int) -> None:
    """Synthetic units and their daily facts (see the module's doc), written with COPY."""
    import random
    from datetime import timedelta

    import django
    from django.db import connection
    from django.utils import timezone

    django.setup()
    from jiesu.evaluation.models import ALL_UNITS, FactDay
    from jiesu.org.models import Unit

    rng = random.Random(11)
    root = Unit.objects.filter(parent__isnull=True).first()
    made = []
    for n in range(units):  # a second run reuses the units of the first
        unit = Unit.objects.filter(code=f"bench{n:04d}").first() or Unit(
            code=f"bench{n:04d}", name=f"基准单位{n:04d}", kind=Unit.Kind.DEPARTMENT, parent=root, is_demo=True)
        if unit.pk is None:
            unit.save()
        made.append(unit)
    FactDay.objects.all().delete()
    today = timezone.localdate()
    first = today - timedelta(days=days)

    def rows():  # type: ignore[no-untyped-def]
        for d in range(days):
            day = (first + timedelta(days=d)).isoformat()
            for unit in made:
                for code in SCALE_CODES:
                    den = rng.randint(0, 12)
                    yield (day, "", unit.pk, code, day, "", den, int(den * rng.uniform(0.6, 1.0) * 1000))
            for code in (*SCALE_CODES, "accepted", "closing_rate"):
                yield (day, "", ALL_UNITS, code, day, "", units * 6, units * 5000)
                for dim, keys in (("category", 25), ("region", 12)):
                    for key in range(1, keys + 1):
                        yield (day, dim, ALL_UNITS, code, day, str(key), units // 4, units * 200)

    started = time.perf_counter()
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            "COPY evaluation_factday (day, dim, unit_id, figure, num_day, key, den, num) FROM STDIN") as copy:
        for row in rows():
            copy.write_row(row)
            count += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluation_factday")
    log(f"{units} units, {count:,} daily facts in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", help="use (or make) the demo city in this folder and keep it")
    parser.add_argument("--scale-units", type=int, default=0, help="synthetic units (PostgreSQL, see above)")
    parser.add_argument("--days", type=int, default=730)
    args = parser.parse_args()
    if args.scale_units:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
        sys.path.insert(0, str(ROOT))
        scale_up(args.scale_units, args.days)
        results = measure(args.runs, scale=True)
        print(json.dumps({"runs": args.runs, "database": "postgresql", "units": args.scale_units, "days": args.days,
                          "pages": results}, ensure_ascii=False, indent=2))
        return
    var = args.keep or tempfile.mkdtemp(prefix="jiesu-figures-")
    os.environ.update({"JIESU_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "jiesu.settings"})
    os.environ.pop("JIESU_DATABASE_URL", None)
    try:
        if not (Path(var) / "jiesu.sqlite3").exists():
            for command in (["migrate", "--noinput", "-v0"], ["demo"]):
                log(f"jiesu {' '.join(command)} …")
                subprocess.run([sys.executable, "-m", "jiesu.cli", *command], env={**os.environ, "PYTHONPATH": str(ROOT)},
                               cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        sys.path.insert(0, str(ROOT))
        results = measure(args.runs)
        print(json.dumps({"runs": args.runs, "database": "sqlite (demo city)", "pages": results},
                         ensure_ascii=False, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
