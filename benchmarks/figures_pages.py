"""The figures pages on the demo city: server time to render the dashboard, a unit's page and a ticket list.

    .venv/bin/python benchmarks/figures_pages.py [--runs 20] [--keep DIR]

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


def measure(runs: int) -> list[dict[str, Any]]:
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
              "last_month": f"{(first - timezone.timedelta(days=1)):%Y-%m}"}
    results = []
    for name, username, template in PAGES:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", help="use (or make) the demo city in this folder and keep it")
    args = parser.parse_args()
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
