"""One call record checked: the fields a file row or an API record carries, read into a `CallRecord` or refused
with the reasons (in Chinese). The file import and `POST /api/v1/calls` share this."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from jiesu.catalog.models import Channel
from jiesu.core.input_guard import UNSAFE_CHARACTERS
from jiesu.tickets.phones import InvalidPhone, normalise_phone
from jiesu.tickets.states import Satisfaction

ROOT_LINE = "phone"  # the channel of the 12345 line itself; merged sub-lines are its children
LINE_ALIASES = {"12345": ROOT_LINE}
FIELDS = ("call_id", "line", "caller", "offered_at", "answered_at", "ended_at", "seat", "queue", "survey")
REQUIRED = ("call_id", "line", "offered_at", "ended_at")
LABELS = {"call_id": "呼叫编号", "line": "线路", "caller": "主叫号码", "offered_at": "呼入时间",
          "answered_at": "接通时间", "ended_at": "结束时间", "seat": "坐席", "queue": "队列", "survey": "话务评价"}
SURVEY = {"满意": Satisfaction.SATISFIED, "非常满意": Satisfaction.SATISFIED, "satisfied": Satisfaction.SATISFIED,
          "基本满意": Satisfaction.BASIC, "basic": Satisfaction.BASIC, "basically satisfied": Satisfaction.BASIC,
          "不满意": Satisfaction.DISSATISFIED, "dissatisfied": Satisfaction.DISSATISFIED}
NO_SURVEY = {"", "none", "无", "未评价", "-", "—"}
MAX_LENGTHS = {"call_id": 64, "seat": 40, "queue": 60}
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S",
                 "%Y/%m/%d %H:%M", "%Y%m%d%H%M%S")
_CALLER = re.compile(r"[0-9+\-()\s#转]{3,40}")
# Moments outside these years are a typing or export error (and year 1 in the city's time has no UTC moment).
FIRST_YEAR, LAST_YEAR = 1990, 2200


@dataclass(frozen=True)
class CallRecord:
    call_id: str
    line_id: int
    caller: str
    offered_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    seat: str = ""
    queue: str = ""
    survey: str = ""

    @property
    def wait_ms(self) -> int:
        until = self.answered_at or self.ended_at
        return int((until - self.offered_at) / timedelta(milliseconds=1))


class BadTime(ValueError):
    pass


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number cell holding an id or a phone number
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_time(value: Any) -> datetime | None:
    """A moment from a spreadsheet cell or text; naive times are the city's (Asia/Shanghai)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise BadTime("只有日期，没有时刻")
    else:
        moment = _parse_text(text(value))
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadTime(f"年份 {moment.year} 超出范围（{FIRST_YEAR}–{LAST_YEAR}）")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _parse_text(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    raise BadTime(f"“{raw[:40]}”不是时间（应为 YYYY-MM-DD HH:MM:SS）")


class Checker:
    """Checks records against the lines (channels) known now; remembers call ids seen, so a file's repeated
    call id is refused on its second row."""

    def __init__(self, repeated: str = "呼叫编号与第 {} 行重复") -> None:
        self.repeated = repeated
        phone_lines = Channel.objects.filter(is_active=True).filter(code=ROOT_LINE) | Channel.objects.filter(
            is_active=True, parent__code=ROOT_LINE)
        self.lines: dict[str, int] = {}
        for pk, code, name in phone_lines.values_list("pk", "code", "name"):
            self.lines[code.lower()] = pk
            self.lines[name.lower()] = pk
        for alias, code in LINE_ALIASES.items():
            if code in self.lines:
                self.lines[alias] = self.lines[code]
        self.seen: dict[str, int] = {}

    def check(self, raw: Mapping[str, Any], line: int = 0) -> CallRecord | list[str]:
        """The record, or the reasons it is refused. ``line`` is where it came from (for repeated call ids)."""
        reasons: list[str] = []
        values = {name: text(raw.get(name)) for name in ("call_id", "line", "caller", "seat", "queue", "survey")}
        reasons += [f"缺少{LABELS[name]}" for name in REQUIRED if raw.get(name) in (None, "")
                    or not text(raw.get(name))]
        reasons += [f"{LABELS[n]}过长（最多 {m} 个字符）" for n, m in MAX_LENGTHS.items() if len(values[n]) > m]
        reasons += [f"{LABELS[n]}含有不允许的字符（控制字符或空字符）" for n, v in values.items()
                    if UNSAFE_CHARACTERS.search(v)]
        times = {}
        for name in ("offered_at", "answered_at", "ended_at"):
            try:
                times[name] = parse_time(raw.get(name))
            except BadTime as exc:
                reasons.append(f"{LABELS[name]}：{exc}")
        line_id = self.lines.get(values["line"].lower()) if values["line"] else None
        if values["line"] and line_id is None:
            reasons.append(f"未知线路“{values['line'][:30]}”")
        caller = self._caller(values["caller"], reasons)
        survey = self._survey(values["survey"], reasons)
        reasons += self._order(times)
        if values["call_id"] and values["call_id"] in self.seen:
            reasons.append(self.repeated.format(self.seen[values["call_id"]]))
        if reasons:
            return reasons
        self.seen[values["call_id"]] = line
        assert line_id is not None and times["offered_at"] and times["ended_at"]
        return CallRecord(values["call_id"], line_id, caller, times["offered_at"], times["answered_at"],
                          times["ended_at"], values["seat"], values["queue"], survey)

    @staticmethod
    def _caller(raw: str, reasons: list[str]) -> str:
        if not raw:
            return ""  # a withheld number
        try:
            return normalise_phone(raw)
        except InvalidPhone:
            if _CALLER.fullmatch(raw):
                return re.sub(r"\D", "", raw)  # a service or foreign number: kept as digits, matches no ticket
            reasons.append(f"主叫号码“{raw[:20]}”无效")
            return ""

    @staticmethod
    def _survey(raw: str, reasons: list[str]) -> str:
        if raw.lower() in NO_SURVEY:
            return ""
        if raw.lower() in SURVEY:
            return SURVEY[raw.lower()]
        reasons.append(f"话务评价“{raw[:20]}”无效（满意、基本满意、不满意或空）")
        return ""

    @staticmethod
    def _order(times: dict[str, datetime | None]) -> list[str]:
        offered, answered, ended = times.get("offered_at"), times.get("answered_at"), times.get("ended_at")
        reasons = []
        if offered and ended and ended < offered:
            reasons.append("结束时间早于呼入时间")
        if offered and answered and answered < offered:
            reasons.append("接通时间早于呼入时间")
        if answered and ended and ended < answered:
            reasons.append("结束时间早于接通时间")
        if offered and (answered or ended) and (answered or ended) - offered > timedelta(days=1):  # type: ignore[operator]
            reasons.append("等待时长超过一天")
        return reasons
