"""Copying the database out and back in: SQLite through its online backup API (a consistent copy while the
server writes), PostgreSQL through pg_dump / pg_restore in their custom format. Used by jiesu.core.backup."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import connections

PG_TOOLS_HINT = ("PostgreSQL 的备份需要 pg_dump、pg_restore 和 psql"
                 "（Debian：apt-get install postgresql-client，版本不低于服务器）。")


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"不支持备份 {vendor} 数据库。")
    return vendor


def dump_file_name(engine: str) -> str:
    return "database.sqlite3" if engine == "sqlite" else "database.pgdump"


def dump(engine: str, target: Path, alias: str = "default") -> None:
    if engine == "postgresql":
        _pg_tool("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", alias=alias)
        return
    copy = sqlite3.connect(target)
    try:  # all pages in one step: a copy of one moment even while the server writes (writers wait meanwhile)
        _raw(alias).backup(copy, pages=-1)
    finally:
        copy.close()


def restore(engine: str, source: Path, alias: str = "default") -> None:
    if engine == "postgresql":
        # pg_restore --clean cannot drop partitions' inherited constraints; so the schema is emptied and filled
        # again by psql in one transaction: a failure anywhere leaves the database as it was.
        script = source.with_suffix(".sql")
        _pg_tool("pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(source), alias=None)
        connections[alias].close()
        _pg_tool("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                 "-c", "DROP SCHEMA IF EXISTS public CASCADE", "-c", "CREATE SCHEMA public",
                 "-f", str(script), alias=alias)
    else:
        copy = sqlite3.connect(source)
        try:
            copy.backup(_raw(alias), pages=-1)
        finally:
            copy.close()
    connections[alias].close()


def _raw(alias: str) -> Any:
    """The open sqlite3 connection Django uses (an in-memory test database has no other way in)."""
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def check_pg_tools() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        raise CommandError(f"找不到 {', '.join(missing)}。{PG_TOOLS_HINT}")


def _pg_tool(tool: str, *args: str, alias: str | None) -> None:
    """Runs a PostgreSQL client tool against the alias's database (None: no database, e.g. to write a script)."""
    check_pg_tools()
    env, command = {**os.environ}, [tool, *args]
    if alias is not None:
        settings = connections[alias].settings_dict
        if settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(settings["PASSWORD"])
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command.append(f"{flag}={settings[key]}")
        command.append(f"--dbname={settings['NAME']}")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{tool} 失败（{result.returncode}）：{result.stderr.strip()[-2000:]}\n{PG_TOOLS_HINT}")
