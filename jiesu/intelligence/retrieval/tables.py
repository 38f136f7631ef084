"""Reading a table of messages and replies (CSV in UTF-8 or GB18030, or .xlsx) with errors in Chinese."""

from __future__ import annotations

import csv
import io
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")


class TableError(ValueError):
    """The file cannot be read or lacks a column; the message is for the user."""


def read_table(path: str | Path, required: list[str]) -> list[dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise TableError(f"找不到文件：{path}")
    rows = _read_xlsx(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else _read_csv(path)
    if not rows:
        raise TableError(f"文件中没有数据行：{path}")
    missing = [name for name in required if name not in rows[0]]
    if missing:
        raise TableError(f"文件缺少列：{'、'.join(missing)}（现有列：{'、'.join(rows[0])}）")
    return rows


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""))
            return [{(k or "").strip(): v or "" for k, v in row.items()} for row in reader]
        except csv.Error as error:
            raise TableError(f"CSV 格式错误：{error}") from error
    raise TableError(f"无法识别文件编码（支持 UTF-8 与 GB18030）：{path}")


def _read_xlsx(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise TableError(f"无法读取 Excel 文件：{path}（{error}）") from error
    lines = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(lines, [])]
    return [{name: "" if cell is None else str(cell) for name, cell in zip(header, line, strict=False)}
            for line in lines if any(cell is not None for cell in line)]
