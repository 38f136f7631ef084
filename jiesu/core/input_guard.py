"""Input hardening at one place: every request passes here before any view, form or API handler reads it.

Refused with a clear error in the documented format (JSON for the API and htmx, a page for browsers), before
anything is read into the database:
- a body larger than the limit (413): ``DATA_UPLOAD_MAX_MEMORY_SIZE``, or for file uploads
  ``JIESU_ATTACHMENT_MAX_BYTES`` plus the form around the file;
- an API body that is neither JSON nor a multipart upload (415);
- JSON that is malformed, nested deeper than ``MAX_JSON_DEPTH``, or holds numbers outside what the database
  stores (a 64-bit integer, a finite float) (400);
- NUL and other control characters (tab and line breaks excepted), right-to-left and other bidirectional
  overrides, and lone surrogates, anywhere in the path, the query string, form fields, file names or JSON (400):
  they break PostgreSQL (NUL), terminals reading logs (escapes), and let a title read differently from what it
  holds (overrides);
- a path segment of 19 or more digits (404): no record has such an id, and the database cannot compare one.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jiesu.core.errors import DomainError

MAX_JSON_DEPTH = 32
INT64 = 2**63 - 1
FORM_OVERHEAD_BYTES = 1024 * 1024  # the fields around an uploaded file
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
HUGE_NUMBER_SEGMENT = re.compile(r"/\d{19,}(/|$)")
JSON_TYPES = ("application/json",)
UPLOAD_TYPES = ("multipart/form-data",)
BODY_METHODS = {"POST", "PUT", "PATCH"}


class Refused(DomainError):
    """Raised while inspecting a request; turned into the response by the middleware."""


class PayloadTooLarge(Refused):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(Refused):
    status = 415
    code = "unsupported_media_type"


class UnsafeCharacters(Refused):
    code = "invalid_characters"


class MalformedJson(Refused):
    code = "invalid_json"


class NoSuchRecord(Refused):
    status = 404
    code = "not_found"


def attachment_max_bytes() -> int:
    return int(settings.JIESU_ATTACHMENT_MAX_BYTES)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def wants_json(request: HttpRequest) -> bool:
    return is_api(request) or bool(request.headers.get("HX-Request")) or "json" in request.headers.get("Accept", "")


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if HUGE_NUMBER_SEGMENT.search(request.path):
            return refusal(request, NoSuchRecord(_("找不到该记录，或您无权查看。")))
        try:
            inspect(request)
        except Refused as exc:
            return refusal(request, exc)
        return self.get_response(request)


def inspect(request: HttpRequest) -> None:
    check_text("path", request.path)
    for name, values in request.GET.lists():
        check_texts(name, values)
    if request.method not in BODY_METHODS:
        return
    content_type = request.content_type or ""
    check_size(request, content_type)
    if content_type in JSON_TYPES:
        check_json(read_body(request), object_only=is_api(request))
    elif is_api(request) and content_type not in UPLOAD_TYPES and read_body(request):
        raise UnsupportedMediaType(_("请求体须为 JSON（Content-Type: application/json），上传文件用 multipart/form-data。"))
    elif content_type in UPLOAD_TYPES or content_type == "application/x-www-form-urlencoded":
        check_form(request)


def check_size(request: HttpRequest, content_type: str) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise Refused(_("请求头 Content-Length 无效。")) from exc
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    if content_type in UPLOAD_TYPES:
        limit = attachment_max_bytes() + FORM_OVERHEAD_BYTES
    if limit and length > limit:
        raise PayloadTooLarge(_("请求体过大（上限 %(limit)s）。") % {"limit": human_size(limit)})


def read_body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig as exc:
        limit = human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        raise PayloadTooLarge(_("请求体过大（上限 %(limit)s）。") % {"limit": limit}) from exc


def check_form(request: HttpRequest) -> None:
    try:
        fields, files = request.POST, request.FILES
    except RequestDataTooBig as exc:
        raise PayloadTooLarge(_("请求体过大。")) from exc
    except SuspiciousOperation as exc:  # too many fields, a malformed multipart body
        raise Refused(_("表单数据无效。")) from exc
    for name, values in fields.lists():
        check_texts(name, values)
    for name, uploads in files.lists():
        check_texts(name, [upload.name or "" for upload in uploads])


def check_json(body: bytes, *, object_only: bool = False) -> None:
    """``object_only``: every body of the API is one JSON object (its operations' fields)."""
    if not body:
        return
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except RecursionError as exc:
        raise MalformedJson(_("JSON 嵌套过深（最多 %(depth)s 层）。") % {"depth": MAX_JSON_DEPTH}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedJson(_("请求体不是有效的 JSON。")) from exc
    if object_only and not isinstance(data, dict):
        raise MalformedJson(_("请求体应为 JSON 对象。"))
    walk_json(data)


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def walk_json(data: Any) -> None:
    """Depth, numbers and characters of every value, without recursion (the depth is what is checked)."""
    stack: list[tuple[str, Any, int]] = [("", data, 1)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise MalformedJson(_("JSON 嵌套过深（最多 %(depth)s 层）。") % {"depth": MAX_JSON_DEPTH})
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(where or key, key)
                stack.append((where or key, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((where, item, depth + 1) for item in value)
        elif isinstance(value, str):
            check_text(where, value)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int) and abs(value) > INT64 or isinstance(value, float) and not math.isfinite(value):
            raise Refused(_("数值超出范围。"), field_errors={where or "body": [_("数值超出范围。")]})


def check_texts(where: str, values: list[str]) -> None:
    check_text(where, where)
    for value in values:
        check_text(where, value)


def check_text(where: str, value: str) -> None:
    if UNSAFE_CHARACTERS.search(value):
        message = _("含有不允许的字符（控制字符、空字符或文字方向控制符），请删除后重试；从其他软件粘贴的文字常带有这些看不见的字符。")
        raise UnsafeCharacters(message, field_errors={_printable(where): [message]})


def _printable(where: str) -> str:
    return UNSAFE_CHARACTERS.sub("?", where)[:60] or "body"


def human_size(limit: int) -> str:
    return f"{limit / (1024 * 1024):.1f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The refusal in the documented format: JSON for the API and htmx, an error page for a browser."""
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
    html: str
    try:
        html = render_to_string("400.html", {"message": error.message, "status": error.status})
    except TemplateDoesNotExist:
        html = str(error.message)
    return HttpResponse(html, status=error.status)
