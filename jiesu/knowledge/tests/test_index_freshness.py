"""The per-process search index notices every publish and archive, even while the service clock stands still
(demo replay, browser tests): its change mark is wall-clock time, while the article's own dates follow the
service clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from jiesu.core import clock
from jiesu.knowledge import services
from jiesu.knowledge.answering import suggest_articles
from jiesu.knowledge.search_index import article_index

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 3, 4, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_index_mark_moves_with_the_wall_clock_while_the_service_clock_stands_still(kb):
    before = timezone.now()
    with clock.at(MOMENT):
        published = kb.published(title="城市低保标准", body_html="<p>城市低保标准为每人每月710元。</p>",
                                 questions=["低保标准是多少"])
        article = published.article
        article.refresh_from_db()
        first_mark = article.index_changed_at
        assert published.published_at == MOMENT and first_mark is not None and first_mark >= before
        assert [s.article for s in suggest_articles("低保标准是多少")] == [article]
        services.archive(kb.publisher, article)
        article.refresh_from_db()
        assert article.index_changed_at is not None and article.index_changed_at > first_mark
        assert suggest_articles("低保标准是多少") == []


class _RolledBack(Exception):
    pass


def test_an_article_rolled_back_and_another_published_rebuilds_the_index(kb):
    """An article the index saw whose transaction then rolled back (the count falls by one while a newer article
    raises it by one again): the newer articles do not explain the count, so the index is built again."""
    with pytest.raises(_RolledBack), transaction.atomic():
        gone = kb.published(title="城市低保标准", body_html="<p>旧的标准。</p>").article
        assert [s.article for s in suggest_articles("城市低保标准")] == [gone]
        raise _RolledBack
    fresh = kb.published(title="城市低保标准是多少", body_html="<p>四平市城市低保标准为每人每月710元。</p>").article
    assert [s.article for s in suggest_articles("城市低保标准")] == [fresh]
    assert set(article_index().words) == {fresh.pk}
