"""The demo city's knowledge base: real-looking articles with sources, a review queue, figures with numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from jiesu.demo.runner import run_demo
from jiesu.knowledge import figures
from jiesu.knowledge.answering import answer_question, suggest_articles
from jiesu.knowledge.eligibility import benefits_for
from jiesu.knowledge.models import AnswerLog, Article, ArticleVersion
from jiesu.knowledge.queries import stale_articles
from jiesu.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    run_demo(io.StringIO())


def test_demo_articles_state_their_source_and_fill_the_review_queue(demo):
    articles = Article.objects.filter(external_key__startswith="demo-")
    assert 15 <= articles.count() <= 25
    for version in ArticleVersion.objects.filter(article__in=articles):
        assert "演示" in version.source_document and version.body_text
        assert ".md" not in version.source_document  # shown to citizens: no developer's file names
    statuses = set(ArticleVersion.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "published"} <= statuses
    assert ArticleVersion.objects.filter(conditions__isnull=False).exclude(conditions=[]).count() >= 4
    assert "710" in Article.objects.get(external_key="demo-dibao-standard").current.body_text


def test_demo_figures_have_numbers_and_loading_twice_changes_nothing(demo):
    result = figures.compute()
    assert result["automatic"]["answered"] > 10 and result["automatic"]["handed_over"] >= 2
    assert result["automatic"]["answered_then_handed_over"] >= 1
    assert result["answered_with_article"] >= 2 and result["feedback"]["helpful"] > 0
    assert result["articles"] and result["stale_by_unit"]
    counts = (Article.objects.count(), AnswerLog.objects.count())
    run_demo(io.StringIO())
    assert (Article.objects.count(), AnswerLog.objects.count()) == counts


def test_demo_answers_and_policy_finds_people(demo):
    result = answer_question("低保标准是多少", channel="voice")
    assert result.answered and "710元" in result.text and not result.has_more
    longer = answer_question("不在户口所在地能办低保吗", channel="widget")
    assert longer.answered and "常住地" in longer.text and longer.has_more
    found = {article.external_key: ev.status for article, ev in benefits_for({"age": 85, "hukou": "220302"})}
    assert found["demo-old-age-allowance"] == "matched"
    poor = benefits_for({"household_income_per_capita": 500, "no_work_ability": True, "no_supporter": True})
    assert "demo-tekun-standard" in {article.external_key for article, ev in poor if ev.status == "matched"}
    heating = User.objects.get(username="handler-heating")
    assert Article.objects.get(external_key="demo-heating-fee-discount") in stale_articles(heating)


def test_staff_pages_open_for_demo_accounts(demo, client):
    pages = {"supervisor": ["search", "review", "benefits", "figures"], "handler-civil": ["search", "review", "benefits"],
             "operator": ["search", "benefits"]}
    for username, names in pages.items():
        client.force_login(User.objects.get(username=username))
        for name in names:
            assert client.get(reverse(f"knowledge:{name}")).status_code == 200, (username, name)
        assert reverse("knowledge:search") in client.get(reverse("web:home")).content.decode()


def test_the_demo_reply_template_is_for_operators_only(demo, client):
    template = Article.objects.get(external_key="demo-reply-heating-leak")
    assert template.kind == "reply" and template.status == "published"
    for channel in ("public", "widget", "voice", "chat"):
        result = answer_question("我家楼道漏水", channel=channel)
        assert result.article != template and "已到现场" not in result.text
    html = client.post(reverse("knowledge_public:ask"), {"q": "我家楼道漏水"}).content.decode()
    assert "答复范例" not in html and "domain.md" not in html
    assert client.get(reverse("knowledge_public:article", args=[template.pk])).status_code == 404
    assert template in [s.article for s in suggest_articles("楼道暖气管漏水", k=5)]
