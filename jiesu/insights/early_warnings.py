"""Early warnings (热点预警): an issue whose new requesters of the last days are many more than expected
(docs/dev/insights.md, "Early warnings").

    recent   = distinct requesters first heard in the last DAYS
    expected = the same month of earlier years, as many days (when the hotline has tickets of that month then),
               else the issue's own BASELINE_DAYS before, as many days
    warn when recent ≥ MIN_REQUESTERS and recent ≥ RATIO × max(expected, 1)

The season, when known, replaces the issue's own history: heating in November is compared with earlier
Novembers, not with a quiet October. One warning per issue and day; a later day warns again only when more people
have come than the last warning counted. Warnings are written right after ``services.update`` and ``rebuild``,
in one transaction with one event, and each goes to the hotline centre's notification contacts (notify outbox).
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiesu.core import clock
from jiesu.core.events import record_event
from jiesu.insights.models import HotIssue, HotIssueMember, HotIssueWarning
from jiesu.notify import templates
from jiesu.notify.models import Audience

TEMPLATE = "hot_issue_warning"
templates.register(templates.Template(
    TEMPLATE, Audience.UNIT, _("热点预警（热线中心）"),
    "【${sign}】热点预警：${description}，近${days}天${recent}人反映（预期约${expected}人），请查看 ${url}",
    "热点预警：${description}"))


@dataclass(frozen=True)
class Thresholds:
    days: int = 7
    baseline_days: int = 56
    ratio: float = 3.0
    min_requesters: int = 5
    season_years: int = 3

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(settings.JIESU_HOT_WARNING_DAYS, settings.JIESU_HOT_WARNING_BASELINE_DAYS,
                   settings.JIESU_HOT_WARNING_RATIO, settings.JIESU_HOT_WARNING_MIN_REQUESTERS,
                   settings.JIESU_HOT_WARNING_SEASON_YEARS)


@dataclass(frozen=True)
class Voice:
    requester: str
    at: datetime
    ticket_id: int


@dataclass(frozen=True)
class Rise:
    recent: int
    expected: float
    basis: str
    ticket_ids: list[int]


def first_voices(voices: list[Voice]) -> list[Voice]:
    """Each requester once, at their first message."""
    first: dict[str, Voice] = {}
    for v in sorted(voices, key=lambda v: (v.at, v.ticket_id)):
        first.setdefault(v.requester, v)
    return list(first.values())


def rise_of(voices: list[Voice], now: datetime, t: Thresholds, season: float | None = None) -> Rise | None:
    """The abnormal rise of one issue at ``now``, or None. ``season``: what the same month of earlier years leads
    to expect for ``t.days`` days (None: no history of that month)."""
    start, base_start = now - timedelta(days=t.days), now - timedelta(days=t.days + t.baseline_days)
    first = first_voices(voices)
    recent = [v for v in first if start <= v.at <= now]
    before = sum(1 for v in first if base_start <= v.at < start)
    expected, basis = ((season, HotIssueWarning.Basis.SEASON) if season is not None
                       else (before * t.days / t.baseline_days, HotIssueWarning.Basis.HISTORY))
    if len(recent) < t.min_requesters or len(recent) < t.ratio * max(expected, 1.0):
        return None
    return Rise(len(recent), round(expected, 3), basis, sorted(v.ticket_id for v in recent))


def season_expected(ticket_ids: list[int], now: datetime, t: Thresholds) -> float | None:
    """Distinct requesters per ``t.days`` of the issue's category at its region in the same calendar month of the
    earlier years in which the hotline had tickets that month; None when it had none."""
    from jiesu.tickets.models import Ticket

    pairs = Counter(Ticket.objects.filter(pk__in=ticket_ids).values_list("category_id", "region_id"))
    category, region = pairs.most_common(1)[0][0] if pairs else (None, None)
    if category is None or region is None:
        return None
    local = timezone.localtime(now)
    rates = []
    for back in range(1, t.season_years + 1):
        since, until, days = _month(local.year - back, local.month)
        month = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
        if not month.exists():
            continue
        people = (month.filter(category_id=category, region_id=region).exclude(requester_phone="")
                  .values("requester_phone").distinct().count())
        rates.append(people * t.days / days)
    return sum(rates) / len(rates) if rates else None


def _month(year: int, month: int) -> tuple[datetime, datetime, int]:
    days = calendar.monthrange(year, month)[1]
    since = timezone.make_aware(datetime(year, month, 1))
    return since, since + timedelta(days=days), days


def _voices(issue_ids: list[int], since: datetime) -> dict[int, list[Voice]]:
    out: dict[int, list[Voice]] = {}
    for issue_id, requester, at, ticket_id in HotIssueMember.objects.filter(
            issue_id__in=issue_ids, created_at__gte=since).values_list("issue_id", "requester", "created_at",
                                                                       "ticket_id"):
        out.setdefault(issue_id, []).append(Voice(requester, at, ticket_id))
    return out


def _already_warned(issue: HotIssue, rise: Rise, day: date, recent: list[HotIssueWarning]) -> bool:
    """Warned today, or lately about these tickets with as many people; a warning left without its issue by a
    rebuild is given the issue that now holds its tickets."""
    tickets = set(rise.ticket_ids)
    for w in recent:
        if w.issue_id == issue.pk and w.day == day:
            return True
        if (w.issue_id in {None, issue.pk}) and tickets & set(w.ticket_ids) and rise.recent <= w.recent:
            if w.issue_id is None and not any(o.issue_id == issue.pk and o.day == w.day for o in recent):
                w.issue = issue
                w.save(update_fields=["issue"])
            return True
    return False


def raise_warnings(*, actor: Any = None, now: datetime | None = None,
                   thresholds: Thresholds | None = None) -> list[HotIssueWarning]:
    """The warnings of ``now``'s day for the active issues (those heard from within the last days)."""
    t = thresholds or Thresholds.from_settings()
    now = now or clock.now()
    day = timezone.localdate(now)
    issues = list(HotIssue.objects.filter(last_at__gte=now - timedelta(days=t.days),
                                          requesters__gte=t.min_requesters))
    voices = _voices([i.pk for i in issues], now - timedelta(days=t.days + t.baseline_days))
    with transaction.atomic():
        recent = list(HotIssueWarning.objects.filter(raised_at__gte=now - timedelta(days=t.days)))
        new = []
        for issue in issues:
            rise = _rise(voices.get(issue.pk, []), now, t)
            if rise is not None and not _already_warned(issue, rise, day, recent):
                new.append(HotIssueWarning.objects.create(
                    issue=issue, day=day, raised_at=now, basis=rise.basis, recent=rise.recent,
                    expected=rise.expected, heat=issue.heat, description=issue.description, area=issue.area,
                    place=issue.place, ticket_ids=rise.ticket_ids))
        if new:
            event = record_event(subject_type="insights.hot_issues", subject_id="warnings", action="warn",
                                 actor=actor, data={"day": day.isoformat(), "warnings": [w.pk for w in new]})
            for warning in new:
                _notify(warning, event, t)
    return new


def _rise(voices: list[Voice], now: datetime, t: Thresholds) -> Rise | None:
    first = first_voices(voices)
    if sum(1 for v in first if v.at >= now - timedelta(days=t.days)) < t.min_requesters:
        return None  # too few to warn whatever the basis: the season is not looked up
    return rise_of(voices, now, t, season_expected([v.ticket_id for v in first], now, t))


def _notify(warning: HotIssueWarning, event: Any, t: Thresholds) -> None:
    from jiesu.notify import services as notify
    from jiesu.org.models import Unit

    params = {"description": warning.description or warning.place, "recent": warning.recent, "days": t.days,
              "expected": f"{warning.expected:.1f}", "url": notify.public_url(f"/hot/{warning.issue_id}/")}
    for unit in Unit.objects.filter(kind=Unit.Kind.CENTRE, is_active=True).order_by("path"):
        notify.notify_unit(unit, TEMPLATE, params, dedupe=f"hot-warning:{warning.pk}", event=event)
