"""Throttling the query page: failed look-ups per network address and per ticket number, from the rows of
`TrackAttempt` (in the database, so every server process shares them). Limits are settings with defaults."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.channels.models import TrackAttempt
from jiesu.org.signin import client_ip

DEFAULTS = {"per_ip": 20, "per_number": 10, "minutes": 60}


def _limit(name: str) -> int:
    return int(getattr(settings, "JIESU_TRACK_THROTTLE", {}).get(name, DEFAULTS[name]))


def refusal(request: HttpRequest, number: str) -> str | None:
    """Why this look-up is refused now, or None when it may go ahead."""
    failed = TrackAttempt.objects.filter(at__gte=timezone.now() - timedelta(minutes=_limit("minutes")), ok=False)
    ip = client_ip(request)
    if ip and failed.filter(ip=ip).count() >= _limit("per_ip"):
        return _("查询失败次数过多，请稍后再试，或拨打 12345 查询。")
    if number and failed.filter(number=number).count() >= _limit("per_number"):
        return _("这个工单编号查询失败次数过多，已暂停网上查询一段时间；请稍后再试，或拨打 12345 查询。")
    return None


def remember(request: HttpRequest, number: str, ok: bool) -> None:
    TrackAttempt.objects.create(at=timezone.now(), ip=client_ip(request), number=number[:40], ok=ok)
