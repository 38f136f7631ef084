"""Typed domain errors. Each maps to an HTTP status and a stable code; the message is in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message: Any = _("请求无效。")

    def __init__(self, message: Any = None, *, field_errors: dict[str, list[str]] | None = None, **details: Any):
        self.message = message if message is not None else self.default_message
        self.field_errors = field_errors or {}
        self.details = details
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field_errors:
            body["field_errors"] = {k: [str(m) for m in v] for k, v in self.field_errors.items()}
        if self.details:
            body["details"] = {k: str(v) if not isinstance(v, (int, float, bool, list, dict)) else v
                               for k, v in self.details.items()}
        return body


class ValidationFailed(DomainError):
    status = 400
    code = "validation_failed"
    default_message = _("输入有误，请检查后重试。")


class PermissionDeniedError(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("您没有执行此操作的权限。")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("找不到该记录，或您无权查看。")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("记录状态已变化，请刷新后重试。")


class StaleVersion(Conflict):
    code = "stale_version"
    default_message = _("工单已被他人修改，请刷新后重试。")


class ActionNotAllowed(Conflict):
    code = "action_not_allowed"
    default_message = _("工单当前状态不允许此操作。")


class IdempotencyKeyReused(Conflict):
    """A retry key sent again with a different request: answering with the earlier ticket would lose this one."""

    code = "idempotency_key_reused"
    default_message = _("该幂等键已用于另一条内容不同的诉求，未重复建单；如是新诉求，请换一个新的键提交。")


class CalendarMissing(DomainError):
    """A deadline needs a year for which no working calendar has been entered."""

    status = 409
    code = "calendar_missing"
    default_message = _("缺少该年度的工作日历，请管理员先录入节假日安排。")


class TooManyAttempts(DomainError):
    """Sign-in or token attempts over the limit (jiesu.org.signin): refused until the lock-out ends."""

    status = 429
    code = "too_many_attempts"
    default_message = _("尝试次数过多，请稍后再试。")
