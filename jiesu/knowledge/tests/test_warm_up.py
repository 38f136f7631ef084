"""A server process builds its knowledge index in the background at start, so the first answer is fast."""

from __future__ import annotations

import pytest

from jiesu.knowledge.search_index import article_index, warm_up_in_background

pytestmark = pytest.mark.django_db(transaction=True)  # the warm-up thread reads committed rows


def test_the_warm_up_thread_indexes_the_published_articles(kb):
    published = kb.published(title="城市低保标准", body_html="<p>城市低保标准为每人每月710元。</p>")
    index = article_index()
    with index.lock:
        index._reset()
    assert published.article_id not in index.words
    warm_up_in_background().join(timeout=60)
    assert published.article_id in index.words
