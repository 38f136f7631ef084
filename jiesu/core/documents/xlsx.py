"""openpyxl helpers shared by the product's spreadsheets: a styled heading row, column widths, number formats."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")
RED_FILL = PatternFill("solid", fgColor="FDE2E2")
GREEN_FILL = PatternFill("solid", fgColor="E2F4E8")
AMBER_FILL = PatternFill("solid", fgColor="FFF3CD")
FILLS = {"red": RED_FILL, "green": GREEN_FILL, "amber": AMBER_FILL}  # the PDF helper's highlight names
THIN = Side(style="thin", color="CED4DA")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(size=14, bold=True)


def title(ws: Worksheet, text: str, subtitle: str = "", width: int = 6) -> int:
    """A title (and subtitle) over the first rows; returns the next free row."""
    ws.cell(row=1, column=1, value=text).font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    if subtitle:
        ws.cell(row=2, column=1, value=subtitle).font = Font(color="6C757D")
        return 4
    return 3


def header(ws: Worksheet, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def widths(ws: Worksheet, values: Sequence[float]) -> None:
    for column, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def border_range(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = BORDER


def fill_row(ws: Worksheet, row: int, columns: int, fill: PatternFill) -> None:
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).fill = fill
