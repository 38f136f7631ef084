"""Reading policy documents (Word .docx, HTML) into article records: one per document or one per section.

A document's title is its first top-level heading (Word: 标题/Title/Heading 1; HTML: <h1>, else <title>),
else the file name. Split "heading" cuts the text at the highest heading level below the title; text before
the first such heading becomes an article of its own under the document's title.

A Word document is read in body order, paragraphs and tables interleaved, so a table belongs to the section
whose heading precedes it. Each table row becomes one paragraph of plain text, its cells joined by " ｜ "
(see ``table_lines``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiesu.intelligence.text import normalize

if TYPE_CHECKING:
    from docx.table import Table, _Cell, _Row

CELL_SEPARATOR = " ｜ "
NESTED_ROW_SEPARATOR = "；"


class DocumentError(ValueError):
    """The document cannot be read; the message is for the user."""


@dataclass
class Block:
    level: int  # 0 = paragraph, 1..6 = heading level
    text: str


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def body_html(self) -> str:
        parts = []
        for block in self.blocks:
            tag = "h3" if block.level else "p"
            parts.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
        return "".join(parts)


def read_docx(path: Path) -> tuple[str, list[Block]]:
    from docx import Document
    from docx.table import Table as DocxTable

    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for files that are not .docx
        raise DocumentError(f"无法读取 Word 文件（须为 .docx 格式，.doc 请先另存为 .docx）：{path.name}") from exc
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            blocks += [Block(0, line) for line in table_lines(item)]
        elif text := normalize(item.text):
            blocks.append(Block(_docx_level(item.style.name if item.style else ""), text))
    title = normalize(document.core_properties.title or "")
    return title, blocks


def table_lines(table: Table) -> list[str]:
    """One line per row with any text, header row first: the row's cells joined by " ｜ ".

    An empty cell keeps its place (values stay under their headings) except at the end of a row. A cell merged
    across columns appears once; a cell merged down rows is repeated on each of its rows, so every line reads
    on its own. A table inside a cell is flattened into that cell's text (rows joined by "；").
    """
    return [CELL_SEPARATOR.join(cells) for cells in _table_rows(table)]


def _table_rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in _row_cells(row):
            if cell._tc is not last:  # a horizontal merge gives the same cell once per column it spans
                cells.append(_cell_text(cell))
            last = cell._tc
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def _row_cells(row: _Row) -> list[_Cell]:
    from docx.table import _Cell

    try:
        return list(row.cells)
    except ValueError:  # a vertical merge with no cell above it (a damaged file): the row's own cells
        return [_Cell(tc, row.table) for tc in row._tr.tc_lst]


def _cell_text(cell: _Cell) -> str:
    from docx.table import Table as DocxTable

    parts = []
    for item in cell.iter_inner_content():
        if isinstance(item, DocxTable):
            parts.append(NESTED_ROW_SEPARATOR.join(" ".join(filter(None, cells)) for cells in _table_rows(item)))
        else:
            parts.append(normalize(item.text))
    return " ".join(part for part in parts if part)


def _docx_level(style: str) -> int:
    style = style.strip()
    if style in {"Title", "标题"}:
        return 1
    for prefix in ("Heading ", "标题 "):
        if style.startswith(prefix) and style[len(prefix):].isdigit():
            return min(int(style[len(prefix):]), 6)
    return 0


class _HtmlBlocks(HTMLParser):
    BLOCKS = {"p", "li", "tr", "div", "blockquote", "section", "article", "td", "th", "br", "dd", "dt"}
    HEADINGS = {f"h{n}": n for n in range(1, 7)}
    SKIP = {"script", "style", "head", "nav", "footer", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._text: list[str] = []
        self._level = 0
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skip += 1
        elif tag in self.HEADINGS or tag in self.BLOCKS:
            self._flush()
            self._level = self.HEADINGS.get(tag, 0)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.HEADINGS or tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._text.append(data)

    def _flush(self) -> None:
        text = normalize("".join(self._text))
        if text:
            self.blocks.append(Block(self._level, text))
        self._text, self._level = [], 0

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(path: Path) -> tuple[str, list[Block]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocumentError(f"无法识别网页文件编码（支持 UTF-8 与 GB18030）：{path.name}")
    parser = _HtmlBlocks()
    parser.feed(text)
    parser.close()
    return normalize(parser.title), parser.blocks


def sections(path: Path, split: str = "document") -> list[Section]:
    """The articles a document gives: one (split "document") or one per top section (split "heading")."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        meta_title, blocks = read_docx(path)
    elif suffix in {".html", ".htm"}:
        meta_title, blocks = read_html(path)
    else:
        raise DocumentError(f"不支持的文档类型：{path.suffix}（支持 .docx、.html）")
    if not any(block.level == 0 for block in blocks):
        raise DocumentError(f"文档中没有正文：{path.name}")
    title = meta_title or path.stem
    if blocks and blocks[0].level == 1:
        title = blocks.pop(0).text
    if split != "heading":
        return [Section(title, blocks)]
    return _split(title, blocks)


def _split(title: str, blocks: list[Block]) -> list[Section]:
    levels = [block.level for block in blocks if block.level]
    if not levels:
        return [Section(title, blocks)]
    top = min(levels)
    out = [Section(title)]
    for block in blocks:
        if block.level == top:
            out.append(Section(block.text))
        else:
            out[-1].blocks.append(block)
    return [section for section in out if any(block.level == 0 for block in section.blocks)]
