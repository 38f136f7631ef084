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
