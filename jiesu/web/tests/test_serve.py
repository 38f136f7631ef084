"""`jiesu serve`: gunicorn by default (workers from the cores, one database connection a thread, an access log
without query strings), Django's auto-reloading server with --dev."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from jiesu.web import server
from jiesu.web.server import ServerOptions, default_workers, env_int, gunicorn_argv

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 3), (4, 5), (8, 9), (64, 9)])
def test_workers_follow_the_cores_within_bounds(cores: int, workers: int) -> None:
    assert default_workers(cores) == workers


def test_the_command_line_bounds_connections_and_logs_no_query_string() -> None:
    options = ServerOptions(host="::1", port=9000, workers=3, threads=4, pid_file="/run/jiesu.pid")
    argv = gunicorn_argv(options)
    assert argv[argv.index("--bind") + 1] == "[::1]:9000"
    assert argv[argv.index("--worker-class") + 1] == "gthread"
    assert argv[argv.index("--pid") + 1] == "/run/jiesu.pid"
    assert options.connections() == 12
    log_format = argv[argv.index("--access-logformat") + 1]
    assert "%(U)s" in log_format and "%(r)s" not in log_format and "%(q)s" not in log_format


def test_a_bad_number_in_the_environment_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIESU_WORKERS", "many")
    with pytest.raises(ImproperlyConfigured, match="JIESU_WORKERS"):
        env_int("JIESU_WORKERS", 0)


def test_dev_runs_the_reloading_development_server(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    monkeypatch.setattr("jiesu.web.management.commands.serve.call_command", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(server.os, "execv", lambda *a: pytest.fail("gunicorn must not start with --dev"))
    call_command("serve", "--dev", "--port", "8123")
    assert calls == [("runserver", "127.0.0.1:8123", "--insecure")]


def test_options_and_environment_reach_gunicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[ServerOptions] = []
    monkeypatch.setenv("JIESU_THREADS", "6")
    monkeypatch.setattr("jiesu.web.management.commands.serve.run", started.append)
    call_command("serve", "--workers", "2", "--port", "8124")
    assert (started[0].workers, started[0].threads, started[0].port, started[0].connections()) == (2, 6, 8124, 12)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, deadline: float) -> tuple[int, bytes]:
    status, _headers, body = _fetch(port, path, deadline)
    return status, body


def _fetch(port: int, path: str, deadline: float, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _assert_hashed_static_files_cached_for_long(port: int, deadline: float) -> None:
    """Without DEBUG (the real settings), the pages name their scripts and styles by content-hashed names that
    are cached for years (immutable), compressed when the browser accepts it; unhashed names only briefly."""
    status, _headers, page = _fetch(port, "/track/", deadline)  # public, needs no migrated database
    assert status == 200
    hashed = re.findall(r'/static/jiesu/[\w.-]+\.[0-9a-f]{12}\.(?:js|css)', page.decode())
    assert hashed, "the page names no hashed static file"
    for url in hashed:
        status, headers, body = _fetch(port, url, deadline, **{"Accept-Encoding": "gzip"})
        assert status == 200 and body
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
        assert headers["Content-Encoding"] == "gzip"
    status, headers, _body = _fetch(port, "/static/jiesu/app.js", deadline)
    assert "immutable" not in headers["Cache-Control"]


def test_gunicorn_serves_the_api_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("JIESU_")},
           "JIESU_VAR_DIR": str(tmp_path), "JIESU_WARM_UP": "0", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "jiesu.cli", "serve", "--port", str(port), "--workers", "1",
                                "--threads", "2"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        assert _get(port, "/api/v1/health?q=13812345678", deadline) == (200, b'{"status": "ok"}')
        status, body = _get(port, "/static/jiesu/app.js", deadline)
        assert status == 200 and body
        _assert_hashed_static_files_cached_for_long(port, deadline)
        os.kill(process.pid, signal.SIGHUP)  # the same pid is gunicorn's master: a graceful reload
        assert _get(port, "/api/v1/health", time.monotonic() + 60)[0] == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=60)[0].decode()
    assert "gthread" in output and '"GET /api/v1/health" 200' in output
    assert "13812345678" not in output
    assert "Handling signal: hup" in output  # reloaded, and answered again after it
    assert (tmp_path / "static" / "staticfiles.json").exists()  # collected by `jiesu serve` itself
