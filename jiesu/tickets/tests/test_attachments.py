from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiesu.core.errors import ValidationFailed
from jiesu.tickets import services
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.queries import ticket_events

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_photo_is_stored_and_recorded(city):
    t = services.accept(city.operator, city.ticket_data())
    attachment = add_attachment(city.operator, t, SimpleUploadedFile("暖气片.png", PNG, "image/png"))
    assert attachment.size == len(PNG) and attachment.file.read() == PNG
    assert attachment.original_name == "暖气片.png" and attachment.content_type == "image/png"
    assert [e.action for e in ticket_events(t)] == ["accept", "attach"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ" + b"\x00" * 10, "不支持的文件类型"),
    ("fake.png", b"GIF89a" + b"\x00" * 10, "文件内容与扩展名不符"),
    ("empty.pdf", b"", "文件是空的"),
])
def test_bad_files_are_refused_with_a_reason_and_nothing_stored(city, name, content, message):
    t = services.accept(city.operator, city.ticket_data())
    with pytest.raises(ValidationFailed) as err:
        add_attachment(city.operator, t, SimpleUploadedFile(name, content))
    assert message in err.value.field_errors["file"][0]
    assert t.attachments.count() == 0


def test_files_over_the_size_limit_are_refused(city, settings):
    settings.JIESU_ATTACHMENT_MAX_BYTES = 100
    t = services.accept(city.operator, city.ticket_data())
    with pytest.raises(ValidationFailed) as err:
        add_attachment(city.operator, t, SimpleUploadedFile("big.png", PNG + b"\x00" * 100))
    assert "MB" in err.value.field_errors["file"][0] and t.attachments.count() == 0
