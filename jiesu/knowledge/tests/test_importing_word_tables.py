"""Tables in Word documents: read in body order, one line per row, in the section whose heading precedes them."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.urls import reverse
from docx import Document

from jiesu.intelligence.text import normalize
from jiesu.knowledge.documents import table_lines
from jiesu.knowledge.importing import import_file
from jiesu.knowledge.models import Article, ArticleVersion

HEADER = "办理地点 ｜ 地址 ｜ 办公时间"
CITY = "铁西区 ｜ 中央路1号 ｜ 8:30-17:00"
MERGED = "铁东区 ｜ 暂停办理"
LEAD = "为方便群众办理社会救助，公布办理地点如下。"
PLACES = "各区办理地点及时间见下表。"
PAPERS = "申请人须携带身份证和户口簿。"


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def _policy(tmp_path, name="places.docx"):
    """Title, a lead paragraph, a section with a paragraph and a table, then another section."""
    document = Document()
    document.add_heading("社会救助办理指南", level=1)
    document.add_paragraph(LEAD)
    document.add_heading("一、办理地点", level=2)
    document.add_paragraph(PLACES)
    table = _table(document, [["办理地点", "地址", "办公时间"], ["铁西区", "中央路1号", "8:30-17:00"],
                              ["", "", ""], ["铁东区", "", ""]])
    table.cell(3, 1).merge(table.cell(3, 2)).text = "暂停办理"  # one cell across two columns
    document.add_heading("二、所需材料", level=2)
    document.add_paragraph(PAPERS)
    path = tmp_path / name
    document.save(path)
    return path


def _lines(html):
    return html.removeprefix("<p>").removesuffix("</p>").split("</p><p>")


def test_a_table_lands_in_its_section_one_line_per_row(kb, tmp_path):
    path = _policy(tmp_path)
    dry = import_file(kb.editor, path, unit_code="civil", split="heading", dry_run=True)
    assert [row.title for row in dry.rows] == ["社会救助办理指南", "一、办理地点", "二、所需材料"]
    assert not dry.applied and not Article.objects.exists()

    report = import_file(kb.editor, path, unit_code="civil", split="heading")
    assert report.applied and report.count("created") == 3
    places = ArticleVersion.objects.get(title="一、办理地点")
    assert _lines(places.body_html) == [normalize(PLACES), HEADER, CITY, MERGED]
    assert places.body_text.splitlines() == [normalize(line) for line in (PLACES, HEADER, CITY, MERGED)]
    for title in ("社会救助办理指南", "二、所需材料"):
        assert "铁西区" not in ArticleVersion.objects.get(title=title).body_text


def test_one_article_keeps_paragraphs_and_table_rows_in_document_order(kb, tmp_path):
    report = import_file(kb.editor, _policy(tmp_path), unit_code="civil")
    assert [row.title for row in report.rows] == ["社会救助办理指南"]
    version = ArticleVersion.objects.get()
    expected = [LEAD, "一、办理地点", PLACES, HEADER, CITY, MERGED, "二、所需材料", PAPERS]
    assert version.body_text.splitlines() == [normalize(line) for line in expected]
    assert f"<p>{normalize(PLACES)}</p><p>{HEADER}</p><p>{CITY}</p><p>{MERGED}</p><h3>" in version.body_html
    assert version.body_html.count("暂停办理") == 1


def test_a_document_with_only_a_table_imports_through_the_command(kb, tmp_path):
    document = Document()
    _table(document, [["材料", "份数"], ["身份证", "原件1份"], ["户口簿", "复印件2份"]])
    path = tmp_path / "材料清单.docx"
    document.save(path)
    out = io.StringIO()
    call_command("kb", "import", str(path), "--user", "civil-editor", "--unit", "civil", "--dry-run", "--json",
                 stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["counts"]["created"] == 1 and not Article.objects.exists()
    call_command("kb", "import", str(path), "--user", "civil-editor", "--unit", "civil",
                 stdout=io.StringIO(), stderr=io.StringIO())
    version = ArticleVersion.objects.get()
    assert version.title == "材料清单" and version.article.external_key == "材料清单"
    assert _lines(version.body_html) == ["材料 ｜ 份数", "身份证 ｜ 原件1份", "户口簿 ｜ 复印件2份"]


def test_vertical_merges_repeat_per_row_and_nested_tables_are_flattened():
    document = Document()
    table = _table(document, [["区域", "材料", "备注"], ["城区", "身份证", ""], ["", "户口簿", "x"]])
    table.cell(1, 0).merge(table.cell(2, 0))
    _table(table.cell(2, 2), [["原件", "1份"], ["复印件", "2份"]])
    table.cell(2, 2).paragraphs[0].text = ""
    assert table_lines(table) == ["区域 ｜ 材料 ｜ 备注", "城区 ｜ 身份证", "城区 ｜ 户口簿 ｜ 原件 1份；复印件 2份"]


def test_the_citizen_page_shows_each_row_on_its_own_line(kb, tmp_path, client):
    import_file(kb.publisher, _policy(tmp_path), unit_code="civil", split="heading", publish=True)
    article = ArticleVersion.objects.get(title="一、办理地点").article
    page = client.get(reverse("knowledge_public:article", args=[article.pk])).content.decode()
    assert f"<p>{HEADER}</p><p>{CITY}</p><p>{MERGED}</p>" in page


def test_a_damaged_vertical_merge_still_reads_the_row():
    document = Document()
    table = _table(document, [["材料", "份数"], ["身份证", "1份"]])
    table.cell(0, 0)._tc.vMerge = "continue"  # "continue the cell above" in the first row: nothing is above
    assert table_lines(table) == ["材料 ｜ 份数", "身份证 ｜ 1份"]
