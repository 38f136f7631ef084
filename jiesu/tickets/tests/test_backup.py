"""`jiesu backup` / `jiesu restore` (jiesu.core.backup): tickets, events and attachments come back after changes;
a newer schema, a non-empty target without --force and a damaged file are refused with nothing changed."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from jiesu.core.models import Event
from jiesu.tickets import services
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db(transaction=True)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


@pytest.fixture(autouse=True)
def _pg_tools():  # type: ignore[no-untyped-def]
    from django.db import connection

    if connection.vendor == "postgresql" and not all(shutil.which(t) for t in ("pg_dump", "pg_restore", "psql")):
        pytest.skip("PostgreSQL backups need pg_dump, pg_restore and psql (apt-get install postgresql-client)")


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--out", str(tmp_path / "backups"), stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


def _restore(file: Path, *extra: str) -> str:
    progress = io.StringIO()
    call_command("restore", str(file), *extra, stderr=progress)
    return progress.getvalue()


def _two_tickets_and_a_photo(city):  # type: ignore[no-untyped-def]
    first = services.accept(city.operator, city.ticket_data())
    services.accept(city.operator, city.ticket_data(title="第二张工单"))
    attachment = add_attachment(city.operator, first, SimpleUploadedFile("暖气片.png", PNG, "image/png"))
    return first, attachment


def _rewrite_manifest(file: Path, change) -> Path:  # type: ignore[no-untyped-def]
    target = file.with_name("changed.tar")
    with tarfile.open(file) as source, tarfile.open(target, "w") as archive:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return target


def test_a_backup_restores_every_ticket_event_and_attachment(city, tmp_path, settings):
    first, attachment = _two_tickets_and_a_photo(city)
    events = Event.objects.count()
    file = _backup(tmp_path)
    services.accept(city.operator, city.ticket_data(title="备份之后的工单"))
    Path(attachment.file.path).write_bytes(b"overwritten")
    progress = _restore(file, "--force")
    assert Ticket.objects.count() == 2 and Event.objects.count() == events
    restored = Attachment.objects.get()
    assert restored.ticket_id == first.pk and restored.file.read() == PNG
    assert "行数与备份一致" in progress and "校验通过" in progress
    assert list(Path(settings.MEDIA_ROOT).parent.glob("media.before-restore-*"))  # the replaced files kept aside


def test_the_manifest_holds_checksums_migrations_and_rows(city, tmp_path):
    _two_tickets_and_a_photo(city)
    with tarfile.open(_backup(tmp_path)) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        names = set(archive.getnames())
    assert manifest["rows"]["tickets.Ticket"] == 2 and manifest["rows"]["tickets.Attachment"] == 1
    assert "0001_initial" in manifest["migrations"]["tickets"]
    assert set(manifest["files"]) <= names and any(n.startswith("media/attachments/") for n in names)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())


def test_a_non_empty_database_is_not_overwritten_without_force(city, tmp_path):
    _two_tickets_and_a_photo(city)
    file = _backup(tmp_path)
    services.accept(city.operator, city.ticket_data(title="新的"))
    with pytest.raises(CommandError, match="--force"):
        _restore(file)
    assert Ticket.objects.count() == 3


def test_a_backup_of_a_newer_schema_is_refused(city, tmp_path):
    _two_tickets_and_a_photo(city)
    newer = _rewrite_manifest(_backup(tmp_path),
                              lambda m: m["migrations"]["tickets"].append("9999_from_the_future"))
    with pytest.raises(CommandError, match="比本程序新"):
        _restore(newer, "--force")
    assert Ticket.objects.count() == 2


def test_a_damaged_backup_changes_nothing(city, tmp_path):
    _two_tickets_and_a_photo(city)
    file = _backup(tmp_path)
    services.accept(city.operator, city.ticket_data(title="新的"))
    damaged = _rewrite_manifest(file, lambda m: m["files"][m["database"]].update(sha256="0" * 64))
    with pytest.raises(CommandError, match="校验失败"):
        _restore(damaged, "--force")
    assert Ticket.objects.count() == 3


def test_postgresql_needs_its_tools(city, tmp_path, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    with pytest.raises(CommandError, match="pg_dump"):
        _backup(tmp_path)


def _with_member(file: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    """The backup with one more member (a tampered file: the checksums of the listed files still hold)."""
    target = file.with_name("tampered.tar")
    shutil.copy(file, target)
    with tarfile.open(target, "a") as archive:
        member.size = len(data) if member.isreg() else 0
        archive.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return target


def _link(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.SYMTYPE, target
    return member


@pytest.mark.parametrize("member, refusal", [
    (tarfile.TarInfo("media/../../escaped.txt"), "不安全的路径"),
    (tarfile.TarInfo("/tmp/absolute.txt"), "不安全的路径"),
    (_link("media/attachments/passwd", "/etc/passwd"), "非普通文件"),
    (_link("models/inside", "../database.sqlite3"), "非普通文件"),
    (tarfile.TarInfo("media/attachments/unlisted.html"), "清单未列出"),
])
def test_a_tampered_backup_is_refused_before_anything_changes(city, tmp_path, settings, member, refusal):
    _two_tickets_and_a_photo(city)
    file = _backup(tmp_path)
    services.accept(city.operator, city.ticket_data(title="新的"))
    with pytest.raises(CommandError, match=refusal):
        _restore(_with_member(file, member, b"<script>"), "--force")
    assert Ticket.objects.count() == 3 and not list(Path(settings.MEDIA_ROOT).parent.glob("*before-restore*"))
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/absolute.txt").exists()


@pytest.mark.parametrize("damage, refusal", [
    (lambda data: data[: len(data) // 2], "被截断"),
    (lambda data: b"not a tar file at all", "不是 jiesu 备份"),
])
def test_a_truncated_or_foreign_file_is_a_clear_refusal(city, tmp_path, damage, refusal):
    _two_tickets_and_a_photo(city)
    file = _backup(tmp_path)
    damaged = file.with_name("damaged.tar")
    damaged.write_bytes(damage(file.read_bytes()))
    with pytest.raises(CommandError, match=refusal):
        _restore(damaged, "--force")
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize("change, refusal", [
    (lambda m: m.pop("rows"), "不完整（缺少 rows）"),
    (lambda m: m.update(database="../../etc/hostname"), "数据库文件"),
])
def test_a_manifest_without_its_keys_or_with_another_database_file_is_refused(city, tmp_path, change, refusal):
    _two_tickets_and_a_photo(city)
    with pytest.raises(CommandError, match=refusal):
        _restore(_rewrite_manifest(_backup(tmp_path), change), "--force")
    assert Ticket.objects.count() == 2


def test_a_backup_is_readable_by_its_owner_only_and_a_failure_leaves_no_file(city, tmp_path, monkeypatch):
    file = _backup(tmp_path)
    assert file.stat().st_mode & 0o777 == 0o600

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("jiesu.core.backup._add_folder", full_disk)
    with pytest.raises(CommandError, match="No space left"):
        _backup(tmp_path)
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [file.name]
