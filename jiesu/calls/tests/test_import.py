"""Importing call records from files: bad rows reported with line numbers and skipped, the good rows in one
transaction, a second import of the same file adds nothing; CSV and Excel, Chinese and English headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiesu.calls import services
from jiesu.calls.importing import ImportFailed, check_file, import_file
from jiesu.calls.models import Call
from jiesu.calls.records import Checker
from jiesu.calls.tests.conftest import FIXED_NOW, HEADER_EN, row, stamp, write_csv, write_xlsx
from jiesu.core.errors import PermissionDeniedError
from jiesu.core.models import Event

pytestmark = pytest.mark.django_db
S = timedelta(seconds=1)


def test_a_csv_file_is_imported_with_its_lines_and_fields(tmp_path, city):
    path = write_csv(tmp_path / "calls.csv", [
        row("A1", survey="满意"), row("A2", line="12315", wait=None, abandoned_after=16),
        row("A3", line="12315消费者投诉举报热线", caller="0434-3281234", wait=3, seat="")])
    report = import_file(None, path)
    assert (report.rows, report.imported, report.already, report.bad) == (3, 3, 0, [])
    a1, a2, a3 = (Call.objects.get(call_id=c) for c in ("A1", "A2", "A3"))
    assert a1.line.code == "phone" and a1.survey == "satisfied" and a1.wait_ms == 10_000 and a1.seat == "1001"
    assert a2.line.code == "12315" and a2.answered_at is None and a2.wait_ms == 16_000
    assert a3.line.code == "12315" and a3.caller == "04343281234" and a3.seat == ""
    assert Event.objects.filter(subject_type="call_import", action="import").count() == 1


def test_bad_rows_are_reported_with_line_numbers_and_skipped(tmp_path, city):
    bad_end = row("B2")
    bad_end[5] = stamp(FIXED_NOW - 5 * S)  # ended before it was offered
    bad_time = row("B3")
    bad_time[3] = "昨天下午"
    unknown_line = row("B4", line="96110")
    survey = row("B5", survey="还行")
    path = write_csv(tmp_path / "calls.csv", [row("B1"), bad_end, [], bad_time, unknown_line, survey,
                                              row("B1"), row("B6", wait=None, abandoned_after=4)])
    report = import_file(None, path)
    bad = {b.line: b for b in report.bad}
    assert sorted(bad) == [3, 5, 6, 7, 8]  # line 1 is the header, line 4 the empty row
    assert any("结束时间早于呼入时间" in r for r in bad[3].reasons) and bad[3].call_id == "B2"
    assert any("呼入时间" in r and "昨天下午" in r for r in bad[5].reasons)
    assert bad[6].reasons == ["未知线路“96110”"]
    assert "话务评价" in bad[7].reasons[0]
    assert bad[8].reasons == ["呼叫编号与第 2 行重复"]
    assert sorted(Call.objects.values_list("call_id", flat=True)) == ["B1", "B6"]
    assert report.imported == 2


def test_reimporting_the_same_file_adds_nothing(tmp_path, city):
    path = write_csv(tmp_path / "calls.csv", [row("C1"), row("C2", wait=None, abandoned_after=30)])
    import_file(None, path)
    events = Event.objects.count()
    again = import_file(None, path)
    assert (again.imported, again.already) == (0, 2)
    assert Call.objects.count() == 2 and Event.objects.count() == events  # nothing changed, nothing recorded
    more = write_csv(tmp_path / "more.csv", [row("C2"), row("C3")])
    assert import_file(None, more).imported == 1
    assert import_file(None, more, "another-centre").imported == 2  # call ids are unique per source


def test_nothing_is_half_imported_when_the_batch_fails(tmp_path, city, monkeypatch):
    path = write_csv(tmp_path / "calls.csv", [row(f"D{i}") for i in range(5)])

    def broken(calls):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "link_tickets", broken)
    with pytest.raises(RuntimeError):
        import_file(None, path)
    assert Call.objects.count() == 0 and not Event.objects.filter(subject_type="call_import").exists()


def test_an_excel_file_with_english_headers_and_time_cells(tmp_path, city):
    first = row("E1", survey="基本满意")
    first[3] = FIXED_NOW.replace(tzinfo=None)  # a date-time cell, in the city's time
    first[4] = FIXED_NOW.replace(tzinfo=None) + 7 * S
    first[5] = FIXED_NOW.replace(tzinfo=None) + 100 * S
    path = write_xlsx(tmp_path / "calls.xlsx", [first, row("E2", line="phone", caller="13912345678", wait=20),
                                                ["E3", "12345", "", "not a time", None, None, "", "", ""]])
    report = import_file(None, path)
    assert report.imported == 2 and [b.line for b in report.bad] == [4]
    e1 = Call.objects.get(call_id="E1")
    assert e1.offered_at == FIXED_NOW and e1.wait_ms == 7000 and e1.survey == "basic"
    assert import_file(None, path).imported == 0


def test_a_file_without_the_needed_columns_is_refused_whole(tmp_path, city):
    path = write_csv(tmp_path / "calls.csv", [["X1", "12345"]], header=["编号", "线路"])
    with pytest.raises(ImportFailed, match="呼叫编号"):
        check_file(path)
    with pytest.raises(ImportFailed, match="找不到文件"):
        check_file(tmp_path / "missing.csv")


def test_only_holders_of_calls_import_may_import(city, feed):
    record = Checker().check(dict(zip(HEADER_EN, row("F1"), strict=True)))
    with pytest.raises(PermissionDeniedError):
        services.import_calls(city.operator, [record])  # type: ignore[list-item]
    assert services.import_calls(feed, [record]).imported == 1  # type: ignore[list-item]
    assert Event.objects.get(subject_type="call_import").actor == feed


def test_the_command_prints_a_summary_with_the_bad_lines(tmp_path, city, capsys):
    bad = row("G2")
    bad[4] = stamp(FIXED_NOW - S)  # answered before it was offered
    path = write_csv(tmp_path / "calls.csv", [row("G1"), bad])
    call_command("calls", "import", str(path), "--source", "test-centre")
    out, err = capsys.readouterr()
    assert "新导入 1 条" in out and "有误跳过 1 行" in out and "第 3 行（G2）：接通时间早于呼入时间" in out
    assert "1/1" in err  # the progress bar
    assert Call.objects.get().source == "test-centre"
    call_command("calls", "import", str(path), "--source", "test-centre")
    assert "已导入过 1 条" in capsys.readouterr().out
    with pytest.raises(CommandError, match="不存在"):
        call_command("calls", "import", str(path), "--user", "nobody")


def test_control_characters_and_impossible_years_are_bad_rows_not_a_crash(tmp_path, city):
    nul = row("H\x001")  # PostgreSQL stores no NUL: it must be a bad row, not an error at the insert
    year_one = row("H2")
    year_one[3:6] = ["0001-01-01 00:01:00", "", "0001-01-01 00:02:00"]  # no UTC moment for it in Beijing time
    path = write_csv(tmp_path / "calls.csv", [row("H0"), nul, year_one])
    report = import_file(None, path)
    assert report.imported == 1 and list(Call.objects.values_list("call_id", flat=True)) == ["H0"]
    reasons = {bad.line: bad.reasons for bad in report.bad}
    assert reasons[3] == ["呼叫编号含有不允许的字符（控制字符或空字符）"]
    assert reasons[4] == ["呼入时间：年份 1 超出范围（1990–2200）", "结束时间：年份 1 超出范围（1990–2200）"]


def test_a_field_beyond_the_csv_limit_refuses_the_file_whole(tmp_path, city):
    huge = row("J2")
    huge[7] = "队" * 200_000
    with pytest.raises(ImportFailed, match="CSV 格式错误"):
        import_file(None, write_csv(tmp_path / "calls.csv", [row("J1"), huge]))
    assert not Call.objects.exists()
