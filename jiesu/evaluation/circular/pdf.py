"""The circular as a PDF through the product's document helpers (fpdf2, embedded Noto SC): the same sections
and tables as the workbook, with the values computed in Python and only the columns a reader needs."""

from __future__ import annotations

from typing import Any

from jiesu.core.documents import Column, PdfDocument
from jiesu.evaluation.circular.sections import CHANGE, DECIMAL, INTEGER, NUMBER, PERCENT, POINTS, Part, Table

NUMERALS = "一二三四五六七八九十"
RIGHT = {INTEGER, PERCENT, DECIMAL, NUMBER, CHANGE, POINTS}


def cell_text(value: Any, fmt: str) -> str:
    if value is None or value == "":
        return "—"
    if fmt == INTEGER:
        return f"{int(value):,}"
    if fmt == PERCENT:
        return f"{value * 100:.1f}%"
    if fmt == DECIMAL:
        return f"{value:.2f}"
    if fmt == NUMBER:
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if fmt == CHANGE:
        return "持平" if value == 0 else f"{'↑' if value > 0 else '↓'}{abs(int(value))}"
    if fmt == POINTS:
        return "持平" if abs(value) < 0.0005 else f"{'↑' if value > 0 else '↓'}{abs(value) * 100:.1f}个百分点"
    return str(value)


def _table(doc: PdfDocument, table: Table) -> None:
    if table.caption:
        doc.heading(table.caption, level=2, keep=30 if table.rows else 8)  # the header and first rows with it
    if not table.rows:
        doc.paragraph(table.empty, size=9.5)
        return
    columns = [c for c in table.columns if c.pdf]
    rows = [[cell_text(r.get(c.key), r.get("_fmt", {}).get(c.key, c.fmt)) for c in columns] for r in table.rows]
    doc.table([Column(c.label, c.width, "R" if c.fmt in RIGHT else "L") for c in columns], rows,
              size=8 if len(columns) > 8 else 9, highlight=table.highlight)


def _part(doc: PdfDocument, number: int, part: Part) -> None:
    doc.heading(f"{NUMERALS[number] if number < len(NUMERALS) else number + 1}、{part.title}")
    if part.summary:
        doc.paragraph(part.summary, indent=True)
    for table in part.tables:
        _table(doc, table)
    if part.note:
        doc.note(part.note)


def document(circular: Any) -> bytes:
    doc = PdfDocument(circular.title, subtitle=circular.subtitle, generated_at=circular.generated_at)
    for number, part in enumerate(circular.parts):
        _part(doc, number, part)
    doc.note(f"生成时间：{circular.generated_at:%Y-%m-%d %H:%M}。{circular.legend}")
    return doc.output()
