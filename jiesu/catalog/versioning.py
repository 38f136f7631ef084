"""What the versioned catalog tables share: locking the current row, writing version n+1, snapshots for events.

Only the services call these; they run inside the service's transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from jiesu.core.errors import Conflict, PermissionDeniedError, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm

Errors = dict[str, list[str]]


def today() -> date:
    """The current date in the city (settings.TIME_ZONE, Asia/Shanghai)."""
    return timezone.localdate()


def day_of(at: date | datetime | None) -> date:
    if at is None:
        return today()
    if isinstance(at, datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def check_manager(actor: Any) -> None:
    """A person changing the catalog needs catalog:manage; ``actor=None`` is the system (seed, demo, import)."""
    if actor is not None and not has_perm(actor, Perm.CATALOG_MANAGE):
        raise PermissionDeniedError("您没有维护派单目录和时限的权限。")


def check_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationFailed("请填写变更原因。", field_errors={"reason": ["请填写变更原因。"]})


def check_dates(errors: Errors, valid_from: date | None, valid_to: date | None) -> None:
    if valid_from is None:
        errors.setdefault("valid_from", []).append("请填写生效日期。")
    elif valid_to is not None and valid_to < valid_from:
        errors.setdefault("valid_to", []).append("失效日期不能早于生效日期。")


def raise_if(errors: Errors, what: str) -> None:
    if errors:
        messages = "；".join(m for ms in errors.values() for m in ms)
        raise ValidationFailed(f"{what}：{messages}", field_errors=errors)


def lock_current(row: models.Model, key_field: str) -> Any:
    """The current version of ``row``'s key, locked; Conflict when ``row`` has been superseded meanwhile."""
    model = type(row)
    current = (model.objects.select_for_update()  # type: ignore[attr-defined]
               .filter(**{key_field: getattr(row, key_field), "is_current": True}).first())
    if current is None or current.pk != row.pk:
        raise Conflict("该记录已有更新的版本或已停用，请刷新后重试。")
    return current


def write_next_version(current: Any, key_field: str, values: dict[str, Any], *, actor: Any, reason: str) -> Any:
    """Mark ``current`` as superseded and create version n+1 from ``values`` (model fields, no m2m)."""
    model = type(current)
    model.objects.filter(pk=current.pk).update(is_current=False)
    current.is_current = False
    return model.objects.create(
        **{key_field: getattr(current, key_field)}, **values,
        version=current.version + 1, is_current=True,
        created_by=actor if getattr(actor, "pk", None) else None, change_reason=reason,
    )


def retire(row: Any, key_field: str, fields: tuple[str, ...], *, actor: Any, reason: str,
           valid_to: date | None) -> tuple[Any, Any]:
    """(the locked current row, its retired successor): the same data, validity ending on ``valid_to``."""
    current = lock_current(row, key_field)
    values = {name: getattr(current, name) for name in fields}
    values["valid_to"] = retirement_date(current, valid_to)
    return current, write_next_version(current, key_field, values, actor=actor, reason=reason)


def retirement_date(row: Any, valid_to: date | None) -> date:
    """The last day a retired row applies: the given day, else yesterday (an empty range if it never started)."""
    end = valid_to or today() - timedelta(days=1)
    if end < row.valid_from:
        end = row.valid_from - timedelta(days=1)
    if row.valid_to is not None and end >= row.valid_to:
        raise ValidationFailed("该记录在此日期之前已经失效。", field_errors={"valid_to": ["该记录在此日期之前已经失效。"]})
    return end


def plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the event log."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "code": getattr(value, "code", ""), "name": str(value)}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    data = {name: plain(getattr(row, name)) for name in fields}
    data["version"] = row.version
    return data


def actor_unit(actor: Any) -> Any:
    primary = getattr(actor, "primary_unit", None)
    return primary() if callable(primary) else None
