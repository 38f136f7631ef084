"""`jiesu calendar deadline | show | seed`."""

from io import StringIO

import pytest
from django.core.management import call_command

from jiesu.core.events import events_of

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def fail(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("calendar", *args, stdout=StringIO(), stderr=err)
    assert caught.value.code == 1
    return err.getvalue()


@pytest.mark.parametrize(("args", "printed"), [
    (["--start", "2025-09-30T16:00", "--working-days", "3"], "2025-10-11T16:00:00+08:00"),
    (["--start", "2025-09-30T16:30", "--working-hours", "2"], "2025-10-09T09:30:00+08:00"),
    (["--start", "2025-09-30T16:30", "--working-minutes", "30"], "2025-09-30T17:00:00+08:00"),
    (["--start", "2025-09-30T08:00:00Z", "--working-days", "1"], "2025-10-09T16:00:00+08:00"),
    (["--start", "2026-02-13T17:10", "--working-minutes", "30", "--received"], "2026-02-14T09:00:00+08:00"),
])
def test_deadline_prints_iso_8601_with_the_beijing_offset(args, printed):
    assert run("deadline", *args) == printed + "\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--start", "2026-12-30T16:00", "--working-days", "3"], "缺少 2027 年的工作日历"),
    (["--start", "2025-13-01T16:00", "--working-days", "3"], "无法识别"),
    (["--working-days", "3"], "--start"),
    (["--start", "2025-09-30T16:00"], "只给出一个时长"),
    (["--start", "2025-09-30T16:00", "--working-days", "1", "--working-hours", "1"], "只给出一个时长"),
    (["--start", "2025-09-30T16:00", "--working-days", "-1"], "负数"),
    (["--start", "2025-09-30T16:00", "--working-days", "1.5"], "不是非负整数"),
])
def test_deadline_errors_are_one_chinese_line_and_a_non_zero_exit(args, message):
    error = fail("deadline", *args)
    assert message in error and error.startswith("错误：") and "Traceback" not in error


def test_show_lists_days_off_and_extra_working_days():
    text = run("show", "2026")
    assert "2026 年工作日历（来源：chinese-calendar" in text
    off, working = text.split("调休上班日")
    assert "2026-02-16 周一 春节" in off and "2026-10-01 周四 国庆节" in off
    assert "2026-02-14 周六 春节" in working and "2026-10-10 周六 国庆节" in working


def test_show_of_a_missing_year_fails():
    assert "没有 2027 年的工作日历" in fail("show", "2027")


def test_seed_is_idempotent_and_says_what_it_changed():
    assert run("seed", "--year", "2025") == "2025 年：无变化\n"
    call_command("calendar", "seed", "--year", "2025", stdout=StringIO())
    assert not events_of("calendar_year", 2025).exists()
    all_years = run("seed")
    assert "2004 年：无变化" in all_years and "2026 年：无变化" in all_years
    assert "chinese-calendar 没有 2027 年" in fail("seed", "--year", "2027")
