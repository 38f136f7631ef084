"""Reading the tickets' hot issues. Staff lists and pages will restrict the members to the user's units
(``tickets.queries.visible_tickets``); the command line reads them whole."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from jiesu.insights.discovery import MIN_REQUESTERS
from jiesu.insights.models import HotIssue, HotIssueMember


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
