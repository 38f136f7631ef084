"""jiesu hot analyse on a synthetic message file (CSV and Excel), as the board exports them."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiesu.insights.tests.histories import END, background, burst

pytestmark = pytest.mark.django_db

HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "反对数", "点赞数"]


def _rows() -> list[list[str]]:
    messages = burst("丽景花园", 8, start=END - timedelta(days=3), days=2, prefix="1") + background(40)
    messages += [burst("丽景花园", 1, start=END - timedelta(days=1), days=1, prefix="9")[0]] * 1
    rows = []
    for m in messages:
        rows.append([m.id, m.requester, m.title, m.at.strftime("%Y/%m/%d %H:%M:%S"), "\n\t\t" + m.detail + "\n",
                     "0", str(m.likes)])
    rows.append(["10", "1-caller-0", "丽景花园停水三天了", "2026/11/30 9:00:00", "又停水了，还是没人管", "0", "5"])
    return rows


def _write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(_rows())
    return path


def _analyse(path: Path, *extra: str) -> dict:
    out, err = StringIO(), StringIO()
    call_command("hot", "analyse", "--data", str(path), "--id-col", "留言编号", "--text-cols", "留言主题,留言详情",
                 "--time-col", "留言时间", "--votes-cols", "点赞数,反对数", "--user-col", "留言用户", "--json",
                 *extra, stdout=out, stderr=err)
    return json.loads(out.getvalue())


def test_the_file_s_hot_issues_come_out_best_first_as_json(tmp_path):
    result = _analyse(_write_csv(tmp_path / "messages.csv"), "--top", "3")
    clusters = result["clusters"]
    assert 1 <= len(clusters) <= 3
    top = clusters[0]
    assert set(top) >= {"rank", "heat", "description", "place", "from", "to", "members"}
    assert top["rank"] == 1 and top["place"] == "丽景花园"
    assert set(top["members"]) >= {f"1{i}" for i in range(8)} | {"10"}
    assert top["requesters"] == 9  # message 10 is caller 1-caller-0 again
    assert top["from"] <= top["to"]
    assert [c["heat"] for c in clusters] == sorted((c["heat"] for c in clusters), reverse=True)


def test_an_excel_export_reads_the_same(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    book.save(tmp_path / "messages.xlsx")
    csv_top = _analyse(_write_csv(tmp_path / "messages.csv"))["clusters"][0]
    assert _analyse(tmp_path / "messages.xlsx")["clusters"][0]["members"] == csv_top["members"]


def test_a_missing_column_is_a_clear_error(tmp_path):
    path = _write_csv(tmp_path / "messages.csv")
    with pytest.raises(CommandError, match="没有列：标题"):
        call_command("hot", "analyse", "--data", str(path), "--id-col", "留言编号", "--text-cols", "标题",
                     "--time-col", "留言时间", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="找不到数据文件"):
        call_command("hot", "analyse", "--data", str(tmp_path / "none.csv"), "--id-col", "a", "--text-cols", "b",
                     "--time-col", "c", stdout=StringIO(), stderr=StringIO())
