"""The circular as an Excel workbook: one sheet per section, rates, scores, ranks, changes and totals as real
formulas over the cells of the sheet (the values computed in Python are what the PDF prints)."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jiesu.core.documents import xlsx
from jiesu.evaluation.circular.sections import (
    CHANGE,
    DECIMAL,
    INTEGER,
    NUMBER,
    PERCENT,
    POINTS,
    Part,
    Table,
)

FORMATS = {INTEGER: xlsx.INTEGER, PERCENT: xlsx.PERCENT, DECIMAL: xlsx.DECIMAL, NUMBER: "General",
           CHANGE: "+0;-0;0", POINTS: "+0.0%;-0.0%;0.0%"}
PLACEHOLDER = re.compile(r"\{(\w+)(:range|!)?\}")


def _formula(template: str, row: int, columns: dict[str, str], ranges: dict[str, str],
             parameters: dict[str, str]) -> str:
    def cell(match: re.Match[str]) -> str:
        key, kind = match.group(1), match.group(2)
        if kind == "!":
            return parameters[key]
        if kind == ":range":
            return ranges[key]
        return f"{columns[key]}{row}"
    return PLACEHOLDER.sub(cell, template)


def _parameters(ws: Worksheet, part: Part, row: int) -> tuple[dict[str, str], int]:
    cells: dict[str, str] = {}
    if not part.parameters:
        return cells, row
    ws.cell(row=row, column=1, value=part.parameters_title).font = Font(bold=True)
    row += 1
    for name, label, value in part.parameters:
        ws.cell(row=row, column=1, value=label).border = xlsx.BORDER
        target = ws.cell(row=row, column=2, value=value)
        target.border = xlsx.BORDER
        cells[name] = f"$B${row}"
        row += 1
    return cells, row + 1


def _table(ws: Worksheet, table: Table, row: int, parameters: dict[str, str]) -> int:
    if table.caption:
        ws.cell(row=row, column=1, value=table.caption).font = Font(bold=True, size=12)
        row += 1
    if not table.rows:
        ws.cell(row=row, column=1, value=table.empty).font = Font(color="6C757D")
        return row + 2
    xlsx.header(ws, row, [c.label for c in table.columns])
    first = row + 1
    letters = {c.key: get_column_letter(i) for i, c in enumerate(table.columns, start=1)}
    data_rows = [r for r in table.rows if not r.get("_total")]
    last_data = first + len(data_rows) - 1
    ranges = {k: f"${col}${first}:${col}${last_data}" for k, col in letters.items()}
    for offset, values in enumerate(table.rows):
        number = first + offset
        formulas, formats = values.get("_formula", {}), values.get("_fmt", {})
        for index, col in enumerate(table.columns, start=1):
            template = formulas.get(col.key, col.formula)
            value: Any = (_formula(template, number, letters, ranges, parameters) if template
                          else values.get(col.key))
            cell = ws.cell(row=number, column=index, value=value)
            cell.number_format = FORMATS.get(formats.get(col.key, col.fmt), "General")
            if values.get("_total"):
                cell.font = Font(bold=True)
        fill = xlsx.FILLS.get(table.highlight.get(offset, ""))
        if fill is not None:
            xlsx.fill_row(ws, number, len(table.columns), fill)
    xlsx.border_range(ws, first, first + len(table.rows) - 1, len(table.columns))
    return first + len(table.rows) + 1


def _sheet(wb: Workbook, index: int, part: Part, title: str, subtitle: str) -> None:
    ws = wb.active if index == 0 else wb.create_sheet()
    assert ws is not None
    ws.title = f"{index + 1}.{part.title}"[:31]
    width = max((len(t.columns) for t in part.tables), default=6)
    row = xlsx.title(ws, f"{title}　{part.title}", subtitle, width=width)
    if part.summary:
        ws.cell(row=row, column=1, value=part.summary).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.row_dimensions[row].height = 15 * (1 + len(part.summary) // (width * 9))
        row += 2
    parameters, row = _parameters(ws, part, row)
    for table in part.tables:
        row = _table(ws, table, row, parameters)
    if part.note:
        ws.cell(row=row, column=1, value=part.note).font = Font(color="6C757D", size=9)
    widest = max(part.tables, key=lambda t: len(t.columns)) if part.tables else None
    if widest is not None:
        xlsx.widths(ws, [max(c.width, 14 if i == 0 and part.parameters else 0)
                         for i, c in enumerate(widest.columns)])


def workbook(circular: Any) -> bytes:
    wb = Workbook()
    for index, part in enumerate(circular.parts):
        _sheet(wb, index, part, circular.title, circular.subtitle)
    wb.properties.title = f"{circular.title} {circular.subtitle}"
    wb.properties.creator = "jiesu"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
