"""Demo step: a month of synthetic call records (演示话单, source ``demo``) for the demo city, on 12345 and two
merged sub-lines, with a call behind every demo ticket that came in by phone (linked by caller and time).

Deterministic: each day's calls come from a generator seeded with the date, so loading the demo again adds
nothing, and a later day only adds that day's calls. Callers are made-up numbers (188 0434 ….).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from jiesu.calls import services
from jiesu.calls.records import CallRecord
from jiesu.catalog.models import Channel
from jiesu.core import clock
from jiesu.tickets.models import Ticket

SOURCE = "demo"
DAYS = 30
LINES = (("phone", 0.89), ("12315", 0.08), ("12369", 0.03))
# calls offered per hour of the day on a working day (a weekend or holiday has 60 % of them)
HOURLY = (1, 1, 0, 0, 0, 1, 2, 6, 16, 22, 20, 17, 10, 12, 18, 19, 16, 12, 8, 6, 5, 4, 3, 2)
SURVEY = (("satisfied", 0.56), ("basic", 0.05), ("dissatisfied", 0.01), ("", 0.38))
SEATS = [f"10{n:02d}" for n in range(1, 25)]


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _one(rng: random.Random, call_id: str, line_id: int, offered: datetime, caller: str, queue: str) -> CallRecord:
    night = offered.hour < 7 or offered.hour >= 22
    busy = HOURLY[offered.hour] >= 16
    wait = rng.expovariate(1 / (8 if busy else 4)) + 2  # seconds
    if rng.random() < (0.012 if busy else 0.004) or wait > 90:  # the caller gave up
        ended = offered + timedelta(seconds=min(wait, 90))
        return CallRecord(call_id, line_id, caller, offered, None, ended)
    answered = offered + timedelta(seconds=wait)
    voice = night or rng.random() < 0.08  # the voice system answered (self-service, after hours)
    ended = answered + timedelta(seconds=rng.randint(40, 200) if voice else rng.randint(90, 600))
    return CallRecord(call_id, line_id, caller, offered, answered, ended, "" if voice else rng.choice(SEATS),
                      "自助语音" if voice else queue,
                      _pick(rng, SURVEY) if not voice else "")


def _day(day: date, now: datetime, working: bool, lines: dict[str, int]) -> list[CallRecord]:
    rng = random.Random(f"jiesu-demo-calls-{day.isoformat()}")
    records = []
    for hour, per_hour in enumerate(HOURLY):
        count = round(per_hour * (1 if working else 0.6) * rng.uniform(0.8, 1.2))
        for n in range(count):
            offered = timezone.make_aware(datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60))))
            if offered > now - timedelta(minutes=15):
                continue
            line = _pick(rng, LINES)
            caller = f"1880434{rng.randrange(10000):04d}"
            queue = "综合" if line == "phone" else f"{line}转接"
            records.append(_one(rng, f"D{day:%Y%m%d}-{hour:02d}{n:03d}", lines[line], offered, caller, queue))
    return records


def _ticket_calls(now: datetime, lines: dict[str, int]) -> list[CallRecord]:
    """The call that brought in each demo ticket registered by phone: answered shortly before registration."""
    records = []
    tickets = Ticket.objects.filter(channel_id__in=set(lines.values()), created_at__gte=now - timedelta(days=DAYS)
                                    ).exclude(requester_phone="").order_by("created_at", "id")
    for ticket in tickets.only("number", "channel_id", "requester_phone", "created_at"):
        rng = random.Random(f"jiesu-demo-call-{ticket.number}")
        answered = ticket.created_at - timedelta(seconds=rng.randint(60, 240))
        offered = answered - timedelta(seconds=rng.randint(3, 14))
        ended = min(ticket.created_at + timedelta(seconds=rng.randint(30, 300)), now)
        records.append(CallRecord(f"T-{ticket.number}", ticket.channel_id, ticket.requester_phone, offered, answered,
                                  ended, rng.choice(SEATS), "综合", _pick(rng, SURVEY)))
    return records


def _working(day: date) -> bool:
    from jiesu.core.errors import CalendarMissing
    from jiesu.worktime.calendar import get_calendar

    try:
        return get_calendar().is_working_day(day)
    except CalendarMissing:
        return day.weekday() < 5


def load(ctx: Any) -> None:
    lines = dict(Channel.objects.filter(code__in=[c for c, _ in LINES]).values_list("code", "pk"))
    now = clock.now()
    today = timezone.localtime(now).date()
    records: list[CallRecord] = _ticket_calls(now, lines)
    for back in range(DAYS, -1, -1):
        day = today - timedelta(days=back)
        records += _day(day, now, _working(day), lines)
    result = services.import_calls(None, records, SOURCE, note="演示话单")
    ctx.progress(f"演示话单 {len(records)} 条（新导入 {result.imported} 条，关联工单 {result.linked} 张）")
