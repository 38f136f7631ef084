"""The in-memory search index of published articles, kept current in every process.

Publishing and archiving move ``Article.index_changed_at``. Before each search the process compares the
newest stamp and the article count with what it has indexed (one aggregate query): when only newer changes
exist, just those articles are (re)added, since ``RetrievalIndex.add`` replaces a document with the same id;
an archived article is dropped from the candidates. Any other difference (an older stamp, or a count the newer
articles do not explain, as after a rolled-back transaction the index had seen) rebuilds the whole index. Hits
are always checked against the database (published, current version, valid on the day, region), so a stale
entry can never be offered as an answer.

Article vectors (sentence encoder) are never computed here, in a searching process: the ``encode_articles``
task (enqueued when an article is published) writes them to the vector cache, and the index takes them from
there — at once for articles already encoded, on a later refresh for those the task has not reached yet.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections import Counter
from typing import Any

from django.db import connections
from django.db.models import Count, Max

from jiesu.intelligence.embeddings import cached_only
from jiesu.intelligence.places import place_keys
from jiesu.intelligence.retrieval import ARTICLE, Document, Hit, Params, RetrievalIndex
from jiesu.intelligence.retrieval.analysis import words
from jiesu.intelligence.retrieval.dense import document_text
from jiesu.knowledge.models import Article, ArticleStatus

log = logging.getLogger(__name__)

_STOPWORD_TEXT = ("请问 请 问 问一下 一下 您好 你好 我 我们 我家 你们 想 想问 要 需要 怎么 怎么办 怎样 如何 什么 哪里 哪儿 "
                      "哪个 多少 几 吗 呢 吧 啊 的 了 是 有 没有 能 能不能 可以 可不可以 在 和 与 及 或 都 也 就 还 "
                      "这个 那个 这 那 个 去 到 给 对 让 被 把 从 为 为什么 谁 该 应该 现在 今年 一个")
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def doc_id(article_id: int) -> str:
    return f"article:{article_id}"


def article_id_of(hit: Hit) -> int:
    return int(hit.doc_id.split(":", 1)[1])


def searchable(version: Any) -> tuple[str, str]:
    """What an article is found by: title and alternative questions as the title, keywords and text after."""
    title = " ".join([version.title, *version.questions])
    return title, " ".join([*version.keywords, version.body_text])


def article_text(doc: Document) -> str:
    """What the encoder reads of an indexed article."""
    return document_text(doc.title, doc.text)


def cached_vectors(docs: list[Document]) -> tuple[Any, Any, str] | None:
    """(found mask, vectors, encoder id) of the documents from the vector cache; None without an encoder."""
    from jiesu.intelligence.encoder import get_encoder

    encoder = get_encoder()
    found = cached_only([article_text(doc) for doc in docs], query=False, encoder=encoder) if encoder else None
    return None if found is None or encoder is None else (found[0], found[1], encoder.model_id)


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS}


class ArticleIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._reset()

    def _reset(self) -> None:
        # Every word counts: in a small knowledge base most articles about one topic share its words.
        self.index = RetrievalIndex(Params(max_df=1.0))
        self.unencoded: dict[int, str] = {}  # article id → the text whose vector the cache does not hold yet
        self.words: dict[int, frozenset[str]] = {}
        self.phrases: dict[int, list[str]] = {}
        self.df: Counter[str] = Counter()
        self.known: set[int] = set()  # every article applied, published or not: the count it has indexed
        self.latest: Any = None  # the newest index_changed_at it has applied

    def refresh(self) -> None:
        stats = Article.objects.filter(index_changed_at__isnull=False).aggregate(n=Count("id"),
                                                                                  latest=Max("index_changed_at"))
        keys = place_keys()  # the regions table: articles about another district are damped
        with self.lock:
            self.index.use_places(keys)
            if (stats["n"], stats["latest"]) == (len(self.known), self.latest):
                return
            newer = self._newer_only(stats["n"], stats["latest"])
            if newer is None:
                self._reset()
                self.index.use_places(keys)
            every = Article.objects.filter(index_changed_at__isnull=False).select_related("current")
            self._apply(every.iterator(chunk_size=2000) if newer is None else newer)
            self.latest = stats["latest"]
        if self.unencoded:
            self._take_new_vectors()

    def _newer_only(self, count: int, latest: Any) -> list[Article] | None:
        """The articles changed since the last refresh, when they alone explain the new count; else None."""
        if self.latest is None or latest is None or latest <= self.latest:
            return None
        changed = list(Article.objects.filter(index_changed_at__gt=self.latest).select_related("current"))
        added = sum(1 for article in changed if article.pk not in self.known)
        return changed if len(self.known) + added == count else None

    def rebuild(self) -> int:
        with self.lock:
            self.latest = None  # no newer-only refresh: everything is read again
            self.refresh()
            return len(self.words)

    def _apply(self, articles: Any) -> None:
        docs = []
        for article in articles:
            self._forget(article.pk)
            self.known.add(article.pk)
            if article.status == ArticleStatus.PUBLISHED and article.current is not None:
                docs.append(self._remember(article))
        cached = cached_vectors(docs)
        if cached is None:
            self.index.add(docs)
            return
        found, vectors, encoder_id = cached
        self.index.add(docs, vectors, encoder_id)
        for doc, present in zip(docs, found, strict=True):
            if not present:
                self.unencoded[int(doc.doc_id.split(":", 1)[1])] = article_text(doc)

    def _take_new_vectors(self) -> None:
        """Vectors the encode task has written since: set on the rows of the articles still without one."""
        ids = [i for i in self.unencoded if doc_id(i) in self.index.rows]
        found = cached_only([self.unencoded[i] for i in ids], query=False)
        if found is None or self.index.vectors is None:
            return
        present, vectors = found
        for article_id, ok, vector in zip(ids, present, vectors, strict=True):
            if ok:
                self.index.set_vector(self.index.rows[doc_id(article_id)], vector)
                del self.unencoded[article_id]

    def _remember(self, article: Article) -> Document:
        version = article.current
        assert version is not None, "only published articles with a current version are indexed"
        title, text = searchable(version)
        found = frozenset(content_words(f"{title} {text}"))
        self.words[article.pk] = found
        self.phrases[article.pk] = [version.title, *version.questions]
        self.df.update(found)
        return Document(doc_id(article.pk), ARTICLE, title, text, {"version_id": version.pk})

    def _forget(self, article_id: int) -> None:
        self.unencoded.pop(article_id, None)
        old = self.words.pop(article_id, None)
        self.phrases.pop(article_id, None)
        if old is not None:
            self.df.subtract(old)
            row = self.index.rows.get(doc_id(article_id))
            if row is not None:
                self.index.active[row] = False

    def search(self, title: str, text: str = "", k: int = 50, vector: Any = None, encoder_id: str = "") -> list[Hit]:
        """Published articles for a question; dense + lexical when ``vector`` (the question's encoder vector)
        comes from the model the article vectors were made with."""
        self.refresh()
        with self.lock:
            usable = vector if vector is not None and encoder_id and encoder_id == self.index.encoder_id else None
            hits = self.index.search(title, text, k=k, kinds=[ARTICLE], vector=usable)
        return [hit for hit in hits if article_id_of(hit) in self.words]

    def idf(self, word: str) -> float:
        n = max(len(self.words), 1)
        return math.log((n + 1) / (self.df.get(word, 0) + 0.5)) + 1.0


_INDEX = ArticleIndex()


def article_index() -> ArticleIndex:
    """This process's index (refreshed on each search)."""
    return _INDEX


def warm_up_in_background() -> threading.Thread:
    """Builds this process's index in a daemon thread, so a server's first answer does not wait for it
    (12,000 articles take about 25 s). Called once per server process from ``jiesu.wsgi``."""
    global _WARM_UP_AT_FORK
    if not _WARM_UP_AT_FORK and hasattr(os, "register_at_fork"):
        # A process forked mid-build (gunicorn --preload) would inherit a lock held by a thread it does not
        # have: give the child a fresh, empty index and build it there.
        os.register_at_fork(after_in_child=_start_over_in_child)
        _WARM_UP_AT_FORK = True
    thread = threading.Thread(target=_build, name="knowledge-index-warm-up", daemon=True)
    thread.start()
    return thread


_WARM_UP_AT_FORK = False


def _build() -> None:
    try:
        _INDEX.refresh()
    except Exception:  # a server must start even when the index cannot be built yet (e.g. before migrate)
        log.warning("knowledge index warm-up failed; it is built at the first search instead", exc_info=True)
    finally:
        connections.close_all()


def _start_over_in_child() -> None:
    _INDEX.lock = threading.RLock()
    _INDEX._reset()
    threading.Thread(target=_build, name="knowledge-index-warm-up", daemon=True).start()
