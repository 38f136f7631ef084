"""Attachments of a ticket: stored through Django's storage, limited in size and type, recorded as events."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction

from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.events import record_event
from jiesu.tickets.models import Attachment, Ticket
from jiesu.tickets.photos import Place, read_exif
from jiesu.tickets.services.base import TICKET_SUBJECT

MAX_PER_TICKET = 20

# extension → (content type, leading bytes the file must start with; empty = not checked)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK",)),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": ("audio/wav", (b"RIFF",)),
    ".amr": ("audio/amr", (b"#!AMR",)),
    ".txt": ("text/plain", ()),
}


def max_bytes() -> int:
    """The largest attachment, from JIESU_ATTACHMENT_MAX_BYTES (settings)."""
    return int(settings.JIESU_ATTACHMENT_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.2f}"


def _check(upload: File[Any]) -> tuple[str, str]:
    name = PurePath(upload.name or "").name[:200]
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        kinds = "、".join(sorted(ext.lstrip(".") for ext in ALLOWED))
        raise ValidationFailed(field_errors={"file": [f"不支持的文件类型。可上传：{kinds}。"]})
    if upload.size is None or upload.size == 0:
        raise ValidationFailed(field_errors={"file": ["文件是空的。"]})
    if upload.size > max_bytes():
        raise ValidationFailed(field_errors={"file": [f"文件不能超过 {_megabytes(max_bytes())} MB。"]})
    content_type, magics = ALLOWED[extension]
    head = upload.read(8)
    upload.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise ValidationFailed(field_errors={"file": ["文件内容与扩展名不符。"]})
    return name, content_type


def add_attachment(actor: Any, ticket: Ticket, upload: File[Any], *, phase: str = "",
                   device: Place | None = None) -> Attachment:
    """Stores one file on a ticket the actor can see (callers fetch the ticket through queries.get_ticket).
    A photo of the handling says ``phase`` (before/after); where it was taken comes from its EXIF, else from
    ``device`` (the position the uploading phone gave)."""
    if ticket.pk is None:
        raise NotFound()
    name, content_type = _check(upload)
    if phase and phase not in Attachment.Phase.values:
        raise ValidationFailed(field_errors={"phase": ["照片类别只能是办理前或办理后。"]})
    place, taken_at = read_exif(upload) if content_type.startswith("image/") else (None, None)
    place = place or (device if phase else None)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.attachments.count() >= MAX_PER_TICKET:
            raise ValidationFailed(field_errors={"file": [f"每张工单最多 {MAX_PER_TICKET} 个附件。"]})
        attachment = Attachment(ticket=locked, original_name=name, content_type=content_type, size=upload.size or 0,
                                uploaded_by=actor, phase=phase, taken_at=taken_at,
                                latitude=place.latitude if place else None,
                                longitude=place.longitude if place else None,
                                location_source=place.source if place else "")
        attachment.file.save(name, upload, save=False)
        attachment.save()
        record_event(subject_type=TICKET_SUBJECT, subject_id=locked.pk, action="attach", actor=actor,
                     actor_unit=actor.primary_unit(), data={"attachment": attachment.pk, "name": name,
                                                            "size": upload.size, "phase": phase,
                                                            "located": place.source if place else ""})
    return attachment
