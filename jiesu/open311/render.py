"""Open311 documents in XML (no namespace, UTF-8) and JSON (the same structure; a list is a top-level array)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# the element each item of a list is written as, by the list's own element name
ITEM_TAGS = {"services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
             "formats": "format", "service_requests": "request", "errors": "error",
             "service_request_updates": "request_update"}
FORMATS = ("xml", "json")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def xml_bytes(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    """``root`` names the XML document element (``services``, ``service_requests`` …); JSON has none."""
    if fmt == "json":
        return HttpResponse(json.dumps(value, ensure_ascii=False), status=status,
                            content_type="application/json; charset=utf-8")
    return HttpResponse(xml_bytes(root, value), status=status, content_type="text/xml; charset=utf-8")


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": d} for d in descriptions], status=status)
