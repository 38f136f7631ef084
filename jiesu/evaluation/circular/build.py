"""Building the monthly circular (月度通报) from the registered sections and writing it as .xlsx or .pdf."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import ValidationFailed
from jiesu.evaluation.circular import builtin  # noqa: F401  registers the built-in sections
from jiesu.evaluation.circular.sections import Month, Part, all_sections
from jiesu.evaluation.periods import Period
from jiesu.org.models import Unit

FORMATS = ("xlsx", "pdf")


@dataclass
class Circular:
    title: str
    subtitle: str
    period: Period
    closed: bool
    generated_at: datetime
    parts: list[Part]
    legend: str = "红色底纹为红榜单位，黄色底纹为黑榜单位。"  # the PDF's last note


def hotline_name() -> str:
    centre = Unit.objects.filter(kind=Unit.Kind.CENTRE, is_active=True).order_by("path").first()
    return centre.name if centre else "12345热线"


def build(period: Period) -> Circular:
    month = Month(period)
    parts = [s.build(month) for s in all_sections()]
    closed = month.ranking.stored
    state = "排名已存档" if closed else "月份未结束，数据为当前值"
    return Circular(f"{hotline_name()}月度通报", f"{period.label()}（{state}）", period, closed,
                    timezone.localtime(clock.now()), parts)


def check_format(fmt: str) -> str:
    """The format asked for, checked before the circular is built."""
    if fmt not in FORMATS:
        raise ValidationFailed("通报格式应为 xlsx 或 pdf。", field_errors={"format": ["xlsx 或 pdf"]})
    return fmt


def render(circular: Circular, fmt: str) -> bytes:
    from jiesu.evaluation.circular import excel, pdf

    return excel.workbook(circular) if check_format(fmt) == "xlsx" else pdf.document(circular)


def format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationFailed(f"不支持的文件类型“{path.suffix}”，请用 .xlsx 或 .pdf。", field_errors={"out": [".xlsx/.pdf"]})
    return fmt


def write(period: Period, path: Path) -> Circular:
    fmt = format_of(path)
    circular = build(period)
    path.write_bytes(render(circular, fmt))
    return circular
