"""Reading the knowledge base: staff search with filters and highlights, articles a user may see, stale ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jiesu.core.permissions import Perm
from jiesu.core.scope import restrict, scope_of
from jiesu.knowledge.answering import Suggestion, question_scorer
from jiesu.knowledge.content import body_snippet
from jiesu.knowledge.models import Article, ArticleStatus, ArticleVersion
from jiesu.knowledge.search_index import article_id_of, article_index

STALE_MONTHS = 12
EXPIRY_WARNING_DAYS = 30
SEARCH_CANDIDATES = 200


def visible_articles(user: Any) -> QuerySet[Article]:
    """Published articles for every staff member; drafts and archives for their unit and the centre."""
    if scope_of(user, Perm.KNOWLEDGE_VIEW).empty:
        return Article.objects.none()
    own = restrict(Article.objects.all(), user, Perm.KNOWLEDGE_EDIT).values("pk")
    centre = restrict(Article.objects.all(), user, Perm.KNOWLEDGE_PUBLISH).values("pk")
    return Article.objects.filter(Q(status=ArticleStatus.PUBLISHED) | Q(pk__in=own) | Q(pk__in=centre))


def editable_articles(user: Any) -> QuerySet[Article]:
    return restrict(Article.objects.all(), user, Perm.KNOWLEDGE_EDIT) | restrict(
        Article.objects.all(), user, Perm.KNOWLEDGE_PUBLISH)


def awaiting_review(user: Any) -> QuerySet[ArticleVersion]:
    articles = restrict(Article.objects.all(), user, Perm.KNOWLEDGE_PUBLISH)
    return ArticleVersion.objects.filter(article__in=articles, status="submitted").select_related("article__unit")


@dataclass
class SearchRow:
    article: Article
    version: ArticleVersion | None
    highlighted: str = ""
    confidence: float | None = None


def _filtered(qs: QuerySet[Article], kind: str, unit: Any, region: str, on: date | None) -> QuerySet[Article]:
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(unit__code=unit) if isinstance(unit, str) else qs.filter(unit=unit)
    if region:
        prefixes = [region[:n] for n in (6, 9, 12) if len(region) >= n] or [region]
        qs = qs.filter(Q(regions__isnull=True) | Q(regions__code__in=prefixes) | Q(regions__code__startswith=region))
    if on:
        qs = qs.filter(Q(current__valid_from__isnull=True) | Q(current__valid_from__lte=on),
                       Q(current__valid_to__isnull=True) | Q(current__valid_to__gte=on), current__isnull=False)
    return qs.distinct()


def search_articles(user: Any, q: str = "", *, kind: str = "", unit: Any = None, region: str = "",
                    on: date | None = None, limit: int = 50) -> list[SearchRow]:
    """Staff search: by relevance with highlights when ``q`` is given (published articles), else newest first."""
    qs = _filtered(visible_articles(user), kind, unit, region, on).select_related("current", "unit")
    q = (q or "").strip()
    if not q:
        return [SearchRow(a, a.current or a.versions.first()) for a in qs.order_by("-id")[:limit]]
    index = article_index()
    hits = index.search(q, "", k=SEARCH_CANDIDATES)
    allowed = qs.filter(pk__in=[article_id_of(h) for h in hits], status=ArticleStatus.PUBLISHED).in_bulk()
    rows = []
    score = question_scorer(index, q)
    for hit in hits:
        article = allowed.get(article_id_of(hit))
        if article is not None and article.current is not None:
            found = Suggestion(article, article.current, hit.score, score(article.pk),
                               body_snippet(article.current.body_text, hit.terms) or hit.snippet, hit.terms)
            rows.append(SearchRow(article, article.current, found.highlighted, found.confidence))
    return (rows + _unpublished_by_title(qs, q))[:limit]


def _unpublished_by_title(qs: QuerySet[Article], q: str) -> list[SearchRow]:
    """Drafts and archived articles the user may see, by title (they are not in the answer index)."""
    found = qs.exclude(status=ArticleStatus.PUBLISHED).filter(versions__title__icontains=q).distinct()
    return [SearchRow(a, a.versions.first()) for a in found.order_by("-id")[:20]]


def stale_articles(user: Any = None, *, today: date | None = None, months: int = STALE_MONTHS,
                   days: int = EXPIRY_WARNING_DAYS) -> QuerySet[Article]:
    """Published articles expiring within ``days`` or not reviewed (published) for ``months``: for their unit."""
    today = today or timezone.localdate()
    reviewed_before = timezone.now() - timedelta(days=30 * months)
    qs = Article.objects.filter(status=ArticleStatus.PUBLISHED, current__isnull=False).filter(
        Q(current__valid_to__lte=today + timedelta(days=days)) | Q(current__published_at__lt=reviewed_before))
    if user is not None:
        qs = qs & editable_articles(user)
    return qs.select_related("current", "unit").order_by("unit__path", "current__valid_to")
