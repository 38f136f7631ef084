"""Knowledge-base figures for supervisors: direct answers, automatic answers and hand-overs, per-article hits
and feedback, stale articles per unit. Direct answers come from the event log (the ticket action "answer"),
automatic answers and feedback from AnswerLog and Feedback."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from jiesu.core.models import Event
from jiesu.knowledge.models import AnswerChannel, AnswerLog, Article, Feedback
from jiesu.knowledge.queries import stale_articles

TOP_ARTICLES = 20


def _bounds(start: date | None, end: date | None) -> tuple[datetime, datetime, date, date]:
    end = end or timezone.localdate()
    start = start or end - timedelta(days=29)
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz),
            start, end)


def compute(start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Figures for the days ``start``..``end`` (default: the last 30 days)."""
    since, until, start, end = _bounds(start, end)
    answers = Event.objects.filter(subject_type="ticket", action="answer", occurred_at__gte=since,
                                   occurred_at__lt=until)
    logs = AnswerLog.objects.filter(created_at__gte=since, created_at__lt=until)
    automatic = _automatic(logs.exclude(channel=AnswerChannel.INTAKE))
    feedback = Feedback.objects.filter(created_at__gte=since, created_at__lt=until)
    return {
        "start": start.isoformat(), "end": end.isoformat(),
        "answered_directly": answers.count(),
        "answered_with_article": answers.exclude(data__article_id=None).count(),
        "automatic": automatic,
        "feedback": _feedback_totals(feedback),
        "articles": _per_article(logs, feedback),
        "stale_by_unit": _stale_by_unit(),
    }


def _automatic(logs: Any) -> dict[str, int]:
    # Aggregate names must not shadow the fields "answered" and "handed_over" that the filters use.
    n = logs.aggregate(a=Count("id"), b=Count("id", filter=Q(answered=True)),
                       c=Count("id", filter=Q(handed_over=True, answered=False)),
                       d=Count("id", filter=Q(handed_over=True, answered=True)),
                       e=Count("id", filter=Q(ticket_id__isnull=False)))
    return {"asked": n["a"], "answered": n["b"], "handed_over": n["c"], "answered_then_handed_over": n["d"],
            "tickets": n["e"]}


def _feedback_totals(feedback: Any) -> dict[str, int]:
    # Aggregate names must not shadow the model field "helpful".
    totals = feedback.aggregate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
    return {"helpful": totals["yes"], "not_helpful": totals["no"]}


def _per_article(logs: Any, feedback: Any) -> list[dict[str, Any]]:
    used = {row["article"]: row["n"] for row in logs.filter(answered=True, article__isnull=False)
            .values("article").annotate(n=Count("id"))}
    rated = {row["article"]: {"helpful": row["yes"], "not_helpful": row["no"]} for row in feedback.values(
        "article").annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))}
    ids = sorted(set(used) | set(rated), key=lambda pk: -used.get(pk, 0))[:TOP_ARTICLES]
    titles = {a.pk: (str(a), a.unit.name, a.hits) for a in Article.objects.filter(pk__in=ids)
              .select_related("current", "unit")}
    return [{"article_id": pk, "title": titles[pk][0], "unit": titles[pk][1], "hits_total": titles[pk][2],
             "answers": used.get(pk, 0), "helpful": rated.get(pk, {}).get("helpful", 0),
             "not_helpful": rated.get(pk, {}).get("not_helpful", 0)} for pk in ids if pk in titles]


def _stale_by_unit() -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for article in stale_articles():
        counts[article.unit.name] = counts.get(article.unit.name, 0) + 1
    return [{"unit": unit, "stale": n} for unit, n in sorted(counts.items(), key=lambda kv: -kv[1])]
