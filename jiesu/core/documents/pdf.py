"""A small layer over fpdf2 for the product's PDF documents: a Chinese font embedded (subset), headings,
paragraphs, tables that wrap Chinese text by character, and a page footer with "第 N 页 / 共 M 页".

Usage::

    doc = PdfDocument("四平市12345热线月度通报", subtitle="2026年11月")
    doc.heading("一、总体情况")
    doc.table([Column("指标", 3), Column("本月", 1, "R")], [["受理量", "1,234"]])
    data = doc.output()
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from jiesu.core.documents.fonts import chinese_font

SANS, SERIF = "jiesu-sans", "jiesu-serif"
logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting logs every table it prunes
INK, MUTED, RULE = (33, 37, 41), (108, 117, 125), (206, 212, 218)
HEADER_FILL, STRIPE_FILL = (232, 238, 246), (248, 249, 251)
HIGHLIGHTS = {"red": (253, 226, 226), "green": (226, 244, 232), "amber": (255, 243, 205)}


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 1.0  # a share of the table's width
    align: str = "L"  # L, C or R


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(SANS, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text}    第 {self.page_no()} 页 / 共 {{nb}} 页", align=Align.C)


class PdfDocument:
    """One document; write into it in reading order, then ``output()`` the bytes."""

    def __init__(self, title: str, *, subtitle: str = "", author: str = "", landscape: bool = False,
                 serif_title: bool = False, generated_at: datetime | None = None):
        self.pdf = _Pdf(orientation="L" if landscape else "P", unit="mm", format="A4")
        self._fonts: set[str] = set()
        self._use(SANS)
        self.pdf.set_title(title)
        self.pdf.set_author(author or "接诉 jiesu")
        self.pdf.set_creator("jiesu")
        self.pdf.set_lang("zh-CN")
        if generated_at is not None:
            self.pdf.set_creation_date(generated_at)
        self.pdf.footer_text = title
        self.pdf.set_margins(18, 16, 18)
        self.pdf.set_auto_page_break(True, margin=18)
        self.pdf.add_page()
        self._title(title, subtitle, SERIF if serif_title else SANS)

    def _use(self, family: str) -> str:
        """Registers a face the first time it is used (reading a CJK font costs a fraction of a second)."""
        if family not in self._fonts:
            font = chinese_font("serif" if family == SERIF else "sans")
            self.pdf.add_font(family, "", str(font.path), collection_font_number=font.collection_index)
            self._fonts.add(family)
        return family

    @property
    def width(self) -> float:
        return self.pdf.epw

    def _bold(self, on: bool) -> None:
        """The embedded faces have one weight; headings are drawn filled and stroked to look bold."""
        self.pdf.text_mode = TextMode.FILL_STROKE if on else TextMode.FILL
        self.pdf.set_line_width(0.18 if on else 0.2)
        self.pdf.set_draw_color(*INK)

    def _title(self, title: str, subtitle: str, family: str) -> None:
        self.pdf.set_text_color(*INK)
        self.pdf.set_font(self._use(family), size=18)
        self._bold(True)
        self.pdf.multi_cell(0, 10, title, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self._bold(False)
        if subtitle:
            self.pdf.set_font(SANS, size=11)
            self.pdf.set_text_color(*MUTED)
            self.pdf.multi_cell(0, 7, subtitle, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                                new_y=YPos.NEXT)
        self.pdf.ln(3)
        self.pdf.set_draw_color(*RULE)
        self.pdf.line(self.pdf.l_margin, self.pdf.get_y(), self.pdf.l_margin + self.width, self.pdf.get_y())
        self.pdf.ln(4)

    def heading(self, text: str, level: int = 1, *, keep: float = 0) -> None:
        """A heading; ``keep`` mm of what follows must fit under it on the page, else it starts a new page."""
        size = {1: 14, 2: 12}.get(level, 11)
        if self.pdf.will_page_break(size * 2 + keep):
            self.pdf.add_page()
        self.pdf.ln(2)
        self.pdf.set_font(SANS, size=size)
        self.pdf.set_text_color(*INK)
        self._bold(True)
        self.pdf.multi_cell(0, size * 0.55, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._bold(False)
        self.pdf.ln(1.5)

    def paragraph(self, text: str, *, size: float = 10.5, serif: bool = False, indent: bool = False) -> None:
        self.pdf.set_font(self._use(SERIF) if serif else SANS, size=size)
        self.pdf.set_text_color(*INK)
        body = f"\u3000\u3000{text}" if indent else text
        self.pdf.multi_cell(0, size * 0.6, body, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1.5)

    def note(self, text: str) -> None:
        self.pdf.set_font(SANS, size=8.5)
        self.pdf.set_text_color(*MUTED)
        self.pdf.multi_cell(0, 4.5, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_text_color(*INK)
        self.pdf.ln(1)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[object]], *, size: float = 9,
              highlight: dict[int, str] | None = None) -> None:
        """A table with a heading row repeated on each page; ``highlight`` colours rows by index
        ("red", "green", "amber")."""
        highlight = highlight or {}
        self.pdf.set_font(SANS, size=size)
        self.pdf.set_text_color(*INK)
        self.pdf.set_draw_color(*RULE)
        self.pdf.set_line_width(0.2)
        heading = FontFace(emphasis=None, fill_color=HEADER_FILL)
        with self.pdf.table(col_widths=[c.width for c in columns], headings_style=heading, line_height=size * 0.6,
                            text_align=[c.align for c in columns], wrapmode=WrapMode.CHAR,
                            cell_fill_mode=TableCellFillMode.ROWS, cell_fill_color=STRIPE_FILL,
                            padding=1.2, width=self.width) as table:
            head = table.row()
            for column in columns:
                head.cell(column.label, align=Align.C)
            for index, values in enumerate(rows):
                colour = HIGHLIGHTS.get(highlight.get(index, ""))
                style = FontFace(fill_color=colour) if colour else None
                row = table.row(style=style)
                for value in values:
                    row.cell("" if value is None else str(value))
        self.pdf.ln(3)

    def key_values(self, pairs: Sequence[tuple[str, object]], *, label_width: float = 0.3) -> None:
        """Label–value lines, e.g. the addressee and deadline of a letter."""
        self.pdf.set_font(SANS, size=10.5)
        for label, value in pairs:
            self.pdf.set_text_color(*MUTED)
            self.pdf.cell(self.width * label_width, 7, label)
            self.pdf.set_text_color(*INK)
            self.pdf.multi_cell(0, 7, "" if value is None else str(value), wrapmode=WrapMode.CHAR,
                                new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)

    def image(self, data: bytes, *, width: float, x: float | None = None, y: float | None = None,
              caption: str = "") -> None:
        """A picture (PNG/JPEG bytes) ``width`` mm wide; at (x, y) without moving the text, else in the flow.
        A ``caption`` is written under it in small type."""
        import io

        placed = x is not None and y is not None
        left: float = x if x is not None and placed else self.pdf.get_x()
        top: float = y if y is not None and placed else self.pdf.get_y()
        keep = (self.pdf.get_x(), self.pdf.get_y())
        self.pdf.image(io.BytesIO(data), x=left, y=top, w=width)
        if caption:
            self.pdf.set_font(SANS, size=7.5)
            self.pdf.set_text_color(*MUTED)
            self.pdf.set_xy(left - 4, top + width + 0.5)
            self.pdf.multi_cell(width + 8, 3.6, caption, align=Align.C, wrapmode=WrapMode.CHAR)
            self.pdf.set_text_color(*INK)
        if placed:
            self.pdf.set_xy(*keep)
        else:
            self.pdf.set_xy(self.pdf.l_margin, top + width + (8 if caption else 2))

    def page_break(self) -> None:
        self.pdf.add_page()

    def output(self) -> bytes:
        return bytes(self.pdf.output())
