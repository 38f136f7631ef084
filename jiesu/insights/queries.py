"""Reading the tickets' hot issues. The staff pages see an issue when they may see one of its tickets
(``tickets.queries.visible_tickets``) and list only those tickets; the command line reads them whole.

An issue's own figures (heat, requesters, the daily trend) are counts of the whole issue, no personal data: a
unit sees how big the problem its tickets belong to is, not the other units' tickets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import scope_of
from jiesu.insights.discovery import MIN_REQUESTERS
from jiesu.insights.models import HotIssue, HotIssueMember, HotIssueWarning

DAYS_CHOICES = (7, 30, 90)
UNPLACED = "未定区县"  # issues whose place and tickets name no district
TREND_MAX_DAYS = 120
RECENT_WARNING_DAYS = 7


def hot_issues(limit: int = 20) -> QuerySet[HotIssue]:
    """The hot issues (at least two requesters), hottest first, their members' ticket numbers fetched with them
    (one query for all, ``as_json``)."""
    members = HotIssueMember.objects.order_by("created_at", "pk").select_related("ticket").only(
        "issue_id", "created_at", "ticket__number")
    return (HotIssue.objects.filter(requesters__gte=MIN_REQUESTERS).order_by("-heat", "first_at", "pk")
            .prefetch_related(Prefetch("members", queryset=members))[:limit])


def as_json(issue: HotIssue) -> dict[str, Any]:
    return {"id": issue.pk, "heat": issue.heat, "description": issue.description, "place": issue.place,
            "from": issue.first_at.isoformat(), "to": issue.last_at.isoformat(), "requesters": issue.requesters,
            "tickets": issue.tickets, "members": [m.ticket.number for m in issue.members.all()]}


# ---- the staff pages ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HotFilters:
    """The list's filter, all in the URL: heard from within the last ``days``, district, words, warned only."""

    days: int = 90
    area: str = ""
    q: str = ""
    warned: bool = False

    def query(self, **changes: Any) -> str:
        f = replace(self, **changes)
        values = {"days": f.days if f.days != 90 else "", "area": f.area, "q": f.q, "warned": "1" if f.warned else ""}
        return urlencode({k: v for k, v in values.items() if v})


def filters_from(params: QueryDict) -> HotFilters:
    """The filter from a query string; a bad value raises ValidationFailed naming the field."""
    raw = params.get("days") or "90"
    if not raw.isdigit() or int(raw) not in DAYS_CHOICES:
        raise ValidationFailed("时间范围应为最近 7、30 或 90 天。", field_errors={"days": ["7/30/90"]})
    area = params.get("area", "").strip()
    if area and not (area.isdigit() and len(area) == 6):
        raise ValidationFailed("区县应为六位区划代码。", field_errors={"area": ["220302"]})
    return HotFilters(int(raw), area, params.get("q", "").strip()[:60],
                      params.get("warned", "") in {"1", "on", "true"})


def _visible_member_ids(user: Any) -> QuerySet[HotIssueMember] | None:
    """The members whose tickets the user may see; None for city-wide staff (all)."""
    if scope_of(user, Perm.TICKET_VIEW).city_wide:
        return None
    from jiesu.tickets.queries import visible_tickets

    return HotIssueMember.objects.filter(ticket_id__in=visible_tickets(user).values("pk"))


def visible_issues(user: Any) -> QuerySet[HotIssue]:
    """The hot issues of which the user may see at least one ticket."""
    issues = HotIssue.objects.filter(requesters__gte=MIN_REQUESTERS)
    members = _visible_member_ids(user)
    return issues if members is None else issues.filter(pk__in=members.values("issue_id"))


def issue_list(user: Any, f: HotFilters, now: datetime | None = None) -> QuerySet[HotIssue]:
    """The list's rows, hottest first, with ``seen``: how many of their tickets the user may see."""
    issues = _filtered(visible_issues(user), f, now)
    if f.area:
        issues = issues.filter(_in_district(f.area))
    members = _visible_member_ids(user)
    seen = Count("members") if members is None else Count("members", filter=Q(members__in=members))
    return issues.annotate(seen=seen).order_by("-heat", "first_at", "pk")


def _filtered(issues: QuerySet[HotIssue], f: HotFilters, now: datetime | None) -> QuerySet[HotIssue]:
    issues = issues.filter(last_at__gte=(now or clock.now()) - timedelta(days=f.days))
    if f.q:
        issues = issues.filter(Q(description__icontains=f.q) | Q(place__icontains=f.q))
    if f.warned:
        issues = issues.filter(pk__in=HotIssueWarning.objects.filter(issue__isnull=False).values("issue_id"))
    return issues


def districts() -> list[tuple[str, str]]:
    """(code, name) of the regions table's districts, in code order."""
    from jiesu.org.models import Region

    return list(Region.objects.filter(level=Region.Level.DISTRICT, is_active=True).order_by("code")
                .values_list("code", "name"))


def _by_region(issues: QuerySet[HotIssue]) -> QuerySet[HotIssue]:
    return issues.filter(Q(place_key__startswith="r:") | Q(area__startswith="r:"))


def _in_district(code: str) -> Q:
    """An issue is in a district when its place (or, in the pool, its area) is a region of it; an issue at a
    named place (an estate, a road) when one of its tickets was filed with a region of it."""
    named = HotIssueMember.objects.filter(ticket__region__code__startswith=code).values("issue_id")
    return (Q(place_key__startswith=f"r:{code}") | Q(area__startswith=f"r:{code}")
            | (~Q(place_key__startswith="r:") & ~Q(area__startswith="r:") & Q(pk__in=named)))


def issue_districts(issues: QuerySet[HotIssue]) -> dict[int, set[str]]:
    """The district codes of each issue (by the rule of ``_in_district``), in two queries."""
    out: dict[int, set[str]] = {}
    for pk, key, area in _by_region(issues).values_list("pk", "place_key", "area"):
        out[pk] = {(key if key.startswith("r:") else area)[2:8]}
    named = issues.exclude(place_key__startswith="r:").exclude(area__startswith="r:")
    for pk, code in (HotIssueMember.objects.filter(issue__in=named, ticket__region__isnull=False)
                     .values_list("issue_id", "ticket__region__code").distinct()):
        out.setdefault(pk, set()).add(code[:6])
    return out


def region_bars(user: Any, f: HotFilters, now: datetime | None = None) -> dict[str, Any]:
    """Hot issues per district of the regions table (every district, none left out for having no issue), for
    the filter without its district; issues in no district last."""
    issues = _filtered(visible_issues(user), f, now)
    table = districts()
    known = {code for code, _ in table}
    counts: Counter[str] = Counter()
    placed = 0
    for codes in issue_districts(issues).values():
        counts.update(codes & known)
        placed += bool(codes & known)
    other = issues.count() - placed
    return {"name": "热点数", "codes": [c for c, _ in table] + ([""] if other else []),
            "labels": [n for _, n in table] + ([UNPLACED] if other else []),
            "data": [counts[c] for c, _ in table] + ([other] if other else [])}


def district_names(issues: list[HotIssue]) -> dict[int, str]:
    """Each listed issue's districts by name ("—" when none is known)."""
    names = dict(districts())
    found = issue_districts(HotIssue.objects.filter(pk__in=[i.pk for i in issues]))
    return {i.pk: "、".join(sorted(names[c] for c in found.get(i.pk, set()) if c in names)) or "—" for i in issues}


def issue_for(user: Any, pk: int) -> HotIssue:
    """One issue the user may see (NotFound otherwise, as for tickets)."""
    try:
        return visible_issues(user).get(pk=pk)
    except HotIssue.DoesNotExist as exc:
        raise NotFound() from exc


def member_tickets(user: Any, issue: HotIssue) -> QuerySet[Any]:
    """The issue's tickets the user may see, newest first (the drill-down)."""
    from jiesu.tickets.queries import visible_tickets

    return (visible_tickets(user).filter(pk__in=issue.members.values("ticket_id"))
            .select_related("category", "lead_unit").order_by("-created_at", "-id"))


def member_breakdown(tickets: QuerySet[Any]) -> dict[str, list[tuple[str, int]]]:
    """The visible members' categories and lead units, most frequent first."""
    rows = list(tickets.values_list("category__name", "lead_unit__name"))
    return {"categories": Counter(c or "—" for c, _ in rows).most_common(8),
            "units": Counter(u or "未派单" for _, u in rows).most_common(8)}


def trend(issue: HotIssue) -> dict[str, Any]:
    """Tickets and new requesters per day from the issue's first day to its last (at most TREND_MAX_DAYS, the
    latest), in the figures pages' chart format."""
    members = list(issue.members.values_list("requester", "created_at").order_by("created_at", "pk"))
    last = timezone.localdate(issue.last_at)
    first = max(timezone.localdate(issue.first_at), last - timedelta(days=TREND_MAX_DAYS - 1))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    tickets, new = Counter[Any](), Counter[Any]()
    heard: set[str] = set()
    for requester, at in members:
        day = timezone.localdate(at)
        tickets[day] += 1
        if requester not in heard:
            heard.add(requester)
            new[day] += 1
    return {"days": [f"{d:%m-%d}" for d in days],
            "series": [{"kind": "count", "name": "工单", "data": [tickets[d] for d in days]},
                       {"kind": "count", "name": "新诉求人", "data": [new[d] for d in days]}]}


def recent_warnings(user: Any, *, days: int = RECENT_WARNING_DAYS, now: datetime | None = None,
                    limit: int = 20) -> QuerySet[HotIssueWarning]:
    """The early warnings of the last days about issues the user may see, newest first."""
    since = (now or clock.now()) - timedelta(days=days)
    warnings = HotIssueWarning.objects.filter(raised_at__gte=since, issue__isnull=False)
    if not scope_of(user, Perm.TICKET_VIEW).city_wide:
        warnings = warnings.filter(issue__in=visible_issues(user))
    return warnings.order_by("-raised_at", "-pk")[:limit]


def warnings_of_day(day: date | None = None) -> list[HotIssueWarning]:
    """Every warning of a day (default: today), for the command line."""
    return list(HotIssueWarning.objects.filter(day=day or timezone.localdate(clock.now())).order_by("pk"))


def issue_warnings(issue: HotIssue) -> QuerySet[HotIssueWarning]:
    return issue.warnings.order_by("-day")
