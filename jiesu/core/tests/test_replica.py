"""The read replica: the router's rules, and a real streaming replica on this machine proving that analytics read
from it while writes go to the primary (run in the PostgreSQL suite, where initdb and pg_basebackup exist)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from jiesu.core import replica
from jiesu.core.tests.replica_cluster import ReplicaPair, bin_dir

ROOT = Path(__file__).resolve().parents[3]


def test_reads_go_to_the_replica_only_inside_analytics_and_writes_never(monkeypatch):
    router = replica.ReplicaRouter()
    monkeypatch.setattr(replica, "replica_usable", lambda: True)
    assert router.db_for_read(None) is None  # the default database
    with replica.analytics_reads() as alias:
        assert alias == "replica" and router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        with replica.primary_reads():
            assert router.db_for_read(None) is None
    assert router.db_for_read(None) is None
    assert router.allow_migrate("default", "tickets") and not router.allow_migrate("replica", "tickets")


def test_without_a_usable_replica_analytics_read_from_the_primary(monkeypatch):
    replica.forget_lag()
    with replica.analytics_reads() as alias:  # none configured in the test settings
        assert alias == "default"
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 900.0)  # further behind than the tolerance
    with override_settings(JIESU_REPLICA_MAX_LAG_SECONDS=300), replica.analytics_reads() as alias:
        assert alias == "default"
    replica.forget_lag()
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 2.0)
    with replica.analytics_reads() as alias:
        assert alias == "replica"
    replica.forget_lag()


@pytest.mark.skipif(connection.vendor != "postgresql" or bin_dir() is None,
                    reason="a real replica is started in the PostgreSQL suite (needs initdb and pg_basebackup)")
def test_a_real_streaming_replica_serves_analytics_while_writes_go_to_the_primary(tmp_path):
    port = 55400 + (os.getpid() % 50) * 2
    pair = ReplicaPair(Path("/tmp") / f"jiesu-replica-{os.getpid()}", port).start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIESU_")}
        env.update(JIESU_DATABASE_URL=pair.url("postgres"), JIESU_REPLICA_DATABASE_URL=pair.url("postgres", replica=True),
                   JIESU_VAR_DIR=str(tmp_path), JIESU_DEBUG="0", DJANGO_SETTINGS_MODULE="jiesu.settings",
                   JIESU_SECRET_KEY="replica-test-only-secret-" + "x" * 30, JIESU_ALLOWED_HOSTS="testserver",
                   REPLICA_PROBE_TOKENS=str(tmp_path / "tokens.json"))
        run = subprocess.run([sys.executable, str(Path(__file__).with_name("replica_probe.py"))], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        assert "REPLICA-OK" in run.stdout, run.stdout[-2000:] + run.stderr[-4000:]
    finally:
        pair.stop()
