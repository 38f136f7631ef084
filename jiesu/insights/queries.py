"""Reading the tickets' hot issues. Staff lists and pages will restrict the members to the user's units
(``tickets.queries.visible_tickets``); the command line reads them whole."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiesu.insights.models import HotIssue

MIN_REQUESTERS = 2


def hot_issues(limit: int = 20) -> QuerySet[HotIssue]:
    """The hot issues (at least two requesters), hottest first."""
    return HotIssue.objects.filter(requesters__gte=MIN_REQUESTERS).order_by("-heat", "first_at", "pk")[:limit]


def as_json(issue: HotIssue) -> dict[str, Any]:
    return {"id": issue.pk, "heat": issue.heat, "description": issue.description, "place": issue.place,
            "from": issue.first_at.isoformat(), "to": issue.last_at.isoformat(), "requesters": issue.requesters,
            "tickets": issue.tickets, "members": list(issue.members.order_by("created_at").values_list(
                "ticket__number", flat=True))}
