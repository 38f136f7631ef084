"""Demo step: tickets in every state of the loop, replayed through the services at moments in the past.

Every demo ticket goes through the same services as real ones (so its events, deadlines and marks are real);
`jiesu.core.clock.at` only sets the moment each action happened. Scenarios live in data/demo_tickets.json.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from jiesu.core import clock
from jiesu.tickets import services
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.models import Ticket
from jiesu.tickets.sweep import sweep
from jiesu.worktime.calendar import SHANGHAI, get_calendar

SCENARIOS = Path(__file__).resolve().parent / "data" / "demo_tickets.json"


def working_day_back(today: date, working_days: int) -> date:
    calendar, day = get_calendar(), today
    while working_days > 0 or not calendar.is_working_day(day):
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            working_days -= 1
    return day


def start_moment(now: datetime, days_back: int, hhmm: str) -> datetime:
    day = working_day_back(timezone.localtime(now).date(), days_back) if days_back else timezone.localtime(now).date()
    moment = datetime.combine(day, time.fromisoformat(hhmm), tzinfo=SHANGHAI)
    return min(moment, now - timedelta(minutes=90))


def _run(ctx: Any, scenario: dict[str, Any], now: datetime) -> None:
    begin = start_moment(now, scenario["days_back"], scenario["at"])
    operator = ctx.user("operator")
    with clock.at(begin):
        ticket = services.accept(operator, scenario["ticket"], idempotency_key=f"demo:{scenario['key']}")
    for minutes, who, action, data in scenario.get("steps", []):
        data = {k: _resolve(v) for k, v in data.items()}
        with clock.at(min(begin + timedelta(minutes=minutes), now - timedelta(minutes=1))):
            ticket = services.perform(ctx.user(who), ticket.number, action, data)
    for minutes, who, phase, (lat, lon) in scenario.get("photos", []):
        moment = min(begin + timedelta(minutes=minutes), now - timedelta(minutes=1))
        with clock.at(moment):
            add_attachment(ctx.user(who), ticket, demo_photo(ticket.title, phase, lat, lon, moment), phase=phase)


def demo_photo(title: str, phase: str, lat: float, lon: float, taken: datetime) -> ContentFile[bytes]:
    """A drawn JPEG standing in for a field photo, with the GPS position and time in its EXIF, as a phone
    writes them (演示照片: clearly not a real picture)."""
    from PIL import Image, ImageDraw

    from jiesu.core.documents.fonts import chinese_font

    image = Image.new("RGB", (640, 480), (196, 212, 226) if phase == "before" else (206, 226, 206))
    draw = ImageDraw.Draw(image)
    font = _font(chinese_font("sans"), 34)
    draw.text((320, 200), "演示照片", font=font, fill=(60, 70, 80), anchor="mm")
    draw.text((320, 260), f"{'办理前' if phase == 'before' else '办理后'} · {title}"[:18], font=font,
              fill=(60, 70, 80), anchor="mm")
    exif = image.getexif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)})
    exif.get_ifd(0x8769)[0x9003] = timezone.localtime(taken).strftime("%Y:%m:%d %H:%M:%S")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return ContentFile(out.getvalue(), name=f"demo-{phase}.jpg")


def _font(font: Any, size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(font.path), size, index=font.collection_index)
    except OSError:
        return ImageFont.load_default()


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4))


def _resolve(value: Any) -> Any:
    """`@key` names another demo ticket (for merges)."""
    if isinstance(value, str) and value.startswith("@"):
        return Ticket.objects.get(idempotency_key__endswith=f":demo:{value[1:]}").number
    return value


def load(ctx: Any) -> None:
    scenarios = json.loads(SCENARIOS.read_text(encoding="utf-8"))
    operator = ctx.user("operator")
    done = set(Ticket.objects.filter(idempotency_key__startswith=f"{operator.pk}:demo:")
               .values_list("idempotency_key", flat=True))
    now = clock.now()
    todo = [s for s in scenarios if f"{operator.pk}:demo:{s['key']}" not in done]
    for scenario in todo:
        _run(ctx, scenario, now)
    marks = sweep(now)
    ctx.progress(f"演示工单 {len(scenarios)} 件（新建 {len(todo)} 件；预警 {marks.warnings} 项，超期 {marks.overdue} 项）")
