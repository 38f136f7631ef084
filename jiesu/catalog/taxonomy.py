"""Changes to the reference data: the category taxonomy (诉求分类) and the channels. One event each.

Categories and channels are not versioned (tickets point at them and keep their meaning); they are
deactivated, not deleted, and every change is in the event log.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction

from jiesu.catalog import versioning as v
from jiesu.catalog.models import Category, Channel
from jiesu.core.errors import ValidationFailed
from jiesu.core.events import record_event

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_FILE = DATA_DIR / "categories.csv"


def read_taxonomy(path: Path = TAXONOMY_FILE) -> list[dict[str, str]]:
    """Rows (code, name, parent) of a taxonomy CSV file, parents before children."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _check_rows(rows: list[dict[str, str]]) -> None:
    levels = dict(Category.objects.values_list("code", "level"))
    errors: list[str] = []
    for number, row in enumerate(rows, start=2):
        code, name, parent = (row.get(k, "").strip() for k in ("code", "name", "parent"))
        if not code or not name:
            errors.append(f"第 {number} 行缺少代码或名称")
        elif parent and parent not in levels:
            errors.append(f"第 {number} 行的上级分类“{parent}”不存在或排在其后")
        elif parent and levels[parent] >= 3:
            errors.append(f"第 {number} 行超过三级（上级“{parent}”已是三级分类）")
        else:
            levels[code] = levels[parent] + 1 if parent else 1
    if errors:
        raise ValidationFailed("分类文件有误：" + "；".join(errors[:10]), field_errors={"file": errors})


def import_categories(actor: Any, rows: Iterable[dict[str, str]]) -> dict[str, int]:
    """Create or update categories by code (idempotent). Returns counts of created / updated / unchanged."""
    v.check_manager(actor)
    rows = list(rows)
    _check_rows(rows)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        by_code = {c.code: c for c in Category.objects.all()}
        for sort, row in enumerate(rows):
            code, name, parent = (row.get(k, "").strip() for k in ("code", "name", "parent"))
            counts[_upsert(by_code, code, name, by_code.get(parent) if parent else None, sort)] += 1
        if counts["created"] or counts["updated"]:
            record_event(subject_type="category", subject_id="import", action="imported", actor=actor,
                         actor_unit=v.actor_unit(actor), data=counts)
    return counts


def _upsert(by_code: dict[str, Category], code: str, name: str, parent: Category | None, sort: int) -> str:
    category = by_code.get(code)
    if category is None:
        by_code[code] = Category.objects.create(code=code, name=name, parent=parent, sort=sort, level=1)
        return "created"
    if (category.name, category.parent_id, category.sort) == (name, getattr(parent, "pk", None), sort):
        return "unchanged"
    category.name, category.parent, category.sort = name, parent, sort
    category.save()
    return "updated"


def check_category(category: Category) -> None:
    """At most three levels (counting the subtree a moved category takes along), and never below itself."""
    parent = category.parent
    if parent is None:
        return
    if category.pk is not None and parent.path.startswith(category.path or "//"):
        raise ValidationFailed("上级分类不能是其自身或下级。", field_errors={"parent": ["上级分类不能是其自身或下级。"]})
    height = 0
    if category.pk is not None:
        height = 2 if category.children.filter(children__isnull=False).exists() else int(category.children.exists())
    if parent.level + 1 + height > 3:
        raise ValidationFailed("诉求分类最多三级。", field_errors={"parent": ["诉求分类最多三级，请选择更高一级的上级分类。"]})


def _save_with_event(actor: Any, row: Category | Channel, names: tuple[str, ...], reason: str) -> None:
    model = type(row)
    before = model.objects.filter(pk=row.pk).values(*names).first() if row.pk else None
    with transaction.atomic():
        row.save()
        record_event(subject_type=str(model._meta.model_name), subject_id=row.code,
                     action="changed" if before else "created", actor=actor, actor_unit=v.actor_unit(actor),
                     before=before, after={name: getattr(row, name) for name in names}, reason=reason)


def save_category(actor: Any, category: Category, *, reason: str = "") -> Category:
    """Save a new or edited category (the admin form uses this), with its event."""
    v.check_manager(actor)
    check_category(category)
    _save_with_event(actor, category, ("code", "name", "parent_id", "is_active", "sort"), reason)
    return category


def save_channel(actor: Any, channel: Channel, *, reason: str = "") -> Channel:
    """Save a new or edited channel (the admin form uses this), with its event."""
    v.check_manager(actor)
    if channel.parent is not None and (channel.parent.parent_id is not None or channel.parent.pk == channel.pk):
        raise ValidationFailed("子渠道只能挂在一级渠道下。", field_errors={"parent": ["子渠道只能挂在一级渠道下。"]})
    _save_with_event(actor, channel, ("code", "name", "parent_id", "is_public", "is_active", "sort"), reason)
    return channel
