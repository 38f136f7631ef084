"""Turning codes from inputs into records, with field errors in Chinese when they do not exist."""

from __future__ import annotations

from typing import Any

from jiesu.catalog.models import Category, Channel
from jiesu.core.errors import ValidationFailed
from jiesu.org.models import Region, Unit
from jiesu.tickets.models import Ticket


def _one(model: Any, field: str, message: str, **lookup: Any) -> Any:
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist as exc:
        raise ValidationFailed(field_errors={field: [message]}) from exc


def unit_by_code(code: str, field: str = "lead_unit") -> Unit:
    return _one(Unit, field, f"单位代码“{code}”不存在或已停用。", code=code, is_active=True)


def units_by_codes(codes: list[str], field: str = "assist_units") -> list[Unit]:
    return [unit_by_code(code, field) for code in dict.fromkeys(codes)]


def category_by_code(code: str, field: str = "category") -> Category:
    return _one(Category, field, f"诉求分类“{code}”不存在或已停用。", code=code, is_active=True)


def region_by_code(code: str, field: str = "region") -> Region:
    return _one(Region, field, f"行政区划“{code}”不存在。", code=code)


def channel_by_code(code: str, field: str = "channel") -> Channel:
    return _one(Channel, field, f"受理渠道“{code}”不存在或已停用。", code=code, is_active=True)


def ticket_by_number(number: str, field: str = "into") -> Ticket:
    return _one(Ticket, field, f"工单“{number}”不存在。", number=number)
