"""Reading JSON bodies ourselves, so that the lifecycle's own validation (with messages in Chinese) is the only
one; and describing those bodies in the OpenAPI document from the same pydantic schemas."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.http.request import RawPostDataException
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from jiesu.core.errors import ValidationFailed
from jiesu.tickets.inputs import field_errors_of

VERSION_SCHEMA = {"type": "integer", "minimum": 1, "description": "工单当前版本（乐观锁；过期返回 409）"}


def read_json(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "multipart/form-data":  # let through by the input guard for uploads only
        raise ValidationFailed("请求体应为 JSON 对象。")
    try:
        if not request.body:
            return {}
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RawPostDataException) as exc:
        raise ValidationFailed("请求体不是有效的 JSON。") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("请求体应为 JSON 对象。")
    return data


def check_types(model: type[BaseModel], data: dict[str, Any]) -> None:
    """JSON's own types, strictly, as the document gives them: 0 or "true" for a yes/no, 0 for a date are
    refused here. The services' schemas take them, for web forms send every value as text."""
    try:
        model.model_validate_json(json.dumps(data), strict=True)
    except PydanticValidationError as exc:
        raise ValidationFailed(field_errors=field_errors_of(exc, model)) from exc


def pop_version(data: dict[str, Any]) -> int:
    version = data.pop("version", None)
    if version is None:
        raise ValidationFailed(field_errors={"version": ["此项必填。"]})
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationFailed(field_errors={"version": ["请输入正整数。"]})
    return version


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def body_doc(model: type[BaseModel], *, with_version: bool = False, example: dict[str, Any] | None = None
             ) -> dict[str, Any]:
    """`openapi_extra` for an operation whose JSON body is `model` (plus `version` for actions)."""
    raw = model.model_json_schema()
    schema = _inline(raw, raw.get("$defs", {}))
    if with_version:
        schema["properties"] = {"version": VERSION_SCHEMA, **schema.get("properties", {})}
        schema["required"] = ["version", *schema.get("required", [])]
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"requestBody": {"required": True, "content": {"application/json": content}}}
