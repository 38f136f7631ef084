"""The weekly 热点 digest and the monthly circular's 热点诉求: the five categories, the hot issues of the period by
new requesters, the week's warnings; Excel and PDF by the circular's writers; `jiesu hot digest`."""

from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from jiesu.core import clock
from jiesu.evaluation.circular import build
from jiesu.evaluation.periods import month_of
from jiesu.insights import digest
from jiesu.insights.tests.conftest import NOW


def test_the_week_s_digest_ranks_its_issues_by_new_requesters(hot):  # type: ignore[no-untyped-def]
    issue, _ = hot
    with clock.at(NOW):
        week = digest.build_digest(digest.parse_week("2026-W09"))  # 23 February – 1 March: six of the callers
    assert week.title.endswith("热点周报") and "2026年第9周" in week.subtitle
    categories, issues = week.parts[0].tables
    assert categories.columns[2].label == "本周受理" and categories.rows[0]["count"] == 6
    [row] = issues.rows
    assert (row["issue"], row["district"], row["people"], row["tickets"], row["requesters"]) == (
        issue.description, "铁西区", 6, 6, 7)
    assert week.parts[1].tables[0].rows == []  # the warning was raised on 2 March, in the next week
    with clock.at(NOW):
        following = digest.build_digest(digest.parse_week("2026W10"))
    assert [r["recent"] for r in following.parts[1].tables[0].rows] == [6]


def test_the_monthly_circular_s_hot_topics_hold_the_hot_issues(hot):  # type: ignore[no-untyped-def]
    with clock.at(NOW):
        circular = build.build(month_of(NOW.date()).previous())  # February
    part = {p.code: p for p in circular.parts}["hot_topics"]
    assert part.tables[0].columns[2].label == "本月受理" and part.tables[1].rows[0]["people"] == 5


def test_the_command_writes_excel_and_pdf_and_refuses_a_bad_week(hot, tmp_path):  # type: ignore[no-untyped-def]
    out = StringIO()
    with clock.at(NOW):
        call_command("hot", "digest", "--week", "2026-W09", "--out", str(tmp_path / "周报.xlsx"), stdout=out)
        call_command("hot", "digest", "--week", "2026-W09", "--out", str(tmp_path / "周报.pdf"), stdout=StringIO())
    assert "热点问题 1 个" in out.getvalue()
    wb = load_workbook(BytesIO((tmp_path / "周报.xlsx").read_bytes()))
    assert wb.sheetnames == ["1.热点诉求", "2.热点预警"]
    assert (tmp_path / "周报.pdf").read_bytes().startswith(b"%PDF")
    for week in ("2026-W54", "48", "2026-11"):
        with pytest.raises(CommandError, match="2026-W48"):
            call_command("hot", "digest", "--week", week, "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match=r"\.xlsx 或 \.pdf"):
        call_command("hot", "digest", "--week", "2026-W09", "--out", str(tmp_path / "x.doc"))
    assert not (tmp_path / "x.pdf").exists()
