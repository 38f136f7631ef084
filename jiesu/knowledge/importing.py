"""Importing articles from Excel/CSV (column layout in docs/dev/knowledge-import.md), Word and HTML documents.

Every row becomes a draft (or, with ``publish=True``, a published version: the actor must be allowed to
publish). A row whose 编号 (or a document's file name) matches an article of the same unit makes a new
version of it, unless nothing changed. The whole file is one transaction: if any row is rejected nothing is
kept (unless ``keep_good_rows``), and a dry run always rolls back, so its report is exactly what an import
would do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from jiesu.catalog.models import Category
from jiesu.core.errors import DomainError
from jiesu.intelligence.retrieval.tables import TableError, read_table
from jiesu.knowledge import services
from jiesu.knowledge.documents import DocumentError, sections
from jiesu.knowledge.models import Article, ArticleKind, VersionStatus
from jiesu.org.models import Region, Unit

COLUMNS = {"编号": "external_key", "类型": "kind", "标题": "title", "正文": "body_html", "主管单位": "unit",
           "诉求分类": "category", "适用区划": "regions", "政策依据": "legal_basis", "来源文件": "source_document",
           "生效日期": "valid_from", "失效日期": "valid_to", "关键词": "keywords", "相似问法": "questions",
           "享受条件": "conditions"}
REQUIRED = ["标题", "正文"]
TABLES = {".csv", ".xlsx", ".xlsm"}
DOCUMENTS = {".docx", ".html", ".htm"}
KINDS = {**{str(label): value for value, label in ArticleKind.choices}, **{v: v for v in ArticleKind.values},
         "指南": ArticleKind.GUIDE, "问答": ArticleKind.FAQ, "答复": ArticleKind.REPLY}
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
OUTCOME_LABELS = {CREATED: "新建", UPDATED: "新版本", UNCHANGED: "无变化", REJECTED: "拒绝"}


class ImportFailed(ValueError):
    """The file as a whole cannot be imported (missing, unreadable, wrong columns); message in Chinese."""


@dataclass
class RowResult:
    line: str  # "第 3 行" or "第 2 节"
    title: str
    outcome: str
    reasons: list[str] = field(default_factory=list)
    article_id: int | None = None


@dataclass
class ImportReport:
    path: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    applied: bool = False
    keys: set[str] = field(default_factory=set, repr=False)  # 编号 seen so far, to catch duplicates

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == REJECTED]

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "dry_run": self.dry_run, "applied": self.applied,
                "counts": {name: self.count(name) for name in OUTCOME_LABELS},
                "rows": [row.__dict__ for row in self.rows]}


def import_file(actor: Any, path: str | Path, *, dry_run: bool = False, unit_code: str | None = None,
                kind: str | None = None, split: str = "document", publish: bool = False,
                keep_good_rows: bool = False, progress: Callable[[str], None] | None = None) -> ImportReport:
    """Imports one file; see the module docstring. Raises ImportFailed when the file cannot be read."""
    path = Path(path)
    records = _records(path, split)
    default_unit = _default_unit(unit_code)
    report = ImportReport(str(path), dry_run)
    with transaction.atomic():
        for n, (line, record) in enumerate(records, start=1):
            if default_unit and not record.get("unit"):
                record["unit"] = default_unit.code
            if kind and not record.get("kind"):
                record["kind"] = kind
            report.rows.append(_import_one(actor, line, record, publish, report))
            if progress and (n % 200 == 0 or n == len(records)):
                progress(f"已处理 {n}/{len(records)}")
        report.applied = not dry_run and (keep_good_rows or not report.rejected)
        if not report.applied:
            transaction.set_rollback(True)
    return report


def _default_unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ImportFailed(f"单位代码“{code}”不存在。")
    return unit


def _records(path: Path, split: str) -> list[tuple[str, dict[str, Any]]]:
    if not path.is_file():
        raise ImportFailed(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in TABLES:
        return _table_records(path)
    if suffix in DOCUMENTS:
        try:
            found = sections(path, split)
        except DocumentError as exc:
            raise ImportFailed(str(exc)) from exc
        return [(f"第 {n} 节", {"external_key": f"{path.stem}#{n}" if len(found) > 1 else path.stem,
                                "title": s.title, "body_html": s.body_html(), "source_document": path.name})
                for n, s in enumerate(found, start=1)]
    raise ImportFailed(f"不支持的文件类型：{path.suffix or '（无扩展名）'}（支持 .xlsx、.csv、.docx、.html）")


def _table_records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        rows = read_table(path, REQUIRED)
    except TableError as exc:
        raise ImportFailed(str(exc)) from exc
    unknown = [name for name in rows[0] if name and name not in COLUMNS]
    if unknown:
        raise ImportFailed(f"无法识别的列：{'、'.join(unknown)}（可用列：{'、'.join(COLUMNS)}）")
    return [(f"第 {n} 行", {COLUMNS[k]: (v or "").strip() for k, v in row.items() if k in COLUMNS})
            for n, row in enumerate(rows, start=2)]


def _import_one(actor: Any, line: str, record: dict[str, Any], publish: bool, report: ImportReport) -> RowResult:
    title = record.get("title", "")
    problems: list[str] = []
    values = _values(record, problems, report)
    if problems:
        return RowResult(line, title, REJECTED, problems)
    try:
        with transaction.atomic():
            outcome, article_id = _save(actor, values, publish)
    except DomainError as exc:
        reasons = [str(exc.message)] if not exc.field_errors else [
            f"{_label(name)}：{'；'.join(msgs)}" for name, msgs in exc.field_errors.items()]
        return RowResult(line, title, REJECTED, reasons)
    return RowResult(line, title, outcome, article_id=article_id)


def _label(name: str) -> str:
    return next((header for header, field_name in COLUMNS.items() if field_name == name), name)


def _values(record: dict[str, Any], problems: list[str], report: ImportReport) -> dict[str, Any]:
    values = {k: v for k, v in record.items() if k in services.TEXT_FIELDS}
    values["external_key"] = record.get("external_key", "")
    key = values["external_key"]
    if key and key in report.keys:
        problems.append(f"编号“{key}”在文件中重复。")
    report.keys.add(key)
    values["kind"] = KINDS.get(record.get("kind") or "policy")
    if values["kind"] is None:
        problems.append(f"类型“{record['kind']}”无效，可用：{'、'.join(str(label) for _, label in ArticleKind.choices)}。")
    values["unit"] = _unit(record.get("unit", ""), problems)
    values["category"] = _category(record.get("category", ""), problems)
    values["regions"] = _regions(record.get("regions", ""), problems)
    for name in ("valid_from", "valid_to"):
        values[name] = str(values.get(name) or "")[:10]
    if values.get("questions"):
        values["questions"] = values["questions"].replace("\n", ";")
    values["conditions"] = _conditions(record.get("conditions", ""), problems)
    try:  # every field problem in one report, even when the row is already rejected for its unit
        services.clean_fields({k: v for k, v in values.items() if k in services.TEXT_FIELDS})
    except DomainError as exc:
        problems += [f"{_label(name)}：{'；'.join(msgs)}" for name, msgs in exc.field_errors.items()]
    return values


def _unit(text: str, problems: list[str]) -> Unit | None:
    if not text:
        problems.append("缺少主管单位（填写“主管单位”列或用 --unit 指定）。")
        return None
    unit = Unit.objects.filter(code=text).first() or Unit.objects.filter(name=text).first()
    if unit is None:
        problems.append(f"主管单位“{text}”不存在（填单位代码或全称，或用 --unit 指定）。")
    return unit


def _category(code: str, problems: list[str]) -> Category | None:
    if not code:
        return None
    category = Category.objects.filter(code=code).first()
    if category is None:
        problems.append(f"诉求分类代码“{code}”不存在。")
    return category


def _regions(text: str, problems: list[str]) -> list[Region]:
    codes = [c for c in text.replace("；", " ").replace(";", " ").replace("、", " ").split() if c]
    regions = list(Region.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {r.code for r in regions})
    if missing:
        problems.append(f"区划代码不存在：{'、'.join(missing)}。")
    return regions


def _conditions(text: str, problems: list[str]) -> list[Any]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        problems.append("享受条件须为 JSON 列表，例如 [{\"field\": \"age\", \"op\": \">=\", \"value\": 80}]。")
        return []
    return value


def _save(actor: Any, values: dict[str, Any], publish: bool) -> tuple[str, int]:
    unit, kind, category, regions = (values.pop(k) for k in ("unit", "kind", "category", "regions"))
    key = values.pop("external_key")
    existing = Article.objects.filter(unit=unit, external_key=key).first() if key else None
    if existing is None:
        version = services.create_draft(actor, unit=unit, kind=kind, category=category, regions=regions,
                                        external_key=key, **values)
        outcome = CREATED
    else:
        if _unchanged(existing, values):
            return UNCHANGED, existing.pk
        version = services.create_draft(actor, article=existing, **values)
        if (kind, category, {r.pk for r in regions}) != (existing.kind, existing.category,
                                                          set(existing.regions.values_list("pk", flat=True))):
            services.edit_draft(actor, version, kind=kind, category=category, regions=regions)
        outcome = UPDATED
    if publish:
        services.publish(actor, services.submit(actor, version), note="批量导入")
    return outcome, version.article_id


def _unchanged(article: Article, values: dict[str, Any]) -> bool:
    latest = article.versions.exclude(status=VersionStatus.REJECTED).order_by("-number").first()
    if latest is None:
        return False
    cleaned = services.clean_fields(dict(values))
    return all(getattr(latest, name) == value for name, value in cleaned.items())
