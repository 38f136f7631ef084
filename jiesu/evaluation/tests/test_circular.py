"""The monthly circular: its sections from the registry, the workbook's formulas computing what the PDF prints
(checked with a small evaluator of the formulas written), the PDF produced, `jiesu report monthly`."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jiesu.evaluation import scoring, services
from jiesu.evaluation.circular import build, sections
from jiesu.evaluation.models import ALL_UNITS, FactDay
from jiesu.evaluation.periods import month_of
from jiesu.evaluation.tests.sheet_formulas import Sheet
from jiesu.evaluation.tests.test_scoring import good, put
from jiesu.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
FEB = month_of(date(2026, 2, 1))


@pytest.fixture
def february(city):  # type: ignore[no-untyped-def]
    departments = [city.urban, city.adjudicator.primary_unit(), *(UnitFactory(name=f"局{n}") for n in range(4))]
    for n, unit in enumerate(departments):
        good(unit, date(2026, 2, 3 + n), satisfied=10 - n, overdue=n % 2)
    good(city.heating, date(2026, 2, 4), satisfied=8, praise=2)
    put(city.urban, date(2026, 1, 12), assigned=4, resolution_rate=(1, 4), satisfaction_rate=(1, 4))
    for day, count in ((date(2026, 2, 10), 40), (date(2026, 1, 10), 30)):
        FactDay.objects.create(day=day, dim="", unit_id=ALL_UNITS, figure="accepted", num_day=day, den=count)
        FactDay.objects.create(day=day, dim="category", unit_id=ALL_UNITS, figure="accepted", num_day=day,
                               key=str(city.category.parent_id), den=count - 5)
    return city


def _rows(ws, label_column: int = 2) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {str(ws.cell(row=r, column=label_column).value): r for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=label_column).value}


def test_the_sections_come_from_the_registry_and_one_can_be_replaced(february):
    codes = [s.code for s in sections.all_sections()]
    assert codes == ["headline", "ranking", "lists", "overdue_returns", "adjudications", "supervision", "hot_topics"]
    original = sections.SECTIONS["hot_topics"]
    with pytest.raises(ValueError):
        sections.register(original)
    try:
        sections.register(sections.Section("hot_topics", "热点", 70, lambda m: sections.Part("hot_topics", "热点（替换）", [])),
                          replace=True)
        assert build.build(FEB).parts[-1].title == "热点（替换）"
    finally:
        sections.register(original, replace=True)


def test_the_workbook_computes_scores_ranks_and_rates_with_formulas(february):
    circular = build.build(FEB)
    wb = load_workbook(BytesIO(build.render(circular, "xlsx")))
    assert wb.sheetnames[:3] == ["1.总体情况", "2.单位综合评分排名", "3.红榜与黑榜"]
    ws = wb["2.单位综合评分排名"]
    sheet, rows = Sheet(ws), _rows(ws)
    header = {ws.cell(row=rows["单位"], column=c).value: c for c in range(1, ws.max_column + 1)}
    assert header["名次"] == 1 and header["得分"] == 17
    ranking = scoring.ranking_for(FEB)
    ranked = [e for e in ranking.entries if e.rank is not None]
    assert len(ranked) == 7
    for e in ranked:
        row = rows[e.unit_name]
        assert ws.cell(row=row, column=1).value.startswith("=IF(") and "RANK(" in ws.cell(row=row, column=1).value
        assert ws.cell(row=row, column=17).value.startswith("=ROUND(")
        assert sheet.value("Q", row) == pytest.approx(float(e.score)), e.unit_name
        assert sheet.value("A", row) == e.rank
        assert sheet.value("L", row) == pytest.approx(e.rate("satisfaction_rate"))
    urban = rows[february.urban.name]
    assert (sheet.value("A", urban), sheet.value("R", urban), sheet.value("S", urban)) == (1, 1, 0)
    assert ws.cell(row=rows[february.urban.name], column=1).fill.fgColor.rgb.endswith("FDE2E2")  # 红榜
    headline = wb["1.总体情况"]
    hs, hrows = Sheet(headline), _rows(headline, 1)
    accepted = hrows["受理量"]
    assert (hs.value("D", accepted), hs.value("G", accepted), hs.value("H", accepted)) == (40, 30, 10)
    assert headline.cell(row=hrows["满意率"], column=4).value.startswith("=IF(C")
    assert headline.cell(row=hrows["满意率"], column=4).number_format == "0.0%"


def test_lists_overdue_and_hot_topics(february):
    circular = build.build(FEB)
    parts = {p.code: p for p in circular.parts}
    lists = parts["lists"].tables[0].rows
    assert [(r["list"], r["unit"]) for r in lists if r["group"] == "职能部门"][:1] == [("红榜", february.urban.name)]
    assert sum(1 for r in lists if r["list"] == "黑榜") == 3
    overdue = parts["overdue_returns"].tables[0].rows
    assert overdue[-1]["unit"] == "合计" and overdue[-1]["overdue"] == 3
    topics = parts["hot_topics"].tables[0].rows
    assert topics[0]["category"] == "城乡建设" and (topics[0]["count"], topics[0]["last"]) == (35, 25)
    wb = load_workbook(BytesIO(build.render(circular, "xlsx")))
    ws = wb["4.超期件与退单不成立"]
    total = _rows(ws, 1)["合计"]
    assert ws.cell(row=total, column=3).value.startswith("=SUM(") and Sheet(ws).value("C", total) == 3
    hot = wb["7.热点诉求"]
    assert Sheet(hot).value("F", _rows(hot, 2)["城乡建设"]) == pytest.approx(35 / 40)


def test_the_pdf_is_made_with_the_chinese_font(february):
    data = build.render(build.build(FEB), "pdf")
    assert data.startswith(b"%PDF") and b"NotoSansSC" in data
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2


def test_a_closed_month_prints_its_stored_ranking(february):
    services.close_month(None, FEB)
    put(february.heating, date(2026, 2, 20), praise=30, satisfaction_rate=(20, 20))
    circular = build.build(FEB)
    assert circular.closed and "存档" in circular.subtitle
    ranking = {p.code: p for p in circular.parts}["ranking"]
    utilities = next(t for t in ranking.tables if t.caption == "公共服务企业")
    assert utilities.rows[0]["score"] == 72.0  # 10 × 0.8 + 45 × 0.6 + 45 × 0.8 + 2 × 0.5, as closed


def test_the_command_writes_both_formats(february, tmp_path):
    out = StringIO()
    call_command("report", "monthly", "--month", "2026-02", "--out", str(tmp_path / "通报.xlsx"), stdout=out)
    call_command("report", "monthly", "--month", "2026-02", "--out", str(tmp_path / "通报.pdf"), stdout=out)
    assert (tmp_path / "通报.xlsx").stat().st_size > 5000 and (tmp_path / "通报.pdf").read_bytes()[:4] == b"%PDF"
    assert "单位综合评分排名" in out.getvalue()
    with pytest.raises(CommandError, match="xlsx"):
        call_command("report", "monthly", "--month", "2026-02", "--out", str(tmp_path / "通报.doc"))
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("report", "monthly", "--month", "2026/02", "--out", str(tmp_path / "通报.pdf"))


def test_staff_with_stats_view_download_the_circular(client, february):
    client.force_login(february.supervisor)
    pdf = client.get("/figures/circular/", {"month": "2026-02", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert "attachment" in pdf["Content-Disposition"] and "2026-02.pdf" in pdf["Content-Disposition"]
    sheet = client.get("/figures/circular/", {"month": "2026-02", "format": "xlsx"})
    assert load_workbook(BytesIO(sheet.content)).sheetnames[0] == "1.总体情况"
    assert client.get("/figures/circular/", {"month": "2026-02", "format": "doc"}).status_code == 400
    assert client.get("/figures/circular/", {"month": "2026-2x"}).status_code == 400
    dashboard = client.get("/figures/", {"period": "month", "on": "2026-02"})
    assert b"/figures/circular/?month=2026-02&amp;format=pdf" in dashboard.content
    client.force_login(february.heating_handler)
    assert client.get("/figures/circular/", {"month": "2026-02"}).status_code == 403


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(1, 12), st.integers(0, 12), st.integers(0, 12),
                          st.integers(0, 4), st.integers(0, 3), st.integers(0, 15)), min_size=1, max_size=12))
def test_the_sheet_scores_and_ranks_as_the_scoring_does(units):
    """Random units: the score and rank the workbook's formulas compute equal the scoring's own."""
    from openpyxl import Workbook

    from jiesu.evaluation.circular import builtin, excel
    from jiesu.evaluation.models import Scheme

    scheme, entries = Scheme(), []
    for n, (contacted, visits, resolved, satisfied, overdue, refused, praise) in enumerate(units):
        figures = {"response_rate": (float(min(contacted, visits)), visits if n % 3 else 0),
                   "resolution_rate": (float(min(resolved, visits)), visits),
                   "satisfaction_rate": (min(satisfied, visits) * 0.8, visits), "overdue": (0.0, overdue),
                   "adjudication_refused": (0.0, refused), "returns_unjustified": (0.0, n % 2), "praise": (0.0, praise),
                   "assigned": (0.0, visits + 2)}
        entries.append(scoring.Entry(n, f"u{n}", f"单位{n:02d}", "department", figures,
                                     score=scoring.score_of(figures, scheme)))
    ranked = scoring.rank_group(entries, scheme)
    table = sections.Table(builtin.ranking_columns(), [builtin.ranking_row(e) for e in ranked])
    part = sections.Part("ranking", "排名", [table], parameters=builtin.scheme_parameters(scheme))
    ws = Workbook().active
    params, row = excel._parameters(ws, part, 1)
    excel._table(ws, table, row, params)
    sheet, first = Sheet(ws), row + 1
    for offset, e in enumerate(ranked):
        assert sheet.value("Q", first + offset) == pytest.approx(float(e.score)), (e.figures, e.score)
        assert sheet.value("A", first + offset) == e.rank


def test_supervision_counts_the_orders_open_at_the_months_end(february):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from jiesu.tickets.models import SupervisionOrder
    from jiesu.tickets.services.intake import accept

    ticket = accept(february.operator, february.ticket_data())
    tz = ZoneInfo("Asia/Shanghai")

    def order(issued: datetime, closed: datetime | None) -> None:
        SupervisionOrder.objects.create(ticket=ticket, unit=february.heating, text="督办", due_at=issued,
                                        issued_by=february.supervisor, issued_at=issued, closed_at=closed)

    order(datetime(2026, 2, 5, tzinfo=tz), None)  # still open
    order(datetime(2026, 2, 6, tzinfo=tz), datetime(2026, 3, 1, 9, tzinfo=tz))  # open at the end, closed since
    order(datetime(2026, 2, 7, tzinfo=tz), datetime(2026, 2, 20, tzinfo=tz))  # closed within the month
    order(datetime(2026, 3, 1, 8, tzinfo=tz), None)  # issued after the month
    summary = {p.code: p for p in build.build(FEB).parts}["supervision"].summary
    assert "仍未办结的督办 2 件" in summary
