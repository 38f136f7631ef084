"""The lifecycle tests' small city, a call-centre feed account, and call files written as CSV or Excel."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from jiesu.api.tests.conftest import apis  # noqa: F401  (fixtures reused as they are)
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets.tests.conftest import FIXED_NOW, City, city, fixed_clock  # noqa: F401

HEADER_ZH = ["呼叫编号", "线路", "主叫号码", "呼入时间", "接通时间", "结束时间", "坐席", "队列", "满意度"]
HEADER_EN = ["call_id", "line", "caller", "offered_at", "answered_at", "ended_at", "seat", "queue", "survey"]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def row(call_id: str, *, line: str = "12345", caller: str = "13812345678", offered: datetime = FIXED_NOW,
        wait: int | None = 10, talk: int = 120, seat: str = "1001", queue: str = "综合", survey: str = "",
        abandoned_after: int = 0) -> list[str]:
    """One call offered at ``offered``: answered after ``wait`` s (or abandoned after ``abandoned_after`` s)."""
    if wait is None:
        return [call_id, line, caller, stamp(offered), "", stamp(offered + timedelta(seconds=abandoned_after)),
                "", queue, ""]
    answered = offered + timedelta(seconds=wait)
    return [call_id, line, caller, stamp(offered), stamp(answered), stamp(answered + timedelta(seconds=talk)),
            seat, queue, survey]


def write_csv(path: Path, rows: list[list[Any]], header: list[str] = HEADER_ZH) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER_EN) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


@pytest.fixture
def feed(city: City):  # type: ignore[no-untyped-def]  # noqa: F811
    """The call centre's integration account: an administrator of the centre (holds calls:import)."""
    return UserFactory(username="callfeed", role="admin", unit=city.centre, scope="city")
