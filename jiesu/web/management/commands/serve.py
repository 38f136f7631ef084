"""`jiesu serve`: the production server (gunicorn, jiesu.web.server); `jiesu serve --dev`: Django's
auto-reloading development server. Static files are served by WhiteNoise in both; with hashed names (not DEBUG)
they are collected first, so one command is enough to start."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jiesu.core.security_checks import serving_errors
from jiesu.web.server import ServerOptions, default_workers, env_int, run


class Command(BaseCommand):
    help = "启动网页服务（生产：gunicorn；--dev：开发服务器）。Serve the application."
    requires_system_checks: list[str] = []  # checked below, with the deploy checks in production

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        env = os.environ.get
        parser.add_argument("--dev", action="store_true",
                            help="开发服务器（自动重载，仅限本机调试）。Django's runserver, reloads on change.")
        parser.add_argument("--host", default=env("JIESU_HOST", "127.0.0.1"), help="JIESU_HOST (127.0.0.1)")
        parser.add_argument("--port", type=int, default=env_int("JIESU_PORT", 8000), help="JIESU_PORT (8000)")
        parser.add_argument("--workers", type=int, default=env_int("JIESU_WORKERS", 0),
                            help=f"JIESU_WORKERS: worker processes (default cores + 1, 2..9; here {default_workers()})")
        parser.add_argument("--threads", type=int, default=env_int("JIESU_THREADS", 4),
                            help="JIESU_THREADS: threads per worker (4); each holds at most one database connection")
        parser.add_argument("--timeout", type=int, default=env_int("JIESU_TIMEOUT", 60),
                            help="JIESU_TIMEOUT: seconds a request may run before its worker is replaced (60)")
        parser.add_argument("--graceful-timeout", type=int, default=env_int("JIESU_GRACEFUL_TIMEOUT", 30),
                            help="JIESU_GRACEFUL_TIMEOUT: seconds running requests get on reload or stop (30)")
        parser.add_argument("--max-requests", type=int, default=env_int("JIESU_MAX_REQUESTS", 2000),
                            help="JIESU_MAX_REQUESTS: a worker is replaced after this many requests (2000)")
        parser.add_argument("--access-log", default=env("JIESU_ACCESS_LOG", "-"),
                            help="JIESU_ACCESS_LOG: file, '-' for standard output, '' for none (never query strings)")
        parser.add_argument("--pid-file", default=env("JIESU_PID_FILE", ""), help="JIESU_PID_FILE")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        for error in serving_errors(options["host"]):
            raise CommandError(f"{error.msg} {error.hint}")
        self._collect_static()
        if options["dev"]:
            call_command("runserver", f"{options['host']}:{options['port']}", "--insecure")
            return
        # In production (JIESU_ENV=production) the deploy checks too: an unsafe setting stops the start here.
        self.check(display_num_errors=False, include_deployment_checks=settings.JIESU_PRODUCTION)
        server = ServerOptions(
            host=options["host"], port=options["port"], workers=options["workers"], threads=options["threads"],
            timeout=options["timeout"], graceful_timeout=options["graceful_timeout"],
            max_requests=options["max_requests"], access_log=options["access_log"], pid_file=options["pid_file"])
        self.stdout.write(f"jiesu: gunicorn on http://{server.bind}/ — {server.worker_count()} workers × "
                          f"{server.threads} threads, at most {server.connections()} database connections")
        self.stdout.flush()
        run(server)

    def _collect_static(self) -> None:
        """Hashed names exist only once collected: the pages would fail to name their scripts without them."""
        if not isinstance(staticfiles_storage, ManifestFilesMixin):
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"jiesu: static files collected into {settings.STATIC_ROOT} (hashed names)")
