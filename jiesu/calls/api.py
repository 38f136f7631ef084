"""Call records from a live feed: `POST /api/v1/calls` takes a batch of records, checked like a file's rows;
idempotent by call id (a record sent again is reported as already there and changes nothing)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jiesu.api.auth import AUTH, actor_of
from jiesu.api.bodies import read_json
from jiesu.api.schemas import ErrorOut
from jiesu.calls import services
from jiesu.calls.models import DEFAULT_SOURCE
from jiesu.calls.records import FIELDS, CallRecord, Checker
from jiesu.core.errors import ValidationFailed

router = Router(auth=AUTH, tags=["话单 calls"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut}
MAX_RECORDS = 1000

EXAMPLE = {"source": DEFAULT_SOURCE, "calls": [
    {"call_id": "20261123-000123", "line": "12345", "caller": "13800000000", "offered_at": "2026-11-23 09:00:02",
     "answered_at": "2026-11-23 09:00:09", "ended_at": "2026-11-23 09:04:40", "seat": "1021", "queue": "综合",
     "survey": "满意"},
    {"call_id": "20261123-000124", "line": "12315", "caller": "13900000000", "offered_at": "2026-11-23 09:01:00",
     "answered_at": None, "ended_at": "2026-11-23 09:01:16"}]}
_TEXT = {"type": "string"}
_TIME = {"type": "string", "description": "YYYY-MM-DD HH:MM:SS（北京时间）或带时区的 ISO 8601"}
BODY = {"requestBody": {"content": {"application/json": {"example": EXAMPLE, "schema": {
    "type": "object", "required": ["calls"], "properties": {
        "source": {"type": "string", "maxLength": 40, "default": DEFAULT_SOURCE},
        "calls": {"type": "array", "maxItems": MAX_RECORDS, "items": {
            "type": "object", "required": ["call_id", "line", "offered_at", "ended_at"], "properties": {
                "call_id": _TEXT, "line": {"type": "string", "description": "12345、渠道代码（如 12315）或名称"},
                "caller": _TEXT, "offered_at": _TIME, "answered_at": {**_TIME, "nullable": True},
                "ended_at": _TIME, "seat": {"type": "string", "description": "为空：语音系统应答"}, "queue": _TEXT,
                "survey": {"type": "string", "enum": ["满意", "基本满意", "不满意", ""]}}}}}}}}}}


class CallsOut(Schema):
    source: str
    imported: int
    already: list[str]
    linked: int


def _plain(value: Any) -> bool:
    """Text, a whole number (an id or a phone number sent as one) or nothing; not true/false."""
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _records(data: dict[str, Any]) -> list[CallRecord]:
    raw = data.get("calls")
    if not isinstance(raw, list) or not raw:
        raise ValidationFailed(field_errors={"calls": ["须为非空的话单数组。"]})
    if len(raw) > MAX_RECORDS:
        raise ValidationFailed(field_errors={"calls": [f"每次最多 {MAX_RECORDS} 条。"]})
    checker, good, bad = Checker(repeated="呼叫编号与 calls[{}] 重复"), [], []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not all(_plain(item.get(f)) for f in FIELDS):
            bad.append({"index": index, "call_id": "", "reasons": ["话单须为对象，各项为文字或空。"]})
            continue
        checked = checker.check(item, index)
        if isinstance(checked, CallRecord):
            good.append(checked)
        else:
            bad.append({"index": index, "call_id": str(item.get("call_id") or "")[:64], "reasons": checked})
    if bad:
        raise ValidationFailed(f"有 {len(bad)} 条话单有误，本批未导入。", records=bad)
    return good


@router.post("/calls", response={200: CallsOut, **ERRORS}, summary="话单（呼叫中心实时推送）", openapi_extra=BODY,
             description="一批话单（最多 1000 条）整批校验：有一条有误则整批不导入，返回 400 及每条的原因"
                         "（details.records）。按来源与呼叫编号去重：已导入过的编号列在 already 中，不再写入。"
                         "须有话单导入权限（calls:import）。")
def post_calls(request: HttpRequest) -> dict[str, Any]:
    user = actor_of(request)
    services.require_import(user)
    data = read_json(request)
    source = data.get("source", DEFAULT_SOURCE)
    if not isinstance(source, str):
        raise ValidationFailed(field_errors={"source": ["须为文字。"]})
    result = services.import_calls(user, _records(data), source)
    return {"source": result.source, "imported": result.imported, "already": result.already,
            "linked": result.linked}
