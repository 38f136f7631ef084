"""The hot issues in the circulars: the monthly circular's 热点诉求 section (replaced here: the five categories
most called about, then the hot issues of the month) and the weekly 热点 digest (热点周报: the same part for one
ISO week, then the week's early warnings), both written by the circular's Excel and PDF writers
(``jiesu hot digest --week 2026-W48 --out FILE.xlsx|FILE.pdf``).

An issue's figures for a period are its members filed in it: new requesters (first heard in the period) and
tickets. Issues are kept for the last 90 days (``services.WINDOW_DAYS``); a digest of an older week finds none.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import ValidationFailed
from jiesu.evaluation.circular import build, builtin
from jiesu.evaluation.circular.sections import (
    DECIMAL,
    INTEGER,
    TEXT,
    Col,
    Month,
    Part,
    Section,
    Table,
    register,
)
from jiesu.evaluation.periods import Period
from jiesu.insights import queries
from jiesu.insights.models import HotIssue, HotIssueMember, HotIssueWarning

TOP = 10
WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def issues_table(period: Period, limit: int = TOP) -> Table:
    """The issues most heard from in the period: by new requesters in it, then tickets, then heat."""
    members = HotIssueMember.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
    tickets = Counter(members.values_list("issue_id", flat=True))
    earlier = set(HotIssueMember.objects.filter(issue_id__in=tickets, created_at__lt=period.since)
                  .values_list("issue_id", "requester"))
    people = Counter(i for i, r in set(members.values_list("issue_id", "requester")) if (i, r) not in earlier)
    issues = HotIssue.objects.filter(pk__in=tickets, requesters__gte=queries.MIN_REQUESTERS)
    ranked = sorted(issues, key=lambda i: (-people[i.pk], -tickets[i.pk], -i.heat, i.pk))[:limit]
    names = queries.district_names(ranked)
    columns = [Col("rank", "序号", INTEGER, 6), Col("issue", "热点问题", TEXT, 34), Col("district", "区县", TEXT, 12),
               Col("people", "新增诉求人", INTEGER, 10), Col("tickets", "工单", INTEGER, 8),
               Col("requesters", "累计诉求人", INTEGER, 10), Col("heat", "热度", DECIMAL, 9),
               Col("span", "起止", TEXT, 14)]
    rows = [{"rank": n, "issue": i.description or i.place, "district": names[i.pk], "people": people[i.pk],
             "tickets": tickets[i.pk], "requesters": i.requesters, "heat": i.heat,
             "span": f"{timezone.localtime(i.first_at):%m-%d}—{timezone.localtime(i.last_at):%m-%d}"}
            for n, i in enumerate(ranked, start=1)]
    return Table(columns, rows, caption="热点问题（同一地点的同一问题）", empty="本期没有热点问题（两人以上反映）。")


def warnings_table(period: Period) -> Table:
    warnings = HotIssueWarning.objects.filter(day__gte=period.start, day__lte=period.end).order_by("day", "pk")
    columns = [Col("day", "日期", TEXT, 10), Col("issue", "热点问题", TEXT, 36), Col("recent", "近期诉求人", INTEGER, 10),
               Col("expected", "预期", DECIMAL, 8), Col("basis", "比较基准", TEXT, 10)]
    rows = [{"day": f"{w.day:%m-%d}", "issue": w.description or w.place, "recent": w.recent, "expected": w.expected,
             "basis": w.get_basis_display()} for w in warnings]
    return Table(columns, rows, empty="本期没有热点预警。")


def hot_part(month: Month, this: str, last_word: str) -> Part:
    """The circular's 热点诉求: the evaluation's five categories, then the hot issues of the same period."""
    part = builtin.top_categories(month, this, last_word)
    part.tables.append(issues_table(month.period))
    part.note = "热点问题按新增诉求人数排序；同一人多次反映计一人。"
    return part


register(Section("hot_topics", "热点诉求", 70, lambda month: hot_part(month, "本月", "上月")), replace=True)


def parse_week(text: str) -> Period:
    """An ISO week, ``2026-W48`` (Monday to Sunday)."""
    match = WEEK.match((text or "").strip())
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1) if match else None
    except ValueError:
        monday = None
    if monday is None:
        raise ValidationFailed("周的格式应为 YYYY-Www，例如 2026-W48。", field_errors={"week": ["格式：2026-W48。"]})
    return Period(monday, monday + timedelta(days=6))


def build_digest(week: Period) -> build.Circular:
    year, number, _ = week.start.isocalendar()
    month = Month(week)
    parts = [hot_part(month, "本周", "上周"), Part("hot_warnings", "热点预警", [warnings_table(week)])]
    return build.Circular(f"{build.hotline_name()}热点周报", f"{year}年第{number}周（{week.label()}）", week, False,
                          timezone.localtime(clock.now()), parts, legend="")


def write_digest(week: Period, path: Path) -> build.Circular:
    fmt = build.format_of(path)
    digest = build_digest(week)
    path.write_bytes(build.render(digest, fmt))
    return digest
