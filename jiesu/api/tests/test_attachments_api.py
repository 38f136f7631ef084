"""Attachments through the API: upload within scope, type checks with a field error, list and download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiesu.api.tests.conftest import BASE, expect
from jiesu.core.models import Event

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(api, number, name, content):  # type: ignore[no-untyped-def]
    return api.client.post(f"{BASE}/tickets/{number}/attachments", {"file": SimpleUploadedFile(name, content)},
                           headers={"Authorization": f"Bearer {api.token}"})


def _dispatched(apis, city):  # type: ignore[no-untyped-def]
    t = expect(apis.operator.post("/tickets", city.ticket_data()), 201)
    return expect(apis.dispatcher.act(t["number"], "dispatch", t["version"], lead_unit="heating"), 200)["number"]


def test_the_handling_unit_uploads_lists_and_downloads_a_photo(apis, city):
    number = _dispatched(apis, city)
    made = expect(_upload(apis.heating_handler, number, "现场.png", PNG), 201)
    assert (made["name"], made["content_type"], made["size"]) == ("现场.png", "image/png", len(PNG))
    listed = expect(apis.operator.get(f"/tickets/{number}/attachments"), 200)
    assert [a["id"] for a in listed] == [made["id"]]
    got = apis.operator.get(f"/tickets/{number}/attachments/{made['id']}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
    assert Event.objects.filter(action="attach").count() == 1


def test_a_file_whose_content_does_not_match_its_name_is_refused_and_nothing_is_stored(apis, city):
    number = _dispatched(apis, city)
    body = expect(_upload(apis.operator, number, "photo.png", b"MZ\x90\x00 not a picture"), 400)
    assert "文件内容与扩展名不符" in str(body) and "file" in str(body)
    assert expect(apis.operator.get(f"/tickets/{number}/attachments"), 200) == []
    assert not Event.objects.filter(action="attach").exists()


def test_another_unit_can_neither_upload_nor_download(apis, city):
    number = _dispatched(apis, city)
    made = expect(_upload(apis.operator, number, "a.txt", b"hello"), 201)
    expect(_upload(apis.urban_handler, number, "b.txt", b"hello"), 404)
    expect(apis.urban_handler.get(f"/tickets/{number}/attachments/{made['id']}"), 404)
    expect(apis.operator.get(f"/tickets/{number}/attachments/999999"), 404)
