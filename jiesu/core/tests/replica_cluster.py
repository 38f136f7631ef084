"""A primary and a streaming replica of it, two throw-away PostgreSQL clusters on this machine (for the replica
test and for trying the router by hand):

    .venv/bin/python -m jiesu.core.tests.replica_cluster /tmp/jiesu-replica 55432    # prints both URLs; Ctrl-C stops

The primary is a fresh `initdb` (trust on loopback, wal_level=replica); the replica is its `pg_basebackup -R`,
started on the next port, streaming. Both are removed when stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

SEARCH = [Path("/usr/lib/postgresql/15/bin"), Path("/usr/local/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"))]


def bin_dir() -> Path | None:
    return next((d for d in SEARCH if (d / "initdb").exists() and (d / "pg_basebackup").exists()), None)


def _run(*cmd: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    args = [str(c) for c in cmd]
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=check, capture_output=True, text=True, timeout=120)


class ReplicaPair:
    def __init__(self, base: Path, port: int):
        found = bin_dir()
        if found is None:
            raise RuntimeError("initdb / pg_basebackup not found")
        self.bin, self.base, self.port = found, base, port
        self.primary, self.replica = base / "primary", base / "replica"

    def url(self, database: str, *, replica: bool = False) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port + (1 if replica else 0)}/{database}"

    def start(self) -> ReplicaPair:
        shutil.rmtree(self.base, ignore_errors=True)
        self.base.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        _run(self.bin / "initdb", "-D", self.primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        settings = (f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.base}'\n"
                    "wal_level = replica\nmax_wal_senders = 4\nfsync = off\nshared_buffers = 32MB\n")
        _run("sh", "-c", f"cat >> '{self.primary}/postgresql.conf' <<'EOF'\n{settings}EOF")
        _run(self.bin / "pg_ctl", "-D", self.primary, "-l", self.base / "primary.log", "-w", "start")
        _run(self.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-D", self.replica, "-R", "-X", "stream")
        _run("sh", "-c", f"echo 'port = {self.port + 1}' >> '{self.replica}/postgresql.auto.conf'")
        _run(self.bin / "pg_ctl", "-D", self.replica, "-l", self.base / "replica.log", "-w", "start")
        self._wait_streaming()
        return self

    def _wait_streaming(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            out = _run(self.bin / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-Atc",
                       "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", check=False)
            if out.stdout.strip() == "1":
                return
            time.sleep(0.3)
        raise RuntimeError("the replica did not start streaming within 30 s")

    def stop(self) -> None:
        for data in (self.replica, self.primary):
            if data.exists():
                _run(self.bin / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)


if __name__ == "__main__":
    pair = ReplicaPair(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/jiesu-replica"),
                       int(sys.argv[2]) if len(sys.argv) > 2 else 55432).start()
    print(f"primary {pair.url('postgres')}\nreplica {pair.url('postgres', replica=True)}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pair.stop()
