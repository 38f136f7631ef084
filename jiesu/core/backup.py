"""`jiesu backup` and `jiesu restore`: one tar file holding the database (jiesu.core.backup_engines), the
uploaded files (MEDIA_ROOT: attachments, photos), the trained models (MODEL_DIR) and a manifest with the SHA-256
of every file, the applied migrations and the rows of every table (docs/deployment.md, "Backups").

A restore checks the file before it changes anything: every checksum, the database kind, a schema no newer than
this code's, and an empty target (people or events in it need --force). Files it replaces are moved aside."""

from __future__ import annotations

import json
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from jiesu.core import backup_engines as engines
from jiesu.core.files import sha256_of

FORMAT = 1
MANIFEST = "manifest.json"
Progress = Callable[[str], None]
FOLDERS = {"media": "MEDIA_ROOT", "models": "MODEL_DIR"}  # name in the archive → setting


sha256 = sha256_of


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def row_counts(alias: str = "default") -> dict[str, int]:
    tables = set(connections[alias].introspection.table_names())
    return {model._meta.label: model._default_manager.using(alias).count()
            for model in apps.get_models() if model._meta.managed and model._meta.db_table in tables}


def _files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def create_backup(out_dir: Path, progress: Progress, alias: str = "default") -> Path:
    """Writes out_dir/jiesu-backup-<UTC time>.tar and returns its path (a partial file never has that name)."""
    engine = engines.engine_of(alias)
    if engine == "postgresql":
        engines.check_pg_tools()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".backup-") as tmp:
            return _write(out_dir, Path(tmp), engine, progress, alias)
    except OSError as error:
        raise CommandError(f"备份失败（{error}），未留下不完整的备份文件。") from error


def _write(out_dir: Path, tmp: Path, engine: str, progress: Progress, alias: str) -> Path:
    name = f"jiesu-backup-{timezone.now():%Y%m%dT%H%M%SZ}"
    started = time.monotonic()
    partial = out_dir / f".{name}.tar.partial"
    try:
        dump = tmp / engines.dump_file_name(engine)
        progress(f"数据库（{engine}）导出中 …")
        engines.dump(engine, dump, alias)
        progress(f"数据库已导出：{dump.stat().st_size / 1e6:.1f} MB，{time.monotonic() - started:.1f} 秒")
        manifest: dict[str, Any] = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine,
            "database": dump.name, "migrations": applied_migrations(alias), "rows": row_counts(alias),
            "files": {dump.name: {"sha256": sha256(dump), "bytes": dump.stat().st_size}}}
        partial.touch(mode=0o600)  # personal data: readable by the backup's owner only (a umask only narrows it)
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            for folder, setting in FOLDERS.items():
                _add_folder(archive, manifest, folder, Path(getattr(settings, setting)), progress)
            manifest_path = tmp / MANIFEST
            manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            archive.add(manifest_path, arcname=MANIFEST)
        final = out_dir / f"{name}.tar"
        partial.rename(final)
    finally:
        partial.unlink(missing_ok=True)  # a failure leaves no half-written file
    progress(f"备份完成：{final}（{final.stat().st_size / 1e6:.1f} MB，{time.monotonic() - started:.1f} 秒）")
    return final


def _add_folder(archive: tarfile.TarFile, manifest: dict[str, Any], folder: str, root: Path,
                progress: Progress) -> None:
    files = _files_of(root)
    for n, path in enumerate(files, 1):
        arcname = f"{folder}/{path.relative_to(root).as_posix()}"
        manifest["files"][arcname] = {"sha256": sha256(path), "bytes": path.stat().st_size}
        archive.add(path, arcname=arcname)
        if n % 500 == 0:
            progress(f"{folder}: {n}/{len(files)} 个文件")
    progress(f"{folder}: {len(files)} 个文件（{root}）")
