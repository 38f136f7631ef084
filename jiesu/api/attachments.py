"""Attachments over HTTP: upload to a ticket the caller can see, list them, download one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from jiesu.api.auth import AUTH, actor_of
from jiesu.api.schemas import errors
from jiesu.core.errors import NotFound
from jiesu.tickets import queries
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.models import Attachment

router = Router(auth=AUTH, tags=["工单 tickets"])
FILE = {"responses": {200: {"description": "附件内容（上传时的类型）", "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str


def present(attachment: Attachment, number: str) -> dict[str, Any]:
    return {"id": attachment.pk, "name": attachment.original_name, "content_type": attachment.content_type,
            "size": attachment.size, "uploaded_at": attachment.uploaded_at,
            "url": f"/api/v1/tickets/{number}/attachments/{attachment.pk}"}


@router.post("/tickets/{number}/attachments", response={201: AttachmentOut, **errors(400, 403, 404)}, summary="上传附件",
             description="multipart/form-data，字段名 `file`。限制类型（图片、PDF、Word、Excel、录音、文本）和大小，"
                         "文件内容须与扩展名相符；每次上传记一条流转记录。")
def upload(request: HttpRequest, number: str, file: File[UploadedFile]) -> Status:
    user = actor_of(request)
    ticket = queries.get_ticket(user, number)
    return Status(201, present(add_attachment(user, ticket, file), number))


@router.get("/tickets/{number}/attachments", response={200: list[AttachmentOut], **errors(404)}, summary="附件列表")
def list_attachments(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    ticket = queries.get_ticket(actor_of(request), number)
    return [present(a, number) for a in ticket.attachments.order_by("pk")]


@router.get("/tickets/{number}/attachments/{attachment_id}", response=errors(404), summary="下载附件",
            openapi_extra=FILE)
def download(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    ticket = queries.get_ticket(actor_of(request), number)
    attachment = ticket.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("没有这个附件。")
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)
