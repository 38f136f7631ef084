"""Read-only questions about the working calendar."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

from jiesu.worktime.models import CalendarDay, CalendarYear

WARN_FROM_MONTH = 11  # the State Council publishes the next year's schedule in November or December


def complete_years() -> set[int]:
    return set(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))


def missing_year_problem(today: date) -> tuple[str, str] | None:
    """("error" | "warning", message) when the current year, or from November the next year, has no data."""
    years = complete_years()
    if today.year not in years:
        return "error", gettext(
            "缺少今年（{year} 年）的工作日历，所有期限都无法计算。"
            "请立即在“工作日历 › 日历年度”中录入 {year} 年的节假日与调休安排，并标记为“已录入完整”。"
        ).format(year=today.year)
    following = today.year + 1
    if today.month >= WARN_FROM_MONTH and following not in years:
        return "warning", gettext(
            "尚未录入 {year} 年的工作日历。国务院办公厅通常在 11–12 月公布下一年的节假日安排，"
            "请在公布后录入并标记为“已录入完整”；跨入 {year} 年的期限在录入前无法计算。"
        ).format(year=following)
    return None


def missing_years_warning(today: date) -> str | None:
    """A message for admins when calendar data is missing (see `missing_year_problem`), else None."""
    problem = missing_year_problem(today)
    return problem[1] if problem else None


def days_of_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def year_row(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()
