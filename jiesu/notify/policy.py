"""When a message may go: quiet hours for citizens' SMS, and the back-off between attempts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

MAX_BACKOFF = timedelta(hours=1)
SENDING_LEASE = timedelta(minutes=10)  # a message "sending" longer than this was left by a crashed worker


def quiet_hours() -> tuple[time, time] | None:
    """(start, end) in local time from ``NOTIFY_QUIET_HOURS`` ("22:00-08:00"); None when set to "" or "off"."""
    raw = (settings.NOTIFY_QUIET_HOURS or "").strip()
    if raw.lower() in {"", "off", "none"}:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"JIESU_NOTIFY_QUIET_HOURS must look like 22:00-08:00, not {raw!r}") from exc
    return start, end


def quiet_until(moment: datetime) -> datetime | None:
    """The end of the quiet period ``moment`` falls in (local time), or None when messages may go now."""
    window = quiet_hours()
    if window is None:
        return None
    start, end = window
    local = timezone.localtime(moment)
    now_t = local.time()
    inside = (start <= now_t or now_t < end) if start > end else (start <= now_t < end)
    if not inside:
        return None
    day = local.date() if now_t < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: the base (60 s) doubled each time, at most an hour."""
    delay = timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)
