"""Reading a call centre's export (CSV in UTF-8 or GB18030, or .xlsx) with Chinese or English column names,
checking every row first, and importing the good rows in one transaction (`jiesu calls import FILE`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiesu.calls import services
from jiesu.calls.models import DEFAULT_SOURCE
from jiesu.calls.records import FIELDS, CallRecord, Checker, text

ENCODINGS = ("utf-8-sig", "gb18030")
HEADERS: dict[str, tuple[str, ...]] = {
    "call_id": ("呼叫编号", "话单编号", "通话编号", "流水号", "call id", "call_id", "callid", "id"),
    "line": ("线路", "被叫线路", "被叫号码", "热线", "line", "sub-line", "channel"),
    "caller": ("主叫号码", "来电号码", "主叫", "caller", "caller number", "caller_number", "ani"),
    "offered_at": ("呼入时间", "进线时间", "来电时间", "offered at", "offered_at", "offered"),
    "answered_at": ("接通时间", "应答时间", "answered at", "answered_at", "answered"),
    "ended_at": ("结束时间", "挂机时间", "ended at", "ended_at", "ended"),
    "seat": ("坐席", "坐席工号", "工号", "seat", "agent"),
    "queue": ("队列", "技能组", "queue", "skill group"),
    "survey": ("满意度", "话务评价", "评价", "survey", "satisfaction", "survey answer"),
}
_BY_HEADER = {name.lower(): key for key, names in HEADERS.items() for name in names}


class ImportFailed(ValueError):
    """The file cannot be read at all (missing, damaged, no known columns); the message is for the user."""


@dataclass
class BadRow:
    line: int
    call_id: str
    reasons: list[str]


@dataclass
class FileReport:
    path: str
    rows: int = 0
    bad: list[BadRow] = field(default_factory=list)
    imported: int = 0
    already: int = 0
    linked: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "rows": self.rows, "imported": self.imported, "already": self.already,
                "linked": self.linked, "bad": [{"line": b.line, "call_id": b.call_id, "reasons": b.reasons}
                                               for b in self.bad]}


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number as a spreadsheet shows it, {field: cell}) for every non-empty row after the header."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"找不到文件：{path}")
    lines = _xlsx_lines(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else _csv_lines(path)
    header = next(lines, None)
    columns = [_BY_HEADER.get(text(h).lower()) for h in (header or [])]
    missing = [k for k in ("call_id", "line", "offered_at", "ended_at") if k not in columns]
    if missing:
        names = "、".join(HEADERS[k][0] for k in missing)
        raise ImportFailed(f"文件缺少列：{names}（表头可用中文或英文，见 docs/dev/figures.md）")
    for number, cells in enumerate(lines, start=2):
        if any(text(c) for c in cells):
            yield number, {key: cell for key, cell in zip(columns, cells, strict=False) if key in FIELDS}


def _csv_lines(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            content = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            yield from csv.reader(io.StringIO(content, newline=""))
        except csv.Error as exc:
            raise ImportFailed(f"CSV 格式错误：{exc}") from exc
        return
    raise ImportFailed(f"无法识别文件编码（支持 UTF-8 与 GB18030）：{path}")


def _xlsx_lines(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportFailed(f"无法读取 Excel 文件：{path}（{exc.__class__.__name__}）") from exc
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def check_file(path: str | Path) -> tuple[FileReport, list[CallRecord]]:
    """Every row checked: the good records and the report of the bad rows, before anything is written."""
    report = FileReport(str(path))
    checker = Checker()
    good: list[CallRecord] = []
    for line, raw in read_rows(path):
        report.rows += 1
        checked = checker.check(raw, line)
        if isinstance(checked, CallRecord):
            good.append(checked)
        else:
            report.bad.append(BadRow(line, text(raw.get("call_id")), checked))
    return report, good


def import_file(actor: Any, path: str | Path, source: str = DEFAULT_SOURCE, *,
                progress: services.Progress | None = None) -> FileReport:
    """Checks the whole file, then imports its good rows in one transaction; bad rows are reported and skipped."""
    report, good = check_file(path)
    result = services.import_calls(actor, good, source, progress=progress, note=Path(path).name)
    report.imported, report.already, report.linked = result.imported, len(result.already), result.linked
    return report
