"""Answering from the knowledge base: suggestions for the operator, automatic answers with a threshold.

``suggest_articles`` ranks only published articles valid on the day (and applying to the region); its
confidence (0..1) is how much of the question the article covers, weighted by word rarity, mixed with the
closest title or alternative question (character bigrams). ``answer_question`` answers automatically only
at or above ``settings.KNOWLEDGE_ANSWER_THRESHOLD`` and otherwise hands over to a person, creating a ticket
if the caller agrees. ``DEFAULT_THRESHOLD`` (0.45) is measured by ``benchmarks/answer_threshold.py`` on real
messages (docs/benchmarks.md): at 0.45 about 98 % of automatic answers are the right article and under 1 % of
questions with no answer in the base get one; 0.55 answered barely more precisely and half as often. A city
sets its own (``JIESU_KNOWLEDGE_ANSWER_THRESHOLD``) after running the benchmark on its history.

What a citizen may be shown is decided once, in ``answerable_articles(for_citizens=True)``: never the
staff-only kinds (reply templates, ``models.STAFF_ONLY_KINDS``). Automatic answers on every channel but intake,
the public article page (``public_article``) and the API's answers all go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jiesu.core.errors import ActionNotAllowed, NotFound, ValidationFailed
from jiesu.intelligence.pii import mask_personal_data
from jiesu.knowledge import services
from jiesu.knowledge.content import body_snippet, spoken_text, without_personal_numbers
from jiesu.knowledge.models import (
    STAFF_ONLY_KINDS,
    AnswerChannel,
    AnswerLog,
    Article,
    ArticleStatus,
    ArticleVersion,
)
from jiesu.knowledge.search_index import ArticleIndex, article_id_of, article_index, content_words

DEFAULT_THRESHOLD = 0.45
CANDIDATES = 50
BATCH_EXTRA = 5  # candidates read beyond k per database round trip
MAX_QUESTION = 500
HANDOVER_TEXT = "这个问题需要工作人员为您解答，正在为您转接人工服务。"


@dataclass
class Suggestion:
    article: Article
    version: ArticleVersion
    score: float
    confidence: float
    snippet: str
    terms: tuple[str, ...]

    @property
    def spoken(self) -> str:
        return spoken_text(self.version.body_text)

    @property
    def highlighted(self) -> SafeString:
        """The snippet, HTML-escaped, with the query's words in <mark>."""
        out = str(escape(self.snippet))
        for term in sorted(self.terms, key=len, reverse=True):
            out = out.replace(escape(term), f"<mark>{escape(term)}</mark>")
        return mark_safe(out)  # noqa: S308 (built from escaped parts)


def _bigrams(text: str) -> set[str]:
    text = "".join(ch for ch in text if ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def question_scorer(index: ArticleIndex, question: str) -> Callable[[int], float]:
    """confidence(article_id) for one question, its words and bigrams worked out once."""
    asked = content_words(question)
    weights = {w: index.idf(w) for w in asked}
    total = sum(weights.values())
    grams = _bigrams(question)

    def score(article_id: int) -> float:
        found = index.words.get(article_id, frozenset())
        coverage = sum(weights[w] for w in asked & found) / total if total else 0.0
        similarity = max((2 * len(grams & _bigrams(p)) / (len(grams) + len(_bigrams(p)) or 1)
                          for p in index.phrases.get(article_id, [])), default=0.0)
        return round(min(1.0, 0.6 * coverage + 0.4 * similarity), 4)

    return score


def confidence(index: ArticleIndex, article_id: int, question: str) -> float:
    """0..1: rarity-weighted share of the question's words in the article, mixed with phrase similarity."""
    return question_scorer(index, question)(article_id)


def answerable_articles(*, for_citizens: bool) -> QuerySet[Article]:
    """Published articles that may answer: for citizens never a staff-only kind (``STAFF_ONLY_KINDS``).

    The one rule deciding what a citizen may be shown; validity on the day is checked on the version.
    """
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    return articles.exclude(kind__in=STAFF_ONLY_KINDS) if for_citizens else articles


def reaches_citizens(channel: str) -> bool:
    """Every answering channel but the operator's intake screen reaches a citizen directly."""
    return channel != AnswerChannel.INTAKE


def public_article(pk: int) -> Article:
    """The article a citizen may open at /ask/<id>/: published, valid today and not staff-only."""
    article = answerable_articles(for_citizens=True).select_related("current", "unit").filter(pk=pk).first()
    if article is None or article.current is None or not article.current.valid_on(timezone.localdate()):
        raise NotFound("该知识不存在或已失效。")
    return article


def _applies(article: Article, region_code: str | None) -> bool:
    if not region_code:
        return True
    codes = [r.code for r in article.regions.all()]
    return not codes or any(region_code.startswith(code) or code.startswith(region_code) for code in codes)


def suggest_articles(title: str, text: str = "", k: int = 3, region: Any = None,
                     on: date | None = None, *, for_citizens: bool = False, vector: Any = None,
                     encoder_id: str = "") -> list[Suggestion]:
    """The best published articles valid on ``on`` (today) for a request, most confident first.

    Candidates are ranked by confidence from the index alone, then read from the database a few at a time
    (most requests need one batch), skipping the unpublished, expired and those for other regions, and for
    citizens the staff-only kinds (``answerable_articles``). Staff (the intake screen) get every kind.
    With the request's encoder ``vector`` the candidates come from the dense + lexical search; the confidence
    stays the lexical coverage the answer threshold was measured on.
    """
    on = on or timezone.localdate()
    region_code = getattr(region, "code", region) or None
    index = article_index()
    score = question_scorer(index, f"{title} {text}".strip())
    hits = index.search(title, text, k=CANDIDATES, vector=vector, encoder_id=encoder_id)
    ranked = sorted(((score(article_id_of(hit)), hit) for hit in hits),
                    key=lambda pair: -pair[0])
    out: list[Suggestion] = []
    for start in range(0, len(ranked), k + BATCH_EXTRA):
        batch = ranked[start : start + k + BATCH_EXTRA]
        articles = (answerable_articles(for_citizens=for_citizens)
                    .filter(pk__in=[article_id_of(h) for _, h in batch])
                    .select_related("current", "unit").prefetch_related("regions").in_bulk())
        for conf, hit in batch:
            article = articles.get(article_id_of(hit))
            if article is None or not article.current or not article.current.valid_on(on):
                continue
            if _applies(article, region_code):
                out.append(Suggestion(article, article.current, hit.score, conf,
                                      body_snippet(article.current.body_text, hit.terms) or hit.snippet, hit.terms))
        if len(out) >= k:
            break
    return out[:k]


def threshold() -> float:
    return float(getattr(settings, "KNOWLEDGE_ANSWER_THRESHOLD", DEFAULT_THRESHOLD))


def article_path(article: Article | int) -> str:
    return reverse("knowledge_public:article", args=[getattr(article, "pk", article)])


@dataclass
class AnswerResult:
    answered: bool
    text: str
    confidence: float
    article: Article | None = None
    version: ArticleVersion | None = None
    url: str = ""
    handed_over: bool = False
    ticket: Any = None
    log: AnswerLog | None = None

    @property
    def has_more(self) -> bool:
        """Whether the article says more than the short answer (so a page offers its full text)."""
        if self.version is None:
            return False
        return len(spoken_text(self.version.body_text, limit=len(self.version.body_text) + 1)) > len(self.text)


def answer_question(question: str, *, channel: str, caller_agrees_to_ticket: bool = False,
                    phone: str | None = None, region: Any = None, actor: Any = None) -> AnswerResult:
    """An automatic answer above the threshold, else a hand-over (and a ticket if the caller agrees).

    Every channel but intake reaches a citizen, so staff-only articles (reply templates) never answer there.
    """
    question = _checked(question, channel)
    found = suggest_articles(question, "", k=1, region=region, for_citizens=reaches_citizens(channel))
    best = next(iter(found), None)
    with transaction.atomic():
        if best is not None and best.confidence >= threshold():
            result = AnswerResult(True, without_personal_numbers(best.spoken), best.confidence, best.article,
                                  best.version, article_path(best.article))
            services.count_hit(best.article.pk)
        else:
            result = _hand_over(question, channel, best, caller_agrees_to_ticket, phone, actor)
        result.log = AnswerLog.objects.create(
            channel=channel, question=mask_personal_data(question), article=result.article or (best.article if best else None),
            version=result.version or (best.version if best else None), confidence=result.confidence,
            answered=result.answered, handed_over=result.handed_over,
            ticket_id=getattr(result.ticket, "pk", None), actor=actor if getattr(actor, "pk", None) else None)
    return result


def hand_over_after_answer(log: AnswerLog, *, caller_agrees_to_ticket: bool = False, phone: str | None = None,
                           actor: Any = None) -> AnswerResult:
    """The caller heard the automatic answer and still wants a person: counted, and a ticket if they agree."""
    from jiesu.knowledge.handover import open_ticket

    with transaction.atomic():
        log = AnswerLog.objects.select_for_update().get(pk=log.pk)
        if not log.answered:
            raise ValidationFailed(field_errors={"answer_id": ["这条记录没有自动答复，已经转人工。"]})
        if log.handed_over:
            raise ActionNotAllowed("这次答复已经转过人工。")
        result = AnswerResult(False, HANDOVER_TEXT, log.confidence, handed_over=True, log=log)
        if caller_agrees_to_ticket:
            result.ticket = open_ticket(log.question, log.channel, phone, actor)
            if result.ticket is not None:
                result.text = f"您的诉求已登记，工单编号 {result.ticket.number}，工作人员会尽快与您联系。"
        log.handed_over, log.ticket_id = True, getattr(result.ticket, "pk", None)
        log.save(update_fields=["handed_over", "ticket_id"])
    return result


def _checked(question: str, channel: str) -> str:
    question = " ".join((question or "").split())
    errors = {}
    if not question:
        errors["question"] = ["请输入问题。"]
    elif len(question) > MAX_QUESTION:
        errors["question"] = [f"问题不超过 {MAX_QUESTION} 字。"]
    if channel not in AnswerChannel.values:
        errors["channel"] = [f"渠道须为 {'、'.join(AnswerChannel.values)} 之一。"]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return question


def _hand_over(question: str, channel: str, best: Suggestion | None, agrees: bool, phone: str | None,
               actor: Any) -> AnswerResult:
    from jiesu.knowledge.handover import open_ticket

    result = AnswerResult(False, HANDOVER_TEXT, best.confidence if best else 0.0, handed_over=True)
    if agrees:
        result.ticket = open_ticket(question, channel, phone, actor)
        if result.ticket is not None:
            result.text = f"您的诉求已登记，工单编号 {result.ticket.number}，工作人员会尽快与您联系。"
    return result


def answer_with_article(actor: Any, ticket: Any, article: Article, version: int | None = None) -> Any:
    """The operator answers and closes a consultation with an article (recorded on the ticket)."""
    from jiesu.tickets.services import perform

    fresh = Article.objects.select_related("current").get(pk=article.pk)
    current = fresh.current
    if fresh.status != ArticleStatus.PUBLISHED or current is None or not current.valid_on(timezone.localdate()):
        raise ValidationFailed("该知识未发布或已失效，不能用于答复。")
    text = f"{spoken_text(current.body_text, 300)}（依据：{current.title}）"
    with transaction.atomic():
        ticket = perform(actor, ticket, "answer", {"answer": text, "article_id": article.pk}, version=version)
        services.count_hit(article.pk)
        AnswerLog.objects.create(channel=AnswerChannel.INTAKE, question=mask_personal_data(ticket.title),
                                 article=article, version=current, confidence=1.0, answered=True,
                                 ticket_id=ticket.pk, actor=actor)
    return ticket
