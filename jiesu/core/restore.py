"""`jiesu restore FILE`: the archive of jiesu.core.backup back into this installation, after checking it."""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from jiesu.core import backup_engines as engines
from jiesu.core.backup import FOLDERS, FORMAT, MANIFEST, Progress, applied_migrations, row_counts, sha256

MANIFEST_KEYS = ("created_at", "engine", "database", "migrations", "rows", "files")


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise CommandError("这不是 jiesu 备份文件（没有 manifest.json）。")
    try:
        manifest = json.loads(member.read().decode("utf-8"))
    except ValueError as error:
        raise CommandError(f"备份的清单 manifest.json 已损坏（{error}），未做任何更改。") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise CommandError(f"备份格式 {found} 不受此版本支持（支持 {FORMAT}）。")
    if missing := [key for key in MANIFEST_KEYS if key not in manifest]:
        raise CommandError(f"备份的清单 manifest.json 不完整（缺少 {', '.join(missing)}），未做任何更改。")
    return manifest


def newer_migrations(manifest: dict[str, Any], alias: str = "default") -> list[str]:
    """Migrations the backup's database had that this code does not know: its schema is newer."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
                  if (app, name) not in known)


def holds_data(alias: str = "default") -> bool:
    """People or events in the database, or files in the folders a restore replaces."""
    from jiesu.core.models import Event

    tables = set(connections[alias].introspection.table_names())
    user_model = get_user_model()
    in_db = any(model._meta.db_table in tables and model._default_manager.using(alias).exists()
                for model in (user_model, Event))
    return in_db or any(_has_files(Path(getattr(settings, setting))) for setting in FOLDERS.values())


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _check(archive: tarfile.TarFile, manifest: dict[str, Any], force: bool, alias: str) -> None:
    engine = engines.engine_of(alias)
    if manifest["engine"] != engine:
        raise CommandError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库。")
    if newer := newer_migrations(manifest, alias):
        raise CommandError(f"备份的数据库结构比本程序新（{', '.join(newer[:5])} …），请先升级 jiesu 再恢复。")
    if holds_data(alias) and not force:
        raise CommandError("目标数据库或文件目录中已有数据（用户、事件或上传文件）。确认要覆盖时加 --force；"
                           "被替换的文件目录会改名保留。")
    if manifest["database"] != engines.dump_file_name(engine) or manifest["database"] not in manifest["files"]:
        raise CommandError(f"备份清单中的数据库文件 {manifest['database']!r} 不对，未做任何更改。")
    _check_members(archive.getmembers(), set(manifest["files"]))


def _check_members(members: list[tarfile.TarInfo], listed: set[str]) -> None:
    """A backup holds regular files only, each listed (and so checksummed) in the manifest: no links, no folders,
    no paths out of the extraction folder, nothing unlisted that would be restored unchecked."""
    names = set()
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise CommandError(f"备份文件中有不安全的路径：{member.name}")
        if not member.isreg():
            raise CommandError(f"备份文件中有非普通文件（链接、目录或设备）：{member.name}")
        if member.name != MANIFEST and member.name not in listed:
            raise CommandError(f"备份文件中有清单未列出的文件：{member.name}")
        names.add(member.name)
    if missing := sorted(listed - names):
        raise CommandError(f"备份文件不完整，缺少 {len(missing)} 个文件（如 {missing[0]}）。")


def _verify(root: Path, manifest: dict[str, Any], progress: Progress) -> None:
    for n, (name, expected) in enumerate(manifest["files"].items(), 1):
        if sha256(root / name) != expected["sha256"]:
            raise CommandError(f"校验失败：{name} 的 SHA-256 与清单不符，备份已损坏，未做任何更改。")
        if n % 500 == 0:
            progress(f"已校验 {n}/{len(manifest['files'])} 个文件")
    progress(f"{len(manifest['files'])} 个文件校验通过")


def restore_backup(file: Path, progress: Progress, *, force: bool = False, alias: str = "default") -> dict[str, Any]:
    """Checks, then restores database and folders; returns the manifest. Nothing changes if a check fails."""
    started = time.monotonic()
    with _opened(file) as archive, tempfile.TemporaryDirectory(prefix="jiesu-restore-") as tmp:
        manifest = read_manifest(archive)
        progress(f"备份：{manifest['created_at']}，{manifest['engine']}，{len(manifest['files'])} 个文件")
        _check(archive, manifest, force, alias)
        archive.extractall(tmp, filter="data")
        root = Path(tmp)
        _verify(root, manifest, progress)
        progress("数据库恢复中 …")
        engines.restore(manifest["engine"], root / manifest["database"], alias)
        progress(f"数据库已恢复（{time.monotonic() - started:.1f} 秒）")
        for folder, setting in FOLDERS.items():
            _replace_folder(root / folder, Path(getattr(settings, setting)), progress)
    _compare_rows(manifest, progress, alias)
    if missing := _unapplied(alias):
        progress(f"备份的数据库结构较旧：请运行 jiesu migrate（{len(missing)} 个迁移待执行）。")
    progress(f"恢复完成（{time.monotonic() - started:.1f} 秒）")
    return manifest


@contextmanager
def _opened(file: Path) -> Iterator[tarfile.TarFile]:
    """The archive, its whole index read (a truncated file fails here); any tar error is a damaged file."""
    try:
        with tarfile.open(file, "r") as archive:
            archive.getmembers()
            yield archive
    except (tarfile.TarError, EOFError) as error:
        raise CommandError(f"备份文件已损坏、被截断或不是 jiesu 备份（{error}），未做任何更改。") from error


def _replace_folder(source: Path, target: Path, progress: Progress) -> None:
    if _has_files(target):
        aside = target.with_name(f"{target.name}.before-restore-{timezone.now():%Y%m%dT%H%M%S}")
        target.rename(aside)
        progress(f"原有 {target} 已改名为 {aside}")
    elif target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir()
    progress(f"{target}: {sum(1 for p in target.rglob('*') if p.is_file())} 个文件已恢复")


def _compare_rows(manifest: dict[str, Any], progress: Progress, alias: str) -> None:
    now = row_counts(alias)
    differ = {label: (rows, now.get(label)) for label, rows in manifest["rows"].items() if now.get(label) != rows}
    if differ:
        raise CommandError(f"恢复后行数与备份不符：{differ}")
    progress(f"{len(now)} 张表的行数与备份一致（工单 {now.get('tickets.Ticket', 0)}，事件 {now.get('core.Event', 0)}）")


def _unapplied(alias: str) -> list[str]:
    applied = {(app, name) for app, names in applied_migrations(alias).items() for name in names}
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    return [f"{app}.{name}" for app, name in loader.graph.leaf_nodes() if (app, name) not in applied]
