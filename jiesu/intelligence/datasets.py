"""Reading labelled or unlabelled ticket history from CSV or Excel files, with errors in plain Chinese."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jiesu.intelligence.text import normalize

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


class DatasetError(ValueError):
    """A data file that cannot be used as given; the message is for the person running the command."""


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    sha256: str
    encoding: str = ""


@dataclass
class Dataset:
    texts: list[str]
    labels: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def read_table(path: str | Path) -> Table:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"找不到数据文件：{path}")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() in EXCEL_SUFFIXES:
        columns, rows = _read_excel(path)
        return Table(path, columns, rows, digest, "xlsx")
    if path.suffix.lower() == ".xls":
        raise DatasetError(f"不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV：{path}")
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        columns, rows = _read_csv(text, path)
        return Table(path, columns, rows, digest, encoding)
    raise DatasetError(f"无法识别文件编码（支持 UTF-8 和 GB18030）：{path}")


def _read_csv(text: str, path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header:
            raise DatasetError(f"文件为空或没有表头：{path}")
        columns = [normalize(h) for h in header]
        rows = [dict(zip(columns, (cell or "" for cell in row), strict=False)) for row in reader if any(row)]
    except csv.Error as exc:
        raise DatasetError(f"CSV 文件格式有误（{exc}）：{path}") from exc
    return columns, rows


def _read_excel(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DatasetError(f"无法打开 Excel 文件（{exc.__class__.__name__}）：{path}") from exc
    try:
        values = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(values, None)
        if not header or not any(header):
            raise DatasetError(f"Excel 第一个工作表为空或没有表头：{path}")
        columns = [normalize("" if h is None else str(h)) for h in header]
        rows = []
        for row in values:
            if row and any(cell is not None and str(cell).strip() for cell in row):
                rows.append({c: "" if v is None else str(v) for c, v in zip(columns, row, strict=False)})
    finally:
        workbook.close()
    return columns, rows


def parse_columns(spec: str | list[str]) -> list[str]:
    """``"留言主题,留言详情"`` → two names; accepts the Chinese comma too."""
    items = spec if isinstance(spec, list) else spec.replace("，", ",").split(",")
    return [normalize(c) for c in items if normalize(c)]


def _check_columns(table: Table, wanted: list[str]) -> None:
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise DatasetError(
            f"文件 {table.path.name} 中没有列：{'、'.join(missing)}；现有列：{'、'.join(table.columns)}"
        )


def join_text(row: dict[str, str], text_cols: list[str]) -> str:
    return " ".join(normalize(row.get(c, "")) for c in text_cols).strip()


def load_dataset(path: str | Path, text_cols: str | list[str], label_col: str | None = None) -> Dataset:
    """Texts (the text columns joined) and, when ``label_col`` is given, labels; rows without either are skipped."""
    table = read_table(path)
    cols = parse_columns(text_cols)
    if not cols:
        raise DatasetError("请用 --text-cols 指定至少一个文本列")
    _check_columns(table, cols + ([label_col] if label_col else []))
    texts, labels, skipped = [], [], 0
    for row in table.rows:
        text = join_text(row, cols)
        label = normalize(row.get(label_col, "")) if label_col else ""
        if not text or (label_col and not label):
            skipped += 1
            continue
        texts.append(text)
        labels.append(label)
    if not texts:
        raise DatasetError(f"文件 {table.path.name} 中没有可用的数据行")
    summary = {
        "file": table.path.name, "sha256": table.sha256, "rows": len(texts), "skipped_rows": skipped,
        "text_cols": cols, "label_col": label_col or "",
    }
    if label_col:
        summary["label_counts"] = dict(Counter(labels).most_common())
    return Dataset(texts, labels if label_col else [], summary)
