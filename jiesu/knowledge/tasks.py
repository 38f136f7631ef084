"""Background work of the knowledge base, through the django-tasks interface."""

from __future__ import annotations

from django_tasks import task


@task()
def encode_articles() -> int:
    """Writes the sentence-encoder vectors of published articles that have none yet to the vector cache (each
    process's article index takes them from there); returns how many texts were encoded."""
    from jiesu.intelligence.embeddings import cached_only, embed
    from jiesu.knowledge.models import Article, ArticleStatus
    from jiesu.knowledge.search_index import Document, article_text, searchable

    texts = []
    for article in Article.objects.filter(status=ArticleStatus.PUBLISHED, current__isnull=False) \
            .select_related("current").iterator(chunk_size=2000):
        title, text = searchable(article.current)
        texts.append(article_text(Document("", "", title, text)))
    found = cached_only(texts, query=False)
    if found is None:
        return 0
    missing = [text for text, present in zip(texts, found[0], strict=True) if not present]
    embed(missing, query=False)
    return len(missing)


def enqueue_encoding() -> None:
    """Asks for the vectors of newly published articles once the publishing transaction has committed."""
    from django.db import transaction

    from jiesu.intelligence.encoder import get_encoder

    if get_encoder() is not None:
        transaction.on_commit(lambda: encode_articles.enqueue(), robust=True)
