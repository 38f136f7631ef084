"""Import from Excel/CSV, Word and HTML: dry run, the report, updates, and bad files leaving nothing behind."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import Workbook

from jiesu.core.models import Event
from jiesu.knowledge.importing import ImportFailed, import_file
from jiesu.knowledge.models import Article, ArticleStatus, ArticleVersion

HEADER = ["编号", "类型", "标题", "正文", "主管单位", "适用区划", "生效日期", "失效日期", "关键词", "相似问法",
          "享受条件"]
GOOD = [
    ["MZ-001", "政策", "城市低保标准", "四平市城市低保标准为每人每月710元。", "civil", "", "2025-01-01", "",
     "低保；最低生活保障", "低保每月多少钱\n城市低保标准", ""],
    ["MZ-002", "常见问答", "高龄津贴", "年满80周岁的老年人可申领高龄津贴。", "civil", "220302", "2025-01-01",
     "2025-12-31", "高龄津贴", "", json.dumps([{"field": "age", "op": ">=", "value": 80}])],
]


def _xlsx(tmp_path, rows, name="kb.xlsx", header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _docx(tmp_path, name="policy.docx"):
    document = Document()
    document.add_heading("四平市特困人员救助供养办法", level=1)
    document.add_paragraph("为保障特困人员基本生活，制定本办法。")
    document.add_heading("一、供养标准", level=2)
    document.add_paragraph("城市特困人员基本生活标准为每人每月1056元。")
    document.add_heading("二、申请办理", level=2)
    document.add_paragraph("向户籍所在地或常住地乡镇人民政府（街道办事处）提出申请。")
    path = tmp_path / name
    document.save(path)
    return path


def test_a_table_creates_drafts_with_every_column(kb, tmp_path):
    report = import_file(kb.editor, _xlsx(tmp_path, GOOD))
    assert report.applied and report.count("created") == 2 and not report.rejected
    first = ArticleVersion.objects.get(title="城市低保标准")
    assert first.status == "draft" and first.article.kind == "policy" and first.article.external_key == "MZ-001"
    assert first.keywords == ["低保", "最低生活保障"] and first.questions == ["低保每月多少钱", "城市低保标准"]
    assert str(first.valid_from) == "2025-01-01" and first.valid_to is None
    second = ArticleVersion.objects.get(title="高龄津贴")
    assert second.conditions == [{"field": "age", "op": ">=", "value": 80}]
    assert list(second.article.regions.values_list("code", flat=True)) == ["220302"]
    assert second.article.kind == "faq" and str(second.valid_to) == "2025-12-31"


def test_a_dry_run_reports_and_writes_nothing(kb, tmp_path):
    events = Event.objects.count()
    report = import_file(kb.editor, _xlsx(tmp_path, GOOD), dry_run=True)
    assert report.count("created") == 2 and not report.applied
    assert not Article.objects.exists() and Event.objects.count() == events


def test_one_bad_row_rejects_the_whole_file_with_reasons(kb, tmp_path):
    bad = [*GOOD,
           ["MZ-003", "传闻", "", "正文", "nowhere", "999999", "2025-13-01", "", "", "", "[{\"field\": \"x\"}"],
           ["MZ-001", "政策", "重复编号", "正文", "civil", "", "", "", "", "", ""]]
    report = import_file(kb.editor, _xlsx(tmp_path, bad))
    assert not report.applied and not Article.objects.exists()
    assert [row.outcome for row in report.rows] == ["created", "created", "rejected", "rejected"]
    reasons = " ".join(report.rows[2].reasons)
    for expected in ("类型“传闻”无效", "主管单位“nowhere”不存在", "区划代码不存在：999999", "享受条件须为 JSON",
                     "标题：标题必填", "生效日期：日期“2025-13-01”格式应为"):
        assert expected in reasons
    assert "编号“MZ-001”在文件中重复" in report.rows[3].reasons[0]
    assert report.rows[2].line == "第 4 行"


def test_field_errors_from_the_services_are_reported_per_column(kb, tmp_path):
    row = ["MZ-009", "政策", "标题", "正文", "civil", "", "2025-13-01", "", "", "", ""]
    report = import_file(kb.editor, _xlsx(tmp_path, [row]))
    assert report.rejected[0].reasons == ["生效日期：日期“2025-13-01”格式应为 2025-01-31。"]


def test_keep_good_rows_imports_the_rest(kb, tmp_path):
    rows = [GOOD[0], ["MZ-003", "政策", "别的单位", "正文", "heating", "", "", "", "", "", ""]]
    report = import_file(kb.editor, _xlsx(tmp_path, rows), keep_good_rows=True)
    assert report.applied and report.count("created") == 1
    assert "权限" in report.rejected[0].reasons[0]
    assert list(Article.objects.values_list("external_key", flat=True)) == ["MZ-001"]


def test_reimport_is_unchanged_and_a_changed_row_becomes_a_new_version(kb, tmp_path):
    import_file(kb.editor, _xlsx(tmp_path, GOOD))
    again = import_file(kb.editor, _xlsx(tmp_path, GOOD))
    assert again.count("unchanged") == 2
    changed = [GOOD[0][:3] + ["四平市城市低保标准为每人每月720元。"] + GOOD[0][4:], GOOD[1]]
    ArticleVersion.objects.filter(title="城市低保标准").update(status="published")
    report = import_file(kb.editor, _xlsx(tmp_path, changed))
    assert [row.outcome for row in report.rows] == ["updated", "unchanged"]
    versions = Article.objects.get(external_key="MZ-001").versions.order_by("number")
    assert [v.number for v in versions] == [1, 2] and "720" in versions[1].body_text


def test_publish_needs_the_centre(kb, tmp_path):
    rows = [GOOD[0][:4] + ["civil"] + GOOD[0][5:]]
    assert import_file(kb.editor, _xlsx(tmp_path, rows), publish=True).rejected
    report = import_file(kb.publisher, _xlsx(tmp_path, rows), publish=True)
    assert report.applied and Article.objects.get().status == ArticleStatus.PUBLISHED


def test_csv_in_gb18030_with_a_default_unit(kb, tmp_path):
    path = tmp_path / "kb.csv"
    path.write_bytes("标题,正文\n供热期,每年10月25日至次年4月5日。\n".encode("gb18030"))
    report = import_file(kb.heating_editor, path, unit_code="heating")
    assert report.applied and Article.objects.get().unit == kb.heating


@pytest.mark.parametrize("name, content, message", [
    ("kb.csv", "标题,内容\n甲,乙\n", "缺少列：正文"),
    ("kb.csv", "标题,正文,备注\n甲,乙,丙\n", "无法识别的列：备注"),
    ("kb.csv", "标题,正文\n", "没有数据行"),
    ("kb.xlsx", "not a workbook", "无法读取 Excel"),
    ("policy.docx", "not a word file", "无法读取 Word"),
    ("policy.pdf", "%PDF", "不支持的文件类型"),
    ("empty.html", "<html><body><h1>只有标题</h1></body></html>", "没有正文"),
])
def test_bad_files_are_refused_with_a_clear_message(kb, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=message):
        import_file(kb.editor, path, unit_code="civil")
    assert not Article.objects.exists()


def test_a_word_document_is_one_article_or_one_per_section(kb, tmp_path):
    path = _docx(tmp_path)
    report = import_file(kb.editor, path, unit_code="civil", dry_run=True)
    assert [row.title for row in report.rows] == ["四平市特困人员救助供养办法"]
    report = import_file(kb.editor, path, unit_code="civil", split="heading")
    assert [row.title for row in report.rows] == ["四平市特困人员救助供养办法", "一、供养标准", "二、申请办理"]
    version = ArticleVersion.objects.get(title="一、供养标准")
    assert "1056元" in version.body_text and version.source_document == "policy.docx"
    assert version.article.external_key == "policy#2" and version.article.kind == "policy"


def test_an_html_page_drops_scripts_and_splits_by_heading(kb, tmp_path):
    path = tmp_path / "heating.html"
    path.write_text("<html><head><title>供热须知</title><script>alert(1)</script></head><body>"
                    "<h2>供热时间</h2><p>10月25日开始供热。</p><h2>室温标准</h2><p>不低于18℃。</p>"
                    "<script>evil()</script></body></html>", encoding="utf-8")
    report = import_file(kb.heating_editor, path, unit_code="heating", split="heading", kind="guide")
    assert [row.title for row in report.rows] == ["供热时间", "室温标准"]
    texts = " ".join(ArticleVersion.objects.values_list("body_html", flat=True))
    assert "alert" not in texts and "evil" not in texts and "不低于18" in texts
    assert set(Article.objects.values_list("kind", flat=True)) == {"guide"}


def test_the_command_prints_the_report_and_fails_on_rejections(kb, tmp_path):
    out = io.StringIO()
    call_command("kb", "import", str(_xlsx(tmp_path, GOOD)), "--user", "civil-editor", "--dry-run",
                 stdout=out, stderr=io.StringIO())
    assert "新建 2" in out.getvalue() and "未写入（试导入）" in out.getvalue()
    bad = [GOOD[0][:4] + ["nowhere"] + GOOD[0][5:]]
    out = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command("kb", "import", str(_xlsx(tmp_path, bad)), "--user", "civil-editor", stdout=out,
                     stderr=io.StringIO())
    assert "主管单位“nowhere”不存在" in out.getvalue()
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("kb", "import", str(tmp_path / "none.xlsx"), "--user", "civil-editor")
    assert not Article.objects.exists()
