"""The production server behind `jiesu serve`: gunicorn with threaded (gthread) workers, run in-process.

Workers and threads come from the cores unless set (options or JIESU_* variables). Every thread keeps at
most one database connection, so one server holds at most ``workers × threads`` connections to the database
(docs/deployment.md, docs/dev/decisions/database-connections.md). The access log never records a query string:
searches (``?q=`` with a phone number or a name) must not land in a log file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Remote address, method, path without the query, status, bytes, milliseconds, the request id we set.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
MAX_DEFAULT_WORKERS = 9  # 8 cores + 1: with 4 threads 36 connections, well inside PostgreSQL's default 100


def default_workers(cores: int | None = None) -> int:
    """One worker a core plus one (a worker waiting on the database leaves its core to the others), 2..9."""
    cores = cores or os.cpu_count() or 1
    return max(2, min(cores + 1, MAX_DEFAULT_WORKERS))


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0  # 0: default_workers()
    threads: int = 4
    timeout: int = 60  # a request still running after this is killed with its worker
    graceful_timeout: int = 30  # on reload or stop, the time running requests get to finish
    keepalive: int = 5
    max_requests: int = 2000  # a worker is replaced (gracefully) after this many requests, jitter 10 %
    access_log: str = "-"  # "-": standard output; "" switches it off
    pid_file: str = ""

    @property
    def bind(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return f"{host}:{self.port}"

    def worker_count(self) -> int:
        return self.workers or default_workers()

    def connections(self) -> int:
        """The most database connections this server can hold at once (one per worker thread)."""
        return self.worker_count() * self.threads


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def gunicorn_argv(options: ServerOptions) -> list[str]:
    """The gunicorn command line for these options."""
    argv = [
        sys.executable, "-m", "gunicorn", "jiesu.wsgi:application",
        "--bind", options.bind,
        "--worker-class", "gthread",
        "--workers", str(options.worker_count()),
        "--threads", str(options.threads),
        "--timeout", str(options.timeout),
        "--graceful-timeout", str(options.graceful_timeout),
        "--keep-alive", str(options.keepalive),
        "--max-requests", str(options.max_requests),
        "--max-requests-jitter", str(options.max_requests // 10),
        "--access-logformat", ACCESS_LOG_FORMAT,
        "--error-logfile", "-",
        "--name", "jiesu",
        "--forwarded-allow-ips", ",".join(settings.JIESU_FORWARDED_ALLOW_IPS),
    ]
    if _supports("control_socket_disable"):  # gunicorn ≥ 25: one shared socket path under ~ for every server
        argv.append("--no-control-socket")
    if options.access_log:
        argv += ["--access-logfile", options.access_log]
    if options.pid_file:
        argv += ["--pid", options.pid_file]
    return argv


def _supports(setting: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(known.name == setting for known in KNOWN_SETTINGS)


def run(options: ServerOptions) -> None:
    """Replace this process by gunicorn's master (same pid, for systemd). Its master never imports jiesu, so
    SIGHUP reloads gracefully with the code on disk: new workers start, the old ones finish their requests.
    SIGTERM stops gracefully; SIGTTIN/SIGTTOU add or remove a worker."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    argv = gunicorn_argv(options)
    os.execv(argv[0], argv)
