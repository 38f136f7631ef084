"""The JSON API at /api/v1/. Routers live one per package in this folder; they call services and queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from jiesu.core.errors import DomainError
from jiesu.tickets.inputs import field_errors_of

ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
REFUSALS = {  # status: (when every operation may get it, description)
    400: ("always", "输入有误（含控制字符、方向控制符等的参数或请求体）"),
    401: ("auth", "未登录或令牌无效"),
    404: ("path", "找不到该记录，或您无权查看"),
    413: ("body", "请求体过大"),
    415: ("body", "请求体须为 JSON（上传文件用 multipart/form-data）"),
    429: ("auth", "无效令牌过多，稍后再试"),
}


class JiesuApi(NinjaAPI):
    """The document declares, on every operation, the refusals that come before any handler (the input guard
    in jiesu.core.input_guard, the token check in jiesu.api.auth), each in the JSON error format."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
                           ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path, methods in schema["paths"].items():
            for operation in methods.values():
                applies = {"always": True, "auth": bool(operation.get("security")), "path": "{" in path,
                           "body": "requestBody" in operation}
                for status, (when, description) in REFUSALS.items():
                    if applies[when]:
                        operation["responses"].setdefault(status, {"description": description, **ERROR_REF})
        return schema


api = JiesuApi(
    title="接诉 jiesu API",
    version="1",
    description="12345 热线工单接口。系统间调用使用 `Authorization: Bearer <token>`；浏览器使用会话登录。",
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


class _NinjaErrors:
    """Ninja's parameter errors, shaped like pydantic's so that they get the same Chinese messages."""

    def __init__(self, exc: ValidationError):
        where = ("body", "query", "path", "payload", "form", "header", "cookie")
        self._errors = [{**err, "loc": [p for p in err.get("loc", []) if p not in where]} for err in exc.errors]

    def errors(self) -> list[dict]:
        return self._errors


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    field_errors = field_errors_of(_NinjaErrors(exc))  # type: ignore[arg-type]
    body = {"code": "validation_failed", "message": "输入有误，请检查后重试。", "field_errors": field_errors}
    return api.create_response(request, body, status=400)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"code": "unauthenticated", "message": "请先登录或提供有效令牌。"}, status=401)


@api.get("/health", auth=None, tags=["system"], summary="健康检查")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


def _add_routers() -> None:
    from jiesu.api.attachments import router as attachments_router
    from jiesu.api.catalog import router as catalog_router
    from jiesu.api.suggest import router as suggest_router
    from jiesu.api.tasks import router as tasks_router
    from jiesu.api.tickets import router as tickets_router
    from jiesu.calls.api import router as calls_router
    from jiesu.evaluation.api import router as evaluation_router
    from jiesu.knowledge.api import router as knowledge_router

    api.add_router("/", tickets_router)
    api.add_router("/", attachments_router)
    api.add_router("/", catalog_router)
    api.add_router("/", suggest_router)
    api.add_router("/", tasks_router)
    api.add_router("/", knowledge_router)
    api.add_router("/", evaluation_router)
    api.add_router("/", calls_router)


_add_routers()
