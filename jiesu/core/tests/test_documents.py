"""The shared PDF helpers embed a Chinese font and lay out text and tables; the font is found without setup."""

from __future__ import annotations

import re

import pytest

from jiesu.core.documents import Column, FontMissing, PdfDocument, chinese_font, fonts


def _pages(data: bytes) -> int:
    return max(int(n) for n in re.findall(rb"/Count (\d+)", data))


def test_a_document_embeds_a_subset_of_a_chinese_font():
    doc = PdfDocument("四平市12345热线月度通报", subtitle="2026年11月")
    doc.heading("一、总体情况")
    doc.paragraph("本月受理群众诉求 1,234 件，办结率 99.9%。", indent=True)
    data = doc.output()
    assert data.startswith(b"%PDF-")
    assert b"/FontFile3" in data or b"/FontFile2" in data  # the font program itself is in the file
    assert re.search(rb"/BaseFont /[A-Z]{6}\+Noto", data)  # a subset (six-letter tag) of a Noto face
    assert b"/Lang (zh-CN)" in data


def test_long_tables_continue_on_new_pages():
    doc = PdfDocument("排名")
    doc.table([Column("名次", 1, "C"), Column("单位", 4)], [[i, f"单位{i}"] for i in range(120)],
              highlight={0: "green", 119: "red"})
    assert _pages(doc.output()) >= 3


def test_serif_is_registered_only_when_used():
    plain = PdfDocument("说明")
    assert b"Serif" not in plain.output()
    formal = PdfDocument("督办函", serif_title=True)
    assert b"Serif" in formal.output()


def test_the_setting_names_a_font_file(monkeypatch, tmp_path):
    monkeypatch.setenv("JIESU_PDF_FONT", str(tmp_path / "missing.otf"))
    with pytest.raises(FontMissing, match="JIESU_PDF_FONT"):
        chinese_font()
    real = fonts._from_package("sans") or fonts._from_system("sans")
    assert real is not None
    monkeypatch.setenv("JIESU_PDF_FONT", str(real.path))
    assert chinese_font().path == real.path


def test_without_any_font_the_error_says_what_to_install(monkeypatch):
    monkeypatch.delenv("JIESU_PDF_FONT", raising=False)
    monkeypatch.setattr(fonts, "_from_package", lambda style: None)
    monkeypatch.setattr(fonts, "_from_system", lambda style: None)
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        chinese_font()


def test_the_packaged_font_is_installed_with_jiesu():
    found = fonts._from_package("sans")
    assert found is not None and found.path.name == "NotoSansSC-Regular.otf"


def test_spreadsheet_helpers_style_the_heading_row():
    from openpyxl import Workbook

    from jiesu.core.documents import xlsx

    ws = Workbook().active
    first = xlsx.title(ws, "月度通报", "2026年11月", width=3)
    xlsx.header(ws, first, ["单位", "件数", "比率"])
    xlsx.widths(ws, [20, 8, 8])
    assert first == 4
    assert ws.cell(row=4, column=1).font.bold and ws.cell(row=4, column=3).value == "比率"
    assert ws.column_dimensions["A"].width == 20
